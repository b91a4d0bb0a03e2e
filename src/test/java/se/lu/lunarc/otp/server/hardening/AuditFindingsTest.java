package se.lu.lunarc.otp.server.hardening;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.lu.lunarc.otp.server.Backend;
import se.lu.lunarc.otp.server.ServerConfig;
import se.lu.lunarc.otp.server.users.FileUserDirectory;
import se.lu.lunarc.otp.server.users.PasswordHasher;
import se.lu.lunarc.otp.testing.RawHttp;
import se.lu.lunarc.otp.testing.TestServer;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One regression test for each finding of the outside audit (issue 9), named after it: each sends what the
 * auditor sent and checks what a careful client would.
 */
class AuditFindingsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    TestServer server;
    int port;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(dir);
        port = URI.create(server.baseUrl()).getPort();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private static void assertProblem(RawHttp.Answer a, int status, String code) throws Exception {
        assertThat(a.status()).as(a.head()).isEqualTo(status);
        assertThat(a.contentType()).startsWith("application/problem+json");
        JsonNode p = JSON.readTree(a.body());
        assertThat(p.has("code")).as(a.head() + "\n" + a.body()).isTrue();
        assertThat(p.get("code").asText()).isEqualTo(code);
        assertThat(p.get("status").asInt()).isEqualTo(status);
    }

    @Test
    void finding1_chunkedBodiesOfAnySizeAreRefusedAndSignInsGoOn() throws Exception {
        assertProblem(RawHttp.send(port, RawHttp.chunkedLogin(2 * 1024 * 1024)), 413, "bad_request");
        for (int i = 0; i < 30; i++) {
            assertThat(RawHttp.send(port, RawHttp.chunkedLogin(4 * 1024 * 1024)).status()).isEqualTo(413);
        }
        assertThat(server.signedIn("alice").me().username()).isEqualTo("alice");
        assertThat(health()).isEqualTo(200);
    }

    /** The status of {@code GET /api/v1/health}, as a load balancer's check sees it. */
    private int health() throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        server.server().baseUri().resolve("/api/v1/health")).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void finding2_anEmptyServiceKeyIsNeverValid() throws Exception {
        var c = server.client();
        assertThat(catchApi(() -> c.validate("", "alice", "123456")).code()).isEqualTo("service_key_invalid");
        Path empty = dir.resolve("empty-key");
        java.nio.file.Files.createFile(empty);
        ServerConfig withEmpty = new ServerConfig("127.0.0.1:0", false, null, dir.resolve("other"), null, null,
                null, empty, null, null, 0, 0, null, null, null, null, null, null);
        assertThatThrownBy(() -> new Backend(withEmpty, new FileUserDirectory(List.of(), new PasswordHasher()),
                (to, text) -> { }, java.time.Clock.systemUTC()))
                .hasMessageContaining("empty or shorter than 32 characters").hasMessageContaining("empty-key");
        // the shipped example no longer puts the key under /etc, which the sandboxed service cannot write
        assertThat(ServerConfig.load(Path.of("packaging/config/server.example.yaml")).serviceKeyFile()).isNull();
        // a key made at start is whole: no temporary file is left beside it
        try (var files = java.nio.file.Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".new"));
        }
    }

    @Test
    void finding11_theDataFolderIsPrivateWhateverTheUmask() throws Exception {
        Path data = dir.resolve("data-made-by-server");
        try (TestServer other = TestServer.startIn(data)) {
            other.enrolled("alice", "Phone");
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                    java.nio.file.Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
            try (var files = java.nio.file.Files.list(data)) {
                for (Path f : files.toList()) {
                    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                            java.nio.file.Files.getPosixFilePermissions(f))).as(f.toString()).isEqualTo("rw-------");
                }
            }
        }
    }

    @Test
    void finding3_nobodyCanLockTheOwnerOut() throws Exception {
        var token = server.enrolled("alice", "Phone");
        var c = server.client();
        String key = server.serviceKey();
        // the owner logs in from her usual station once: it becomes a known source
        assertThat(c.validate(key, "alice", server.codeNow(token), "198.51.100.10").accepted()).isTrue();
        server.clock.advance(java.time.Duration.ofSeconds(30));

        // an attacker who got past the password guesses from one place: that place slows down, for good
        String attacker = "203.0.113.66";
        long previousWait = 0;
        for (int i = 0; i < 13; i++) {
            String wrong = server.codeNow(token).equals("000000") ? "111111" : "000000";
            long wait = 0;
            String reason;
            // a guess while the source must wait is not even checked
            while ((reason = c.validate(key, "alice", wrong, attacker).reason()).equals("throttled")) {
                server.clock.advance(java.time.Duration.ofSeconds(1));
                wait++;
            }
            assertThat(reason).isEqualTo("code_invalid");
            // the count is never reset by waiting: each wait is at least as long as the one before
            assertThat(wait).isGreaterThanOrEqualTo(previousWait);
            previousWait = wait;
        }
        assertThat(previousWait).as("seconds the 13th guess waited, after 12 failures").isGreaterThanOrEqualTo(60);
        String code = server.codeNow(token);
        assertThat(c.validate(key, "alice", code, attacker).reason()).isEqualTo("throttled");
        // the owner, at her station, gets in at once
        assertThat(c.validate(key, "alice", code, "198.51.100.10").accepted()).isTrue();

        // guesses spread over a hundred new places hit a cap per account that new places share...
        server.clock.advance(java.time.Duration.ofSeconds(30));
        for (int i = 0; i < 100; i++) {
            String wrong = server.codeNow(token).equals("000000") ? "111111" : "000000";
            c.validate(key, "alice", wrong, "192.0.2." + i);
        }
        assertThat(c.validate(key, "alice", server.codeNow(token), "192.0.2.200").reason()).isEqualTo("throttled");
        // ...and still not the owner's known station
        assertThat(c.validate(key, "alice", server.codeNow(token), "198.51.100.10").accepted()).isTrue();
        assertThat(java.nio.file.Files.readString(server.backend().audit().file()))
                .contains("\"detail\":\"throttled\"");
    }

    @Test
    void finding10_sessionsEndAfterEightHoursHoweverBusyAndCanBeSeenAndEnded() throws Exception {
        var laptop = server.signedIn("alice");
        server.clock.advance(java.time.Duration.ofMinutes(5));
        var desktop = server.signedIn("alice");
        var others = server.signedIn("alice");
        var list = desktop.sessions();
        assertThat(list).hasSize(3);
        assertThat(list).filteredOn(s -> s.current()).hasSize(1);
        assertThat(list.get(0).created()).isBefore(list.get(1).created());
        assertThat(list.get(0).endsBy()).isEqualTo(list.get(0).created().plus(java.time.Duration.ofHours(8)));
        assertThat(se.lu.lunarc.otp.api.ApiJson.newMapper().writeValueAsString(list)).doesNotContain(sessionToken(laptop));

        // end the laptop's session from the desktop
        desktop.endSession(list.get(0).id());
        assertThat(catchApi(laptop::me).code()).isEqualTo("session_expired");
        assertThat(catchApi(() -> desktop.endSession("no-such-session")).code()).isEqualTo("not_found");
        assertThat(desktop.sessions()).hasSize(2);

        // kept busy, a session still ends 8 hours after sign-in
        for (int i = 0; i < 8 * 6 - 1; i++) {
            server.clock.advance(java.time.Duration.ofMinutes(10));
            others.me();
        }
        server.clock.advance(java.time.Duration.ofMinutes(10));
        assertThat(catchApi(others::me).code()).isEqualTo("session_expired");
    }

    private static String sessionToken(se.lu.lunarc.otp.client.EnrollmentClient c) throws Exception {
        var f = se.lu.lunarc.otp.client.EnrollmentClient.class.getDeclaredField("sessionToken");
        f.setAccessible(true);
        return (String) f.get(c);
    }

    @Test
    void finding10_aReplayedCodeIsRecordedAsSuch() throws Exception {
        var token = server.enrolled("alice", "Phone");
        var c = server.client();
        String code = server.codeNow(token);
        assertThat(c.validate(server.serviceKey(), "alice", code).accepted()).isTrue();
        assertThat(c.validate(server.serviceKey(), "alice", code).reason()).isEqualTo("code_replayed");
        assertThat(java.nio.file.Files.readString(server.backend().audit().file()))
                .contains("\"event\":\"code_replayed\"");
        // at the next sign-in the token says so
        var token2 = server.signedIn("alice").tokens().get(0);
        assertThat(token2.replayedAt()).isEqualTo(server.clock.instant());
    }

    @Test
    void finding4_smsGuessesAreCappedPerAccountAndOnlyAHashIsKept() throws Exception {
        // a resend brings a new code, not new tries
        var c = server.client();
        var started = c.login("alice", "alice-pw".toCharArray(),
                se.lu.lunarc.otp.client.HumanCheckSolver.solve(c.humanCheck()));
        String sent = server.lastSmsCode("alice");
        assertThat(pendingLoginFieldsHold(sent)).as("the SMS code is kept only as a hash").isFalse();
        String wrong = sent.equals("000000") ? "111111" : "000000";
        for (int i = 0; i < 2; i++) {
            catchApi(() -> c.submitCode(started.loginId(), wrong));
        }
        server.clock.advance(java.time.Duration.ofSeconds(31));
        c.resend(started.loginId());
        String resent = server.lastSmsCode("alice");
        String wrong2 = resent.equals("000000") ? "111111" : "000000";
        assertThat(catchApi(() -> c.submitCode(started.loginId(), wrong2)).attemptsLeft()).isEqualTo(2);
        catchApi(() -> c.submitCode(started.loginId(), wrong2));
        assertThat(catchApi(() -> c.submitCode(started.loginId(), wrong2)).code()).isEqualTo("too_many_attempts");

        // across sign-ins: 30 wrong codes an hour per account, then none is even checked
        for (int signIn = 0; signIn < 5; signIn++) {
            var s = c.login("alice", "alice-pw".toCharArray(),
                    se.lu.lunarc.otp.client.HumanCheckSolver.solve(c.humanCheck()));
            String w = server.lastSmsCode("alice").equals("000000") ? "111111" : "000000";
            for (int i = 0; i < 5; i++) {
                catchApi(() -> c.submitCode(s.loginId(), w));
            }
        }
        server.clock.advance(java.time.Duration.ofMinutes(16)); // the per-user sign-in limit refills
        var last = c.login("alice", "alice-pw".toCharArray(),
                se.lu.lunarc.otp.client.HumanCheckSolver.solve(c.humanCheck()));
        var refused = catchApi(() -> c.submitCode(last.loginId(), server.lastSmsCode("alice")));
        assertThat(refused.code()).isEqualTo("rate_limited");
        assertThat(refused.retryAfterSeconds()).isPositive();
        server.clock.advance(java.time.Duration.ofHours(1));
        assertThat(server.signedIn("alice").me().username()).isEqualTo("alice");
    }

    /** Whether any column of a sign-in waiting in the store holds {@code code} in clear. */
    private boolean pendingLoginFieldsHold(String code) throws Exception {
        int rows = 0;
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("lunarc-otp.db"));
             var s = c.createStatement(); var r = s.executeQuery("SELECT * FROM pending_logins")) {
            while (r.next()) {
                rows++;
                for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
                    Object v = r.getObject(i);
                    if (v != null && (code.equals(v.toString()) || (v instanceof byte[] b
                            && new String(b, java.nio.charset.StandardCharsets.ISO_8859_1).contains(code)))) {
                        return true;
                    }
                }
            }
        }
        assertThat(rows).as("the sign-in is waiting in the store").isPositive();
        return false;
    }

    private static Object field(Object owner, String name) throws Exception {
        var f = owner.getClass().getDeclaredField(name);
        f.setAccessible(true);
        return f.get(owner);
    }

    @Test
    void finding6_usernamesAreBoundedBeforeAnythingIsKept() throws Exception {
        long auditBefore = java.nio.file.Files.size(server.backend().audit().file());
        String huge = "u".repeat(60_000);
        var c = server.client();
        for (String bad : List.of(huge, "alice bob", "../../etc", "-rf", "al\u0000ice", "\ud800x")) {
            assertThat(catchApi(() -> c.login(bad, "x".toCharArray(),
                    se.lu.lunarc.otp.client.HumanCheckSolver.solve(c.humanCheck()))).code())
                    .isEqualTo("invalid_credentials");
            assertThat(c.validate(server.serviceKey(), bad, "123456").accepted()).isFalse();
        }
        // made-up (but well-formed) names at /validate leave no row behind
        for (int i = 0; i < 200; i++) {
            c.validate(server.serviceKey(), "nobody" + i, "123456");
        }
        assertThat(validateFailureRows()).isZero();
        long grown = java.nio.file.Files.size(server.backend().audit().file()) - auditBefore;
        assertThat(grown).as("audit growth in bytes").isLessThan(100_000);
        assertThat(java.nio.file.Files.readString(server.backend().audit().file())).doesNotContain("uuuuuuuuuu");
        assertThat(server.signedIn("alice").me().username()).isEqualTo("alice");
    }

    private long validateFailureRows() throws Exception {
        try (var db = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("lunarc-otp.db"));
             var rs = db.createStatement().executeQuery("SELECT count(*) FROM code_failures")) {
            return rs.getLong(1);
        }
    }

    private static se.lu.lunarc.otp.client.ApiException catchApi(ThrowingCall call) {
        try {
            call.run();
        } catch (se.lu.lunarc.otp.client.ApiException e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("expected a refusal");
    }

    interface ThrowingCall {
        void run() throws Exception;
    }

    @Test
    void finding7_anyStringIsAuditedAndAnUnwritableAuditRefusesTheRequest() throws Exception {
        se.lu.lunarc.otp.server.audit.AuditLog log = server.backend().audit();
        log.record("test_event", "lone\ud800surrogate", "127.0.0.1", null, "tab\tnewline\nquote\"");
        List<String> lines = java.nio.file.Files.readAllLines(log.file());
        JsonNode last = JSON.readTree(lines.get(lines.size() - 1));
        assertThat(last.get("user").asText()).isEqualTo("lone\uFFFDsurrogate");
        assertThat(last.get("detail").asText()).isEqualTo("tab\tnewline\nquote\"");

        // the audit file becomes unwritable (a folder in its place: root may write any file)
        Path moved = dir.resolve("audit.moved");
        java.nio.file.Files.move(log.file(), moved);
        java.nio.file.Files.createDirectory(log.file());
        var c = server.client();
        se.lu.lunarc.otp.client.ApiException refused = catchApi(() -> c.login("alice", "alice-pw".toCharArray(),
                se.lu.lunarc.otp.client.HumanCheckSolver.solve(c.humanCheck())));
        assertThat(refused.code()).isEqualTo("service_unavailable");
        assertThat(refused.retryAfterSeconds()).isEqualTo(60L);
        assertThat(health()).as("a load balancer takes this node out").isEqualTo(503);
        assertThat(java.nio.file.Files.exists(server.config.sms().file())
                ? java.nio.file.Files.readString(server.config.sms().file()) : "").isEmpty();
        java.nio.file.Files.delete(log.file());
        java.nio.file.Files.move(moved, log.file());
        assertThat(server.signedIn("alice").me().username()).isEqualTo("alice");
    }

    @Test
    void finding12_supportedJettyAndPatchedLibraries() {
        assertThat(org.eclipse.jetty.util.Jetty.VERSION).startsWith("12.");
        assertThat(version(ch.qos.logback.classic.LoggerContext.class)).as("logback (CVE-2025-11226, CVE-2026-1225)")
                .isGreaterThanOrEqualTo(1_005_025L);
        assertThat(version(com.fasterxml.jackson.databind.ObjectMapper.class)).isGreaterThanOrEqualTo(2_021_000L);
    }

    /** The implementation version of the jar holding {@code type} as one number: 1.5.38 → 1005038. */
    private static long version(Class<?> type) {
        String v = type.getPackage().getImplementationVersion();
        assertThat(v).as(type + " has a version").isNotNull();
        String[] parts = v.split("[.-]");
        return Long.parseLong(parts[0]) * 1_000_000 + Long.parseLong(parts[1]) * 1_000 + Long.parseLong(parts[2]);
    }

    @Test
    void finding8_malformedRequestsAndWrongMethodsGetProblemJson() throws Exception {
        String end = "Host: x\r\nConnection: close\r\n\r\n";
        assertProblem(RawHttp.send(port, "GET /api/v1/%00 HTTP/1.1\r\n" + end), 400, "bad_request");
        assertProblem(RawHttp.send(port, "GET /api/v1/me HTTP/1.1\r\nX-Big: " + "a".repeat(9 * 1024) + "\r\n" + end),
                431, "bad_request");
        assertProblem(RawHttp.send(port, "GET /api/v1/" + "a".repeat(10_000) + " HTTP/1.1\r\n" + end), 414,
                "bad_request");
        assertThat(RawHttp.send(port, "GET /api/v1/me HTTP/1.2\r\n" + end).contentType())
                .startsWith("application/problem+json");
        assertProblem(RawHttp.send(port, "POST /api/v1/login HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 3\r\n"
                + end + "{}"), 400, "bad_request");
        assertProblem(RawHttp.send(port, "PUT /api/v1/me HTTP/1.1\r\n" + end), 405, "method_not_allowed");
        assertProblem(RawHttp.send(port, "GET /api/v1/login HTTP/1.1\r\n" + end), 405, "method_not_allowed");
        // an answer to HEAD has no body (RFC 9110 §9.3.2): status and type say it
        RawHttp.Answer head = RawHttp.send(port, "HEAD /api/v1/tokens HTTP/1.1\r\n" + end);
        assertThat(head.status()).isEqualTo(405);
        assertThat(head.contentType()).startsWith("application/problem+json");
        assertProblem(RawHttp.send(port, "get /api/v1/human-check HTTP/1.1\r\n" + end), 405, "method_not_allowed");
        assertProblem(RawHttp.send(port, "GET /nothing/here HTTP/1.1\r\n" + end), 404, "not_found");
    }

    @Test
    void finding9_answersAreNotCachedSniffedOrFramed() throws Exception {
        for (String path : List.of("/api/v1/human-check", "/api/v1/tokens", "/nothing")) {
            RawHttp.Answer a = RawHttp.send(port, "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertThat(a.header("Cache-Control")).as(path).isEqualTo("no-store");
            assertThat(a.header("X-Content-Type-Options")).as(path).isEqualTo("nosniff");
            assertThat(a.header("Content-Security-Policy")).as(path).startsWith("default-src 'none'");
            assertThat(a.header("Strict-Transport-Security")).as("plain HTTP: no HSTS").isNull();
        }
    }
}
