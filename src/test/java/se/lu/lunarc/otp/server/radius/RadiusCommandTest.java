package se.lu.lunarc.otp.server.radius;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.lu.lunarc.otp.Main;
import se.lu.lunarc.otp.testing.StandardError;
import se.lu.lunarc.otp.testing.CommandConfig;
import se.lu.lunarc.otp.testing.TestRadius;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code lunarc-otp server --config} with a {@code radius:} block, as an administrator starts it. */
class RadiusCommandTest {
    @TempDir
    Path dir;

    private Path config(int radiusPort, String secret) throws Exception {
        return CommandConfig.withRadius(dir, radiusPort, secret, "  withoutToken: sms");
    }

    @Test
    void theServerStartsRadiusFromItsConfigAndAnswersRadtest() throws Exception {
        RadiusTools.requireRadclient();
        int port = TestRadius.freeUdpPort();
        String secret = "a-long-enough-shared-secret";
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "server", "--config", config(port, secret).toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("RADIUS on udp")) {
                // the HTTP line comes first
            }
            assertThat(line).isEqualTo("RADIUS on udp 127.0.0.1:" + port);
            assertThat(RadClient.radtest("anna", "wrong", port, secret).received()).isEqualTo("Access-Reject");
            // no token yet, and the SMS fallback is on: a code is sent and asked for
            RadClient challenge = RadClient.radtest("anna", "anna-pw", port, secret);
            assertThat(challenge.received()).isEqualTo("Access-Challenge");
            // sent off the thread that answered: the line lands a moment after the challenge
            for (int i = 0; i < 50 && !(Files.exists(dir.resolve("outbox.jsonl"))
                    && Files.readString(dir.resolve("outbox.jsonl")).contains("+46701740611")); i++) {
                Thread.sleep(100);
            }
            assertThat(Files.readString(dir.resolve("outbox.jsonl"))).contains("+46701740611");
            assertThat(Files.readString(dir.resolve("data/audit.jsonl"))).contains("\"nas\":\"login-nodes\"");
        } finally {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void listeningOnPortZeroSaysThePortBound() throws Exception {
        RadiusTools.requireRadclient();
        String secret = "a-long-enough-shared-secret";
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "server", "--config", config(0, secret).toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("RADIUS on udp")) {
                // the HTTP line comes first
            }
            assertThat(line).matches("RADIUS on udp 127\\.0\\.0\\.1:\\d+").isNotEqualTo("RADIUS on udp 127.0.0.1:0");
            int port = Integer.parseInt(line.substring(line.lastIndexOf(':') + 1));
            assertThat(RadClient.radtest("anna", "wrong", port, secret).received()).as("on the port it said")
                    .isEqualTo("Access-Reject");
        } finally {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aShortSharedSecretIsRefusedAtStartWithoutShowingIt() throws Exception {
        Path config = config(TestRadius.freeUdpPort(), "short-secret");
        StandardError.Run run = StandardError.capture(() -> se.lu.lunarc.otp.Cli.commandLine().execute("server", "--config",
                config.toString()));
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.printed()).contains("shorter than 16 bytes", "nas.secret")
                .doesNotContain("short-secret").doesNotContain("\tat ");
    }
}
