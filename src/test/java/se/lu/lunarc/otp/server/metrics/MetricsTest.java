package se.lu.lunarc.otp.server.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.lu.lunarc.otp.Main;
import se.lu.lunarc.otp.api.CreatedToken;
import se.lu.lunarc.otp.client.ApiException;
import se.lu.lunarc.otp.client.EnrollmentClient;
import se.lu.lunarc.otp.client.HumanCheckSolver;
import se.lu.lunarc.otp.server.radius.RadClient;
import se.lu.lunarc.otp.server.radius.RadiusTools;
import se.lu.lunarc.otp.testing.CommandConfig;
import se.lu.lunarc.otp.testing.Http;
import se.lu.lunarc.otp.testing.Promtool;
import se.lu.lunarc.otp.testing.Scrape;
import se.lu.lunarc.otp.testing.TestRadius;
import se.lu.lunarc.otp.testing.TestServer;
import se.lu.lunarc.otp.testing.TestRadius;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The metrics a site alerts on, read as Prometheus reads them: what a sign-in, an enrollment and the cluster's
 * logins count, that no series names a user, an address or a secret, that {@code promtool check metrics} takes the
 * output, and that the shipped dashboard asks only for series that exist.
 */
class MetricsTest {
    static final Path DASHBOARD = Path.of("packaging/monitoring/lunarc-otp-dashboard.json");

    @TempDir
    Path dir;

    private static Scrape scrape(int port) throws Exception {
        var answer = Http.get("http://127.0.0.1:" + port + "/metrics");
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain; version=0.0.4");
        return new Scrape(answer.body());
    }

    private static String wrong(String code) {
        return code.equals("000000") ? "111111" : "000000";
    }

    @Test
    void aScrapeCountsWhatHappenedNamesNobodyAndPromtoolTakesIt() throws Exception {
        RadiusTools.requireRadclient();
        try (TestServer server = TestServer.start(dir, c -> c.withMetrics(new MetricsConfig("127.0.0.1:0")));
             MetricsServer endpoint = MetricsServer.start(server.config.metrics(), server.backend().metrics());
             TestRadius radius = TestRadius.start(server, "otp-only", "reject", false)) {
            EnrollmentClient stranger = server.client();
            catchThrowableOfType(ApiException.class, () -> stranger.login("alice", "not-it".toCharArray(),
                    HumanCheckSolver.solve(stranger.humanCheck())));
            CreatedToken phone = server.enrolled("alice", "Phone");
            String smsCode = server.lastSmsCode("alice");
            String key = server.serviceKey();
            EnrollmentClient bridge = server.client();
            String code = server.codeNow(phone);
            assertThat(bridge.validate(key, "alice", code, "login1.cluster").accepted()).isTrue();
            assertThat(bridge.validate(key, "alice", code, "login1.cluster").accepted()).as("a replay").isFalse();
            for (int i = 0; i < 5; i++) { // the fifth wrong code in a row makes that place wait
                bridge.validate(key, "alice", wrong(server.codeNow(phone)), "login2.cluster");
            }
            // the cluster's login over RADIUS: a code refused, and a request signed with another secret
            assertThat(RadClient.radtest("alice", wrong(server.codeNow(phone)), radius.port, radius.secret)
                    .received()).isEqualTo("Access-Reject");
            assertThat(RadClient.send(radius.port, "not-the-shared-secret", "User-Name = alice",
                    "User-Password = 123456", "Message-Authenticator = 0x00").received()).isNull();

            // the JVM's GC pause series exists once a collection has happened since the registry was made: on a
            // quiet run there may have been none, so one is asked for (as any running server soon has)
            Scrape scraped = scrape(endpoint.port());
            for (int i = 0; i < 50 && !scraped.has("jvm_gc_pause_seconds_sum"); i++) {
                System.gc();
                Thread.sleep(100);
                scraped = scrape(endpoint.port());
            }
            Scrape s = scraped;
            assertThat(s.value("lunarc_otp_signins_total", Map.of("result", "wrong_password"))).isEqualTo(1);
            assertThat(s.value("lunarc_otp_signins_total", Map.of("result", "password_ok"))).isEqualTo(1);
            assertThat(s.value("lunarc_otp_signins_total", Map.of("result", "ok"))).isEqualTo(1);
            assertThat(s.value("lunarc_otp_sms_total", Map.of("result", "sent"))).isEqualTo(1);
            assertThat(s.value("lunarc_otp_codes_total", Map.of("path", "http", "result", "accepted"))).isEqualTo(1);
            assertThat(s.value("lunarc_otp_codes_total", Map.of("path", "http", "reason", "code_replayed")))
                    .isEqualTo(1);
            assertThat(s.value("lunarc_otp_codes_total", Map.of("path", "http", "reason", "code_invalid")))
                    .isEqualTo(5);
            assertThat(s.value("lunarc_otp_token_changes_total", Map.of("event", "token_created"))).isEqualTo(1);
            assertThat(s.value("lunarc_otp_token_changes_total", Map.of("event", "token_activated"))).isEqualTo(1);
            assertThat(s.value("lunarc_otp_validate_seconds_count")).as("every /validate timed").isEqualTo(7);
            assertThat(s.value("lunarc_otp_codes_total", Map.of("path", "radius", "result", "refused"))).isEqualTo(1);
            assertThat(s.value("lunarc_otp_radius_dropped_total", Map.of("reason", "message_authenticator_invalid")))
                    .isPositive();
            assertThat(s.value("lunarc_otp_validate_seconds_bucket", Map.of("le", "+Inf"))).isEqualTo(7);
            assertThat(s.value("lunarc_otp_store_seconds_count", Map.of("kind", "write"))).isPositive();
            assertThat(s.value("lunarc_otp_store_seconds_count", Map.of("kind", "read"))).isPositive();
            assertThat(s.value("lunarc_otp_store_errors_total")).isZero();
            assertThat(s.value("lunarc_otp_throttled_sources", Map.of("kind", "code"))).as("login2 waits").isEqualTo(1);
            assertThat(s.value("lunarc_otp_throttled_sources", Map.of("kind", "password"))).isZero();
            assertThat(s.value("lunarc_otp_ready")).isEqualTo(1);
            assertThat(s.has("jvm_memory_used_bytes")).isTrue();
            assertThat(s.has("jvm_gc_memory_allocated_bytes_total") || s.has("jvm_gc_pause_seconds_count")).isTrue();
            assertThat(s.has("process_uptime_seconds")).isTrue();

            // nothing that names a person, a place or a secret
            assertThat(s.text()).doesNotContain("alice", "login1", "login2", "127.0.0.1", phone.token().id(),
                    phone.enrollment().secret(), key, smsCode, radius.secret);
            for (String line : s.text().lines().filter(l -> l.startsWith("lunarc_otp_")).toList()) {
                assertThat(line).as("a known reason").doesNotContain("reason=\"other\"");
            }

            Promtool check = Promtool.run(s.text(), "check", "metrics");
            assertThat(check.exit()).as(check.output()).isZero();

            // the dashboard asks for series that are there
            Set<String> asked = new TreeSet<>();
            for (JsonNode panel : new ObjectMapper().readTree(DASHBOARD.toFile()).get("panels")) {
                for (JsonNode target : panel.get("targets")) {
                    Matcher m = Pattern.compile("\\b((?:lunarc_otp|jvm|process)_[a-z_]+)").matcher(
                            target.get("expr").asText());
                    while (m.find()) {
                        asked.add(m.group(1));
                    }
                }
            }
            assertThat(asked).hasSizeGreaterThan(10);
            assertThat(asked).allSatisfy(name -> assertThat(s.has(name)).as(name + " in the scrape").isTrue());

            var other = Http.get("http://127.0.0.1:" + endpoint.port() + "/api/v1/health");
            assertThat(other.statusCode()).as("only /metrics is served there").isEqualTo(404);
        }
    }

    @Test
    void withoutAMetricsBlockNothingIsCounted() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            server.enrolled("alice", "Phone");
            assertThat(server.backend().metrics().on()).isFalse();
            assertThat(server.backend().metrics().scrape()).isEmpty();
        }
    }

    @Test
    void theServerCommandServesMetricsBesideRadiusAndCountsTheNasPackets() throws Exception {
        RadiusTools.requireRadclient();
        String secret = "a-long-enough-shared-secret";
        int radius = TestRadius.freeUdpPort();
        Path config = CommandConfig.withRadius(dir, radius, secret, "metrics:", "  listen: 127.0.0.1:0");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "server", "--config", config.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("Metrics on ")) {
                // the RADIUS line comes first
            }
            assertThat(line).matches("Metrics on http://127\\.0\\.0\\.1:\\d+/metrics");
            int port = Integer.parseInt(line.replaceAll(".*:(\\d+)/metrics", "$1"));

            assertThat(RadClient.radtest("anna", "wrong", radius, secret).received()).isEqualTo("Access-Reject");
            // a request signed (Message-Authenticator) with another secret is dropped
            assertThat(RadClient.send(radius, "not-the-secret-at-all", "User-Name = anna", "User-Password = wrong",
                    "Message-Authenticator = 0x00").received()).isNull();
            Scrape s = scrape(port);
            assertThat(s.value("lunarc_otp_radius_packets_total", Map.of("direction", "in", "type", "access_request")))
                    .as("requests decoded").isEqualTo(1);
            assertThat(s.value("lunarc_otp_radius_packets_total", Map.of("direction", "out", "type", "access_reject")))
                    .isEqualTo(1);
            assertThat(s.value("lunarc_otp_radius_dropped_total", Map.of("reason", "message_authenticator_invalid")))
                    .isEqualTo(1);
            assertThat(s.value("lunarc_otp_codes_total", Map.of("path", "radius", "result", "refused",
                    "reason", "invalid_credentials"))).isEqualTo(1);
            assertThat(s.value("lunarc_otp_radius_seconds_count")).isEqualTo(1);
            assertThat(s.text()).doesNotContain("anna", "login-nodes");
        } finally {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
