package se.lu.lunarc.otp.server.radius;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.lu.lunarc.otp.api.CreatedToken;
import se.lu.lunarc.otp.server.ServerConfig;
import se.lu.lunarc.otp.testing.FreeRadius;
import se.lu.lunarc.otp.testing.TestRadius;
import se.lu.lunarc.otp.testing.TestServer;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 20 §3: the server behind a real FreeRADIUS 3.2 proxy with {@code status_check = status-server}, Debian's
 * example setting. FreeRADIUS marks a home server that stops answering zombie, then dead, and only an answer to
 * Status-Server (RFC 5997) revives it; a server that drops Status-Server stays dead for good, and every login
 * through the proxy is refused. The server's entry for the proxy requires Message-Authenticator, which
 * FreeRADIUS 3.2 sends.
 */
class BehindFreeRadiusTest {
    private static final java.util.regex.Pattern DEAD =
            java.util.regex.Pattern.compile("Marking home server \\S+ port \\d+ as dead");

    @TempDir
    Path dir;

    @BeforeAll
    static void radclientInstalled() {
        RadiusTools.requireRadclient();
    }

    private static RadClient login(FreeRadius proxy, TestServer server, CreatedToken token) throws Exception {
        RadClient first = RadClient.send(proxy.port, proxy.nasSecret, "User-Name = alice", "User-Password = alice-pw");
        if (!"Access-Challenge".equals(first.received())) {
            return first;
        }
        return RadClient.send(proxy.port, proxy.nasSecret, "User-Name = alice",
                "User-Password = " + server.codeNow(token), "State = " + first.attribute("State"));
    }

    @Test
    void aProxyThatFoundTheServerDeadMarksItAliveAgainByStatusServer() throws Exception {
        try (TestServer server = TestServer.startWithUsers(dir.resolve("server"), "alice")) {
            CreatedToken token = server.enrolled("alice", "Phone");
            TestRadius radius = TestRadius.start(server, ServerConfig.RadiusClient.CHALLENGE,
                    ServerConfig.Radius.REJECT, true);
            try (FreeRadius proxy = FreeRadius.start(dir.resolve("freeradius"), radius.port, radius.secret)) {
                assertThat(login(proxy, server, token).received()).as("through the proxy")
                        .isEqualTo("Access-Accept");

                radius.close(); // the server's RADIUS stops answering: a restart, a crash, a network hiccup
                server.clock.advance(Duration.ofSeconds(30));
                // a login marks it zombie; unanswered Status-Server pings then mark it dead, after which FreeRADIUS
                // sends it no request at all, only pings
                long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
                while (!DEAD.matcher(proxy.log()).find() && System.nanoTime() < deadline) {
                    RadClient.send(proxy.port, proxy.nasSecret, "User-Name = alice", "User-Password = alice-pw");
                }
                assertThat(proxy.log()).as("FreeRADIUS gave up on it").containsPattern(DEAD);
                int before = proxy.log().length();

                radius = radius.again(server); // back, on the same port
                RadClient after = null;
                for (int i = 0; i < 40; i++) { // three answered pings, six seconds apart (FreeRADIUS's least)
                    Thread.sleep(1000);
                    after = login(proxy, server, token);
                    if ("Access-Accept".equals(after.received())) {
                        break;
                    }
                }
                assertThat(after.received()).as("logins through the proxy work again\n" + tail(proxy.log()))
                        .isEqualTo("Access-Accept");
                assertThat(proxy.log().substring(before)).as("revived by its answers to Status-Server")
                        .containsPattern("Marking home server \\S+ port \\d+ alive");
            } finally {
                radius.close();
            }
        }
    }

    private static String tail(String log) {
        return log.length() > 4000 ? log.substring(log.length() - 4000) : log;
    }
}
