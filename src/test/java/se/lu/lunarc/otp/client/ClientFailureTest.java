package se.lu.lunarc.otp.client;

import io.javalin.Javalin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import se.lu.lunarc.otp.client.ApiException.Kind;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** What the client makes of servers that misbehave: each a real HTTP server on loopback. */
class ClientFailureTest {
    Javalin fake;

    @BeforeEach
    void start() {
        fake = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.routes.get("/api/v1/me", ctx -> ctx.status(200).contentType("text/html")
                    .result("<html><body>Proxy login required</body></html>"));
            cfg.routes.get("/api/v1/tokens", ctx -> ctx.status(200).contentType("application/json")
                    .result("{\"tokens\": [{\"id\""));
            cfg.routes.get("/api/v1/human-check", ctx -> ctx.status(429).header("Retry-After", "42").result("slow down"));
            cfg.routes.post("/api/v1/login", ctx -> {
                Thread.sleep(3000);
                ctx.status(500);
            });
            cfg.routes.post("/api/v1/logout", ctx -> ctx.status(503).contentType("text/html").result("<h1>Maintenance</h1>"));
            cfg.routes.post("/api/v1/tokens", ctx -> ctx.status(404).contentType("text/plain").result("nope"));
        });
        fake.start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        fake.stop();
    }

    EnrollmentClient client() throws ApiException {
        return new EnrollmentClient(ClientOptions.of(URI.create("http://127.0.0.1:" + fake.port()))
                .withEnvironment(Map.of()).withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(1)));
    }

    @Test
    void htmlInsteadOfJsonIsABadResponseWithCopyableDetails() throws Exception {
        ApiException e = catchThrowableOfType(ApiException.class, () -> client().me());
        assertThat(e.kind()).isEqualTo(Kind.BAD_RESPONSE);
        assertThat(e.detail()).contains("does not understand");
        assertThat(e.diagnostics()).contains("GET /api/v1/me", "HTTP 200", "text/html", "Proxy login required");
    }

    @Test
    void truncatedJsonIsABadResponse() {
        ApiException e = catchThrowableOfType(ApiException.class, () -> client().tokens());
        assertThat(e.kind()).isEqualTo(Kind.BAD_RESPONSE);
        assertThat(e.diagnostics()).contains("application/json").doesNotContain("\"id\"");
    }

    @Test
    void plain429WithRetryAfterIsRateLimited() {
        ApiException e = catchThrowableOfType(ApiException.class, () -> client().humanCheck());
        assertThat(e.kind()).isEqualTo(Kind.PROBLEM);
        assertThat(e.code()).isEqualTo("rate_limited");
        assertThat(e.retryAfterSeconds()).isEqualTo(42);
    }

    @Test
    void aServerThatDoesNotAnswerInTimeIsATimeout() {
        ApiException e = catchThrowableOfType(ApiException.class,
                () -> client().login("alice", "secret-pw".toCharArray(), null));
        assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(e.getMessage()).doesNotContain("secret-pw");
    }

    @Test
    void maintenancePageIsUnavailableAndWrongStatusesAreBadResponses() {
        ApiException e = catchThrowableOfType(ApiException.class, () -> client().logout());
        assertThat(e.kind()).isEqualTo(Kind.UNREACHABLE);
        assertThat(e.status()).isEqualTo(503);
        ApiException notOurs = catchThrowableOfType(ApiException.class, () -> client().createToken("x"));
        assertThat(notOurs.kind()).isEqualTo(Kind.BAD_RESPONSE);
        assertThat(notOurs.status()).isZero();
        assertThat(notOurs.diagnostics()).contains("HTTP 404");
    }

    @Test
    void aServerThatIsDownIsUnreachable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        EnrollmentClient c = new EnrollmentClient(ClientOptions.of(URI.create("http://127.0.0.1:" + port))
                .withEnvironment(Map.of()));
        ApiException e = catchThrowableOfType(ApiException.class, c::humanCheck);
        assertThat(e.kind()).isEqualTo(Kind.UNREACHABLE);
        assertThat(e.detail()).isEqualTo("The server cannot be reached.");
    }

    @Test
    void plainHttpIsRefusedExceptToLoopback() throws Exception {
        ApiException e = catchThrowableOfType(ApiException.class,
                () -> new EnrollmentClient(ClientOptions.of(URI.create("http://otp.example.org"))));
        assertThat(e.kind()).isEqualTo(Kind.INSECURE_URL);
        new EnrollmentClient(ClientOptions.of(URI.create("http://localhost:8080"))).close();
        new EnrollmentClient(ClientOptions.of(URI.create("http://[::1]:8080"))).close();
        new EnrollmentClient(ClientOptions.of(URI.create("https://otp.example.org"))).close();
    }

    @Test
    void proxyComesFromTheEnvironmentWithNoProxyExceptions() {
        var env = Map.of("https_proxy", "http://proxy.example.org:3128", "NO_PROXY", "lunarc.lu.se,.internal");
        EnvProxySelector s = new EnvProxySelector(env);
        assertThat(s.select(URI.create("https://otp.example.org/api"))).containsExactly(
                new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved("proxy.example.org", 3128)));
        assertThat(s.select(URI.create("https://lunarc.lu.se/api"))).containsExactly(Proxy.NO_PROXY);
        assertThat(s.select(URI.create("https://otp.lunarc.lu.se/api"))).containsExactly(Proxy.NO_PROXY);
        assertThat(s.select(URI.create("https://a.internal/api"))).containsExactly(Proxy.NO_PROXY);
        assertThat(s.select(URI.create("https://notlunarc.lu.se/api"))).isNotEqualTo(List.of(Proxy.NO_PROXY));
        assertThat(s.select(URI.create("http://127.0.0.1:8080/api"))).containsExactly(Proxy.NO_PROXY);
        assertThat(new EnvProxySelector(Map.of()).select(URI.create("https://x.org"))).containsExactly(Proxy.NO_PROXY);
    }

    @Test
    void retryAfterAcceptsSecondsAndHttpDates() {
        assertThat(Answers.retryAfter("120")).isEqualTo(120);
        assertThat(Answers.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isZero();
        assertThat(Answers.retryAfter("soon")).isNull();
    }
}
