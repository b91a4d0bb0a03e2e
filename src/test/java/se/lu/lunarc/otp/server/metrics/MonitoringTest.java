package se.lu.lunarc.otp.server.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.lu.lunarc.otp.testing.Prometheus;
import se.lu.lunarc.otp.testing.Promtool;
import se.lu.lunarc.otp.testing.TestServer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What ships under packaging/monitoring/, run by the real Prometheus tools: the rules pass {@code promtool check
 * rules}, each alert fires in {@code promtool test rules} on the series it is for, and a real Prometheus scrapes a
 * running server, loads the rules and answers every query of the dashboard.
 */
class MonitoringTest {
    static final Path MONITORING = Path.of("packaging/monitoring");
    static final Path RULES = MONITORING.resolve("alerts.yml");

    @TempDir
    Path dir;

    private static List<String> alertNames() throws Exception {
        List<String> names = new ArrayList<>();
        for (JsonNode group : new ObjectMapper(new YAMLFactory()).readTree(RULES.toFile()).get("groups")) {
            for (JsonNode rule : group.get("rules")) {
                names.add(rule.get("alert").asText());
            }
        }
        return names;
    }

    @Test
    void theRulesPassPromtoolAndEachAlertIsShownFiring() throws Exception {
        Promtool check = Promtool.run(null, "check", "rules", RULES.toString());
        assertThat(check.exit()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS: 6 rules found");

        Promtool test = Promtool.run(null, "test", "rules", MONITORING.resolve("alerts.test.yml").toString());
        assertThat(test.exit()).as(test.output()).isZero();
        assertThat(test.output()).contains("SUCCESS");

        // every alert has a case in which it fires: the store or the directory down, RADIUS rejects above their
        // baseline, a spike in replays, SMS failing, and the node itself gone
        Set<String> firing = new TreeSet<>();
        for (JsonNode t : new ObjectMapper(new YAMLFactory()).readTree(MONITORING.resolve("alerts.test.yml").toFile())
                .get("tests")) {
            for (JsonNode a : t.get("alert_rule_test")) {
                if (a.get("exp_alerts").size() > 0) {
                    firing.add(a.get("alertname").asText());
                }
            }
        }
        assertThat(firing).containsExactlyInAnyOrderElementsOf(alertNames());
    }

    @Test
    void aRealPrometheusScrapesTheServerLoadsTheRulesAndAnswersTheDashboardsQueries() throws Exception {
        try (TestServer server = TestServer.start(dir.resolve("server"),
                c -> c.withMetrics(new MetricsConfig("127.0.0.1:0")));
             MetricsServer endpoint = MetricsServer.start(server.config.metrics(), server.backend().metrics());
             Prometheus prometheus = Prometheus.start(dir.resolve("prometheus"), "127.0.0.1:" + endpoint.port(),
                     RULES)) {
            assertThat(prometheus.valueWithin("up{job=\"lunarc-otp\"}", Duration.ofSeconds(20), 1))
                    .as(prometheus.log()).isEqualTo(1);
            server.enrolled("alice", "Phone");
            assertThat(prometheus.valueWithin("lunarc_otp_signins_total{job=\"lunarc-otp\",result=\"ok\"}",
                    Duration.ofSeconds(20), 1)).as("the sign-in, once scraped").isEqualTo(1);
            assertThat(prometheus.valueWithin("lunarc_otp_token_changes_total{event=\"token_activated\"}",
                    Duration.ofSeconds(20), 1)).isEqualTo(1);
            assertThat(prometheus.valueWithin("lunarc_otp_ready", Duration.ofSeconds(5), 1)).isEqualTo(1);

            JsonNode groups = prometheus.get("/api/v1/rules").path("data").path("groups");
            assertThat(groups).hasSize(1);
            List<String> loaded = new ArrayList<>();
            for (JsonNode rule : groups.get(0).get("rules")) {
                loaded.add(rule.get("name").asText());
                assertThat(rule.get("health").asText()).as(rule.get("name").asText()).isEqualTo("ok");
            }
            assertThat(loaded).containsExactlyElementsOf(alertNames());
            assertThat(prometheus.query("ALERTS{alertstate=\"firing\"}").path("data").path("result"))
                    .as("a healthy node raises nothing").isEmpty();

            for (JsonNode panel : new ObjectMapper().readTree(MetricsTest.DASHBOARD.toFile()).get("panels")) {
                for (JsonNode target : panel.get("targets")) {
                    String expr = target.get("expr").asText().replace("$instance", ".*");
                    JsonNode answer = prometheus.query(expr);
                    assertThat(answer.get("status").asText()).as(panel.get("title").asText() + ": " + expr + " "
                            + answer).isEqualTo("success");
                }
            }
        }
    }
}
