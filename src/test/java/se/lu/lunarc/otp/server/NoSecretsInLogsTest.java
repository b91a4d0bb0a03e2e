package se.lu.lunarc.otp.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import se.lu.lunarc.otp.api.CreatedToken;
import se.lu.lunarc.otp.api.LoginStarted;
import se.lu.lunarc.otp.client.ApiException;
import se.lu.lunarc.otp.client.EnrollmentClient;
import se.lu.lunarc.otp.client.HumanCheckSolver;
import se.lu.lunarc.otp.testing.RawRadiusClient;
import se.lu.lunarc.otp.testing.TestRadius;
import se.lu.lunarc.otp.testing.TestServer;
import org.aaa4j.radius.core.attribute.attributes.State;
import org.aaa4j.radius.core.packet.packets.AccessAccept;
import org.aaa4j.radius.core.packet.packets.AccessReject;

import java.net.InetAddress;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs a whole flow, with its error paths, and searches every log line and audit line for the secrets used. */
class NoSecretsInLogsTest {
    @TempDir
    Path dir;

    @Test
    void logsAndAuditHoldNoPasswordCodeSecretOrSessionToken() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger ours = (Logger) LoggerFactory.getLogger("se.lu.lunarc");
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        root.addAppender(captured);
        Level before = ours.getLevel();
        ours.setLevel(Level.TRACE);
        List<String> secrets = new ArrayList<>();
        try (TestServer server = TestServer.start(dir)) {
            EnrollmentClient c = server.client();
            secrets.add("alice-pw");
            secrets.add("wrong-password-42");
            expectFailure(() -> c.login("alice", "wrong-password-42".toCharArray(), HumanCheckSolver.solve(c.humanCheck())));
            LoginStarted started = c.login("alice", "alice-pw".toCharArray(), HumanCheckSolver.solve(c.humanCheck()));
            String sms = server.lastSmsCode("alice");
            String wrongSms = sms.equals("999999") ? "999998" : "999999";
            secrets.add(sms);
            expectFailure(() -> c.submitCode(started.loginId(), wrongSms));
            c.submitCode(started.loginId(), sms);
            secrets.add(sessionToken(c));

            CreatedToken t = c.createToken("Phone");
            secrets.add(t.enrollment().secret());
            secrets.add(t.enrollment().otpauthUri());
            String first = server.codeNow(t);
            expectFailure(() -> c.activate(t.token().id(), server.codeAt(t, 2)));
            c.activate(t.token().id(), first);
            secrets.add(first);
            server.clock.advance(Duration.ofSeconds(30));
            String validated = server.codeNow(t);
            secrets.add(validated);
            secrets.add(server.serviceKey());
            c.validate(server.serviceKey(), "alice", validated);
            expectFailure(() -> c.validate("not-the-key", "alice", validated));

            // the cluster's login over RADIUS: wrong password, wrong code, right code, a wrong shared secret
            server.clock.advance(Duration.ofSeconds(30));
            try (TestRadius radius = TestRadius.start(server, ServerConfig.RadiusClient.CHALLENGE,
                    ServerConfig.Radius.SMS, false);
                 RawRadiusClient nas = new RawRadiusClient(InetAddress.getLoopbackAddress(), radius.port,
                         radius.secret, 2000);
                 RawRadiusClient forger = new RawRadiusClient(InetAddress.getLoopbackAddress(), radius.port,
                         "forged-" + radius.secret, 500)) {
                secrets.add(radius.secret);
                assertThat(nas.send(nas.accessRequest("alice", "wrong-password-42", null, true)))
                        .isInstanceOf(AccessReject.class);
                String wrongCode = server.codeAt(t, 5);
                byte[] state = nas.send(nas.accessRequest("alice", "alice-pw", null, true))
                        .getAttribute(State.class).orElseThrow().getData().getValue();
                assertThat(nas.send(nas.accessRequest("alice", wrongCode, state, true))).isInstanceOf(AccessReject.class);
                String radiusCode = server.codeNow(t);
                secrets.add(radiusCode);
                state = nas.send(nas.accessRequest("alice", "alice-pw", null, true))
                        .getAttribute(State.class).orElseThrow().getData().getValue();
                assertThat(nas.send(nas.accessRequest("alice", radiusCode, state, true))).isInstanceOf(AccessAccept.class);
                assertThat(forger.answered(forger.accessRequest("alice", "alice-pw", null, true).bytes())).isFalse();
            }
            c.logout();

            List<String> lines = new ArrayList<>();
            for (ILoggingEvent e : captured.list) {
                lines.add(e.getFormattedMessage());
                if (e.getThrowableProxy() != null) {
                    lines.add(ThrowableProxyUtil.asString(e.getThrowableProxy()));
                }
            }
            lines.addAll(Files.readAllLines(dir.resolve("audit.jsonl")));
            assertThat(lines).as("the flow logged and audited something").hasSizeGreaterThanOrEqualTo(12);
            assertThat(String.join("\n", lines)).contains("login_failed", "login_code_failed", "login_ok",
                    "token_activation_failed", "token_activated", "validate_accept", "validate_refused", "logout",
                    "radius_challenge", "radius_accept", "radius_reject", "radius_dropped");
            for (String secret : secrets) {
                Pattern p = Pattern.compile("(?<![0-9A-Za-z])" + Pattern.quote(secret) + "(?![0-9A-Za-z])");
                for (String line : lines) {
                    assertThat(p.matcher(line).find()).as("a log or audit line holds a secret: " + line).isFalse();
                }
            }
        } finally {
            root.detachAppender(captured);
            ours.setLevel(before);
        }
    }

    private static void expectFailure(ThrowingCall call) {
        try {
            call.run();
            throw new AssertionError("expected a refusal");
        } catch (ApiException expected) {
            assertThat(expected.getMessage()).doesNotContain("alice-pw");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    interface ThrowingCall {
        void run() throws Exception;
    }

    private static String sessionToken(EnrollmentClient c) throws ReflectiveOperationException {
        Field f = EnrollmentClient.class.getDeclaredField("sessionToken");
        f.setAccessible(true);
        return (String) f.get(c);
    }
}
