package se.lu.lunarc.otp.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import se.lu.lunarc.otp.api.CreatedToken;
import se.lu.lunarc.otp.testing.Postgres;
import se.lu.lunarc.otp.testing.PostgresPerClass;
import se.lu.lunarc.otp.testing.TestServer;
import se.lu.lunarc.otp.testing.TwoNodes;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 20 §3: a hiccup of the store is a retry, not a failure. With the shared PostgreSQL store down (stopped at
 * once, as a crash or a network cut would), every path answers 503 service_unavailable as problem+json with
 * Retry-After, so that clients and the login bridge try again; {@code /health} says so within a load balancer's
 * 2-second check. Once the store is back, the same node serves again.
 */
class StoreDownTest {
    @RegisterExtension
    static final PostgresPerClass postgres = new PostgresPerClass();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private HttpResponse<String> send(TestServer node, String method, String path, String body, String... headers)
            throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(node.baseUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            r.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            r.header(headers[i], headers[i + 1]);
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertTryAgain(HttpResponse<String> answer, String what) throws Exception {
        assertThat(answer.statusCode()).as(what).isEqualTo(503);
        assertThat(answer.headers().firstValue("Content-Type")).as(what).hasValue("application/problem+json");
        assertThat(answer.headers().firstValue("Retry-After")).as(what).isPresent();
        JsonNode problem = new ObjectMapper().readTree(answer.body());
        assertThat(problem.get("code").asText()).as(what).isEqualTo("service_unavailable");
    }

    @Test
    void everyPathSaysTryAgainWhileTheStoreIsDownAndServesOnceItIsBack() throws Exception {
        String url = postgres.newDatabase();
        Path password = dir.resolve("store-password");
        Files.writeString(password, Postgres.PASSWORD + "\n");
        try (TestServer node = TestServer.start(dir.resolve("node"), c -> TwoNodes.onStore(url, password).apply(c)
                .withMetrics(new se.lu.lunarc.otp.server.metrics.MetricsConfig("127.0.0.1:0")))) {
            CreatedToken phone = node.enrolled("alice", "Phone");
            String session = "Bearer " + "x".repeat(43);
            String key = node.serviceKey();
            postgres.server().stop();
            try {
                HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(node.baseUrl() + "/api/v1/health")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).as("health, within a load balancer's 2 s").isEqualTo(503);
                se.lu.lunarc.otp.testing.Scrape down = new se.lu.lunarc.otp.testing.Scrape(
                        node.backend().metrics().scrape());
                assertThat(down.value("lunarc_otp_ready")).as("the alert LunarcOtpStoreDown's signal").isEqualTo(0);
                assertTryAgain(send(node, "GET", "/api/v1/human-check", null), "human-check");
                assertTryAgain(send(node, "POST", "/api/v1/validate",
                        "{\"username\":\"alice\",\"code\":\"" + node.codeNow(phone) + "\"}", "X-Service-Key", key),
                        "validate, the cluster's login");
                assertTryAgain(send(node, "POST", "/api/v1/login", "{\"username\":\"alice\",\"password\":\"alice-pw\","
                        + "\"humanProof\":{\"algorithm\":\"SHA-256\",\"challenge\":\"c\",\"number\":1,\"salt\":\"s\","
                        + "\"signature\":\"x\"}}"), "login");
                assertTryAgain(send(node, "GET", "/api/v1/tokens", null, "Authorization", session), "tokens");
                assertThat(new se.lu.lunarc.otp.testing.Scrape(node.backend().metrics().scrape())
                        .value("lunarc_otp_store_errors_total")).as("the store calls that failed are counted")
                        .isGreaterThanOrEqualTo(1);
            } finally {
                postgres.server().startAgain();
            }
            node.clock.advance(Duration.ofSeconds(30));
            assertThat(node.client().validate(key, "alice", node.codeNow(phone)).accepted())
                    .as("the same node, the store back").isTrue();
            assertThat(send(node, "GET", "/api/v1/health", null).statusCode()).isEqualTo(200);
        }
    }
}
