package se.lu.lunarc.otp.server.hardening;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.lu.lunarc.otp.api.ApiJson;
import se.lu.lunarc.otp.client.HumanCheckSolver;
import se.lu.lunarc.otp.server.ServerConfig;
import se.lu.lunarc.otp.testing.TestServer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Finding 5: X-Forwarded-For is honoured only from configured proxies, and read right to left. */
class ForwardedForTest {
    @TempDir
    Path dir;

    private static final ServerConfig.Limit FIVE_A_MINUTE = new ServerConfig.Limit(5, 60);

    private static TestServer behindProxy(Path dir, List<String> proxies) throws Exception {
        return TestServer.start(dir, c -> c.withTrustedProxies(proxies).withLimits(new ServerConfig.Limits(null,
                null, FIVE_A_MINUTE, null, null, null, 0, 0)));
    }

    private static int humanCheck(TestServer server, String forwardedFor) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/v1/human-check"));
        if (forwardedFor != null) {
            r.header("X-Forwarded-For", forwardedFor);
        }
        return HttpClient.newHttpClient().send(r.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static void failedLogin(TestServer server, String forwardedFor) throws Exception {
        var challenge = server.client().humanCheck();
        String body = ApiJson.newMapper().writeValueAsString(Map.of("username", "alice", "password", "wrong",
                "humanProof", HumanCheckSolver.solve(challenge)));
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/v1/login"))
                .header("Content-Type", "application/json").header("X-Forwarded-For", forwardedFor)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
    }

    @Test
    void finding5_theClientCannotChooseItsOwnAddressBehindATrustedProxy() throws Exception {
        try (TestServer server = behindProxy(dir, List.of("127.0.0.0/8"))) {
            // the client writes whatever it likes on the left; the proxy appends the address it saw
            for (int i = 0; i < 5; i++) {
                assertThat(humanCheck(server, "192.0.2." + i + ", 198.51.100.7")).isEqualTo(200);
            }
            assertThat(humanCheck(server, "192.0.2.99, 198.51.100.7")).isEqualTo(429);
            // another client behind the same proxy is not held up
            assertThat(humanCheck(server, "203.0.113.5")).isEqualTo(200);
            failedLogin(server, "10.6.6.6, 198.51.100.8");
            String audit = Files.readString(server.backend().audit().file());
            assertThat(audit).contains("\"address\":\"198.51.100.8\"").doesNotContain("10.6.6.6");
        }
    }

    @Test
    void withoutTrustedProxiesTheHeaderIsIgnored() throws Exception {
        try (TestServer server = behindProxy(dir, List.of())) {
            for (int i = 0; i < 5; i++) {
                assertThat(humanCheck(server, "192.0.2." + i)).isEqualTo(200);
            }
            assertThat(humanCheck(server, "192.0.2.200")).isEqualTo(429);
            server.clock.advance(java.time.Duration.ofSeconds(61));
            failedLogin(server, "10.6.6.6");
            assertThat(Files.readString(server.backend().audit().file())).contains("\"address\":\"127.0.0.1\"")
                    .doesNotContain("10.6.6.6");
        }
    }
}
