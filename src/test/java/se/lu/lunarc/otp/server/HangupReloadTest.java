package se.lu.lunarc.otp.server;

import org.aaa4j.radius.core.packet.Packet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.lu.lunarc.otp.Main;
import se.lu.lunarc.otp.client.ApiException;
import se.lu.lunarc.otp.client.ClientOptions;
import se.lu.lunarc.otp.client.EnrollmentClient;
import se.lu.lunarc.otp.testing.CommandConfig;
import se.lu.lunarc.otp.testing.RawRadiusClient;
import se.lu.lunarc.otp.testing.TestRadius;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * {@code systemctl reload} on the real command, as its own process: SIGHUP takes a second service key (the old one
 * still works until its line is removed), a new RADIUS shared secret and client list, never drops a request that
 * is being answered, and a broken file keeps what is in use.
 */
class HangupReloadTest {
    private static final String OLD_KEY = "old-service-key-0123456789abcdef0123456789";
    private static final String NEW_KEY = "new-service-key-0123456789abcdef0123456789";
    private static final String SECRET = "a-long-enough-shared-secret";
    private static final String NEW_SECRET = "the-next-shared-secret-for-nodes";

    @TempDir
    Path dir;

    private static void hangUp(Process p) throws Exception {
        assertThat(new ProcessBuilder("kill", "-HUP", Long.toString(p.pid())).start().waitFor()).isZero();
    }

    /** Waits until the audit log has {@code n} lines with {@code event}. */
    private void awaitEvent(String event, int n) throws Exception {
        Path audit = dir.resolve("data/audit.jsonl");
        for (int i = 0; i < 100; i++) {
            if (Files.exists(audit) && Files.readString(audit).split("\"event\":\"" + event + "\"", -1).length > n) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + event + " in the audit log");
    }

    private static boolean keyAccepted(EnrollmentClient c, String key) throws Exception {
        ApiException refused = catchThrowableOfType(() -> c.validate(key, "anna", "123456", "10.0.0.1"),
                ApiException.class);
        if (refused != null) {
            assertThat(refused.code()).isEqualTo("service_key_invalid");
        }
        return refused == null;
    }

    @Test
    void sighupTakesNewKeysAndClientsWithoutDroppingARequest() throws Exception {
        int port = TestRadius.freeUdpPort();
        Path keys = dir.resolve("service-keys");
        Files.writeString(keys, OLD_KEY + "\n");
        Path config = CommandConfig.withRadius(dir, port, SECRET, "serviceKeyFile: service-keys");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "server", "--config",
                config.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            URI base = null;
            while ((line = out.readLine()) != null && !line.startsWith("Listening on ")) {
                // RADIUS comes first
            }
            base = URI.create(line.substring("Listening on ".length()));
            EnrollmentClient http = new EnrollmentClient(ClientOptions.of(base).withEnvironment(Map.of()));
            assertThat(keyAccepted(http, OLD_KEY)).isTrue();
            assertThat(keyAccepted(http, NEW_KEY)).isFalse();

            // a second key, rolled out beside the first
            Files.writeString(keys, "# rolled out 2026-12-08\n" + OLD_KEY + "\n" + NEW_KEY + "\n");
            // NASes keep asking while the server reloads: every request is answered
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger answered = new AtomicInteger();
            AtomicInteger unanswered = new AtomicInteger();
            CompletableFuture<Void> nas = CompletableFuture.runAsync(() -> {
                try (RawRadiusClient c = new RawRadiusClient(InetAddress.getByName("127.0.0.1"), port, SECRET, 3000)) {
                    while (!stop.get()) {
                        Packet answer = c.send(c.accessRequest("anna", "wrong", null, true));
                        (answer != null ? answered : unanswered).incrementAndGet();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // and the login bridge keeps calling /validate with the old key meanwhile: never refused
            AtomicInteger keyRefused = new AtomicInteger();
            AtomicInteger keyTaken = new AtomicInteger();
            CompletableFuture<Void> bridge = CompletableFuture.runAsync(() -> {
                try {
                    while (!stop.get()) {
                        (keyAccepted(http, OLD_KEY) ? keyTaken : keyRefused).incrementAndGet();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            while (answered.get() < 5 || keyTaken.get() < 5) {
                Thread.sleep(20);
            }
            for (int i = 1; i <= 5; i++) {
                hangUp(p);
                awaitEvent("config_reloaded", i);
            }
            stop.set(true);
            nas.join();
            bridge.join();
            assertThat(unanswered.get()).as("requests dropped across 5 reloads").isZero();
            assertThat(keyRefused.get()).as("validate calls with the old key refused across 5 reloads").isZero();
            assertThat(answered.get()).isGreaterThan(5);
            assertThat(keyAccepted(http, NEW_KEY)).as("the new key").isTrue();
            assertThat(keyAccepted(http, OLD_KEY)).as("the old key, until its line goes").isTrue();

            // the old key's line removed, the NASes given a new secret and a narrower list
            Files.writeString(keys, NEW_KEY + "\n");
            Files.writeString(dir.resolve("nas.secret"), NEW_SECRET + "\n");
            Files.writeString(config, Files.readString(config).replace("{name: login-nodes, address: 127.0.0.0/8",
                    "{name: login-node-1, address: 127.0.0.1/32"));
            hangUp(p);
            awaitEvent("config_reloaded", 6);
            assertThat(keyAccepted(http, OLD_KEY)).as("the old key, removed").isFalse();
            assertThat(keyAccepted(http, NEW_KEY)).isTrue();
            try (RawRadiusClient c = new RawRadiusClient(InetAddress.getByName("127.0.0.1"), port, NEW_SECRET, 2000);
                 RawRadiusClient old = new RawRadiusClient(InetAddress.getByName("127.0.0.1"), port, SECRET, 1000);
                 RawRadiusClient gone = new RawRadiusClient(InetAddress.getByName("127.0.0.2"), port, NEW_SECRET,
                         1000)) {
                assertThat(c.send(c.accessRequest("anna", "wrong", null, true))).as("the new secret").isNotNull();
                assertThat(old.send(old.accessRequest("anna", "wrong", null, true))).as("the old secret").isNull();
                assertThat(gone.send(gone.accessRequest("anna", "wrong", null, true)))
                        .as("an address no longer in the list").isNull();
            }
            assertThat(Files.readString(dir.resolve("data/audit.jsonl"))).contains("\"nas\":\"login-node-1\"");

            // a broken file: what is in use stays
            Files.writeString(keys, "too-short\n");
            hangUp(p);
            awaitEvent("config_reload_refused", 1);
            assertThat(keyAccepted(http, NEW_KEY)).isTrue();
            assertThat(Files.readString(dir.resolve("data/audit.jsonl"))).doesNotContain("too-short", NEW_KEY,
                    NEW_SECRET);
        } finally {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
