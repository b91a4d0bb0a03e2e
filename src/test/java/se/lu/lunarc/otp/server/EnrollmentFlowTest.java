package se.lu.lunarc.otp.server;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.lu.lunarc.otp.api.CreatedToken;
import se.lu.lunarc.otp.api.HumanChallenge;
import se.lu.lunarc.otp.api.LoginStarted;
import se.lu.lunarc.otp.api.Me;
import se.lu.lunarc.otp.api.Token;
import se.lu.lunarc.otp.client.ApiException;
import se.lu.lunarc.otp.client.EnrollmentClient;
import se.lu.lunarc.otp.client.HumanCheckSolver;
import se.lu.lunarc.otp.otp.OtpAuthUri;
import se.lu.lunarc.otp.testing.TestServer;

import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The whole enrollment, as the wizard will drive it, against the real backend on loopback. */
class EnrollmentFlowTest {
    @TempDir
    Path dir;
    TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(dir);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void fullFlowFromSignInToRevokeAndValidate() throws Exception {
        EnrollmentClient c = server.client();

        HumanChallenge challenge = c.humanCheck();
        assertThat(challenge.algorithm()).isEqualTo("SHA-256");
        assertThat(challenge.salt()).contains("expires=");
        LoginStarted started = c.login("alice", "alice-pw".toCharArray(), HumanCheckSolver.solve(challenge));
        assertThat(started.sms().maskedPhone()).isEqualTo("+46 70*** **01");
        assertThat(started.sms().codeLength()).isEqualTo(6);
        assertThat(started.sms().expiresInSeconds()).isEqualTo(300);
        assertThat(started.sms().resendAfterSeconds()).isEqualTo(30);

        String smsCode = server.lastSmsCode("alice");
        assertThat(smsCode).matches("\\d{6}");
        assertThat(c.submitCode(started.loginId(), smsCode)).isEqualTo(Duration.ofMinutes(15));

        Me me = c.me();
        assertThat(me.username()).isEqualTo("alice");
        assertThat(me.displayName()).isEqualTo("User alice");
        assertThat(me.email()).isEqualTo("alice@example.org");
        assertThat(me.maskedPhone()).isEqualTo("+46 70*** **01");
        assertThat(me.affiliation()).isEqualTo("Lund University");
        assertThat(c.tokens()).isEmpty();

        CreatedToken created = c.createToken("  My phone ");
        assertThat(created.token().name()).isEqualTo("My phone");
        assertThat(created.token().status()).isEqualTo("pending");
        assertThat(created.enrollment().activateWithinSeconds()).isEqualTo(600);
        OtpAuthUri uri = OtpAuthUri.parse(created.enrollment().otpauthUri());
        assertThat(created.enrollment().otpauthUri()).startsWith("otpauth://totp/LUNARC:alice?secret=")
                .contains("&issuer=LUNARC");
        assertThat(uri.secret()).hasSize(20);
        assertThat(created.enrollment().secret()).isEqualTo(uri.secretBase32()).doesNotContain("=");
        assertThat(List.of(uri.algorithm(), uri.digits(), uri.period())).containsExactly("SHA1", 6, 30);

        // a pending token logs nobody in
        String key = server.serviceKey();
        assertThat(c.validate(key, "alice", server.codeNow(created)).result()).isEqualTo("reject");

        server.clock.advance(Duration.ofSeconds(40));
        Token active = c.activate(created.token().id(), server.codeNow(created));
        assertThat(active.status()).isEqualTo("active");
        assertThat(active.activated()).isEqualTo(server.clock.instant().truncatedTo(ChronoUnit.SECONDS));
        assertThat(active.expires()).isEqualTo(active.activated().plus(Duration.ofDays(730)));

        assertThat(c.tokens()).extracting(Token::name, Token::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple("My phone", "active"));

        assertThat(c.rename(active.id(), "Work phone").name()).isEqualTo("Work phone");
        assertThat(c.disable(active.id()).status()).isEqualTo("disabled");
        server.clock.advance(Duration.ofSeconds(30));
        assertThat(c.validate(key, "alice", server.codeNow(created)).result())
                .as("a deactivated token logs nobody in").isEqualTo("reject");
        assertThat(c.enable(active.id()).status()).isEqualTo("active");

        // the phone's clock runs 5 minutes fast: the user enters one code, waits for the next, and resync
        // learns the offset; validate then accepts the phone's codes
        server.clock.advance(Duration.ofSeconds(30));
        String code1 = server.codeAt(created, 10);
        server.clock.advance(Duration.ofSeconds(30));
        String code2 = server.codeAt(created, 10);
        assertThat(c.validate(key, "alice", code2).result()).as("5 minutes off, before resync").isEqualTo("reject");
        Token synced = c.resync(active.id(), code1, code2);
        assertThat(synced.status()).isEqualTo("active");
        assertThat(c.validate(key, "alice", code2).result())
                .as("the second resync code is spent by the resync").isEqualTo("reject");
        server.clock.advance(Duration.ofSeconds(30));
        assertThat(c.validate(key, "alice", server.codeAt(created, 10)).result()).isEqualTo("accept");
        assertThat(c.tokens().get(0).lastUsed()).isEqualTo(server.clock.instant().truncatedTo(ChronoUnit.SECONDS));

        c.revoke(active.id());
        assertThat(c.tokens()).extracting(Token::status).containsExactly("revoked");
        server.clock.advance(Duration.ofSeconds(30));
        assertThat(c.validate(key, "alice", server.codeAt(created, 10)).result()).isEqualTo("reject");

        c.logout();
        assertThat(c.hasSession()).isFalse();
        assertThatThrownBy(c::me).isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).code()).isEqualTo("session_expired"));
    }

    @Test
    void validateAcceptsTheCurrentCodeOnceAndNeighbouringStepsOnly() throws Exception {
        EnrollmentClient c = server.signedIn("alice");
        CreatedToken created = c.createToken("Phone");
        c.activate(created.token().id(), server.codeNow(created));
        String key = server.serviceKey();

        server.clock.advance(Duration.ofSeconds(60));
        String now = server.codeNow(created);
        assertThat(c.validate(key, "alice", now).result()).isEqualTo("accept");
        assertThat(c.validate(key, "alice", now).result()).as("replay of the same code").isEqualTo("reject");

        server.clock.advance(Duration.ofSeconds(60));
        assertThat(c.validate(key, "alice", server.codeAt(created, 2)).result()).as("two steps ahead").isEqualTo("reject");
        assertThat(c.validate(key, "alice", server.codeAt(created, 1)).result()).as("one step ahead").isEqualTo("accept");
        assertThat(c.validate(key, "alice", server.codeAt(created, -1)).result())
                .as("older than the newest accepted code").isEqualTo("reject");
        assertThat(c.validate(key, "bob", server.codeNow(created)).result()).isEqualTo("reject");
    }

    @Test
    void resendSendsANewCodeThatWorksAndTheOldOneDoesNot() throws Exception {
        EnrollmentClient c = server.client();
        LoginStarted started = c.login("alice", "alice-pw".toCharArray(), HumanCheckSolver.solve(c.humanCheck()));
        String first = server.lastSmsCode("alice");
        server.clock.advance(Duration.ofSeconds(31));
        var sms = c.resend(started.loginId());
        assertThat(sms.expiresInSeconds()).isEqualTo(300);
        String second = server.lastSmsCode("alice");
        if (!first.equals(second)) {
            assertThatThrownBy(() -> c.submitCode(started.loginId(), first)).isInstanceOf(ApiException.class);
        }
        c.submitCode(started.loginId(), second);
        assertThat(c.me().username()).isEqualTo("alice");
    }
}
