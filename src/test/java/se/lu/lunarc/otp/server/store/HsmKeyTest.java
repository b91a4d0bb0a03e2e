package se.lu.lunarc.otp.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.lu.lunarc.otp.api.CreatedToken;
import se.lu.lunarc.otp.testing.CliRun;
import se.lu.lunarc.otp.testing.SoftHsm;
import se.lu.lunarc.otp.testing.TestServer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The store key in a real PKCS#11 token (SoftHSM2), used through SunPKCS11 and never leaving it: enroll, log in,
 * restart, rotate to a new key in the token while users log in, and move a site's file key into the token.
 */
class HsmKeyTest {
    @TempDir
    Path dir;

    private static boolean logsIn(TestServer server, String user, CreatedToken token) throws Exception {
        return server.client().validate(server.serviceKey(), user, server.codeNow(token), "10.0.0.1").accepted();
    }

    private static String keyFile(TestServer server) throws Exception {
        return Files.readString(server.dir.resolve("secret.key"), StandardCharsets.US_ASCII).strip();
    }

    @Test
    void enrollLogInRestartAndRotateWithTheKeyInTheToken() throws Exception {
        SoftHsm hsm = SoftHsm.token();
        Path data = dir.resolve("data");
        try (TestServer server = TestServer.start(data, 1, c -> c.withStore(hsm.sqliteStore("site-a")))) {
            CreatedToken phone = server.enrolled("alice", "Phone");
            assertThat(logsIn(server, "alice", phone)).isTrue();
            assertThat(keyFile(server)).as("the data folder names the key, and holds none")
                    .isEqualTo("pkcs11:label=site-a");
            assertThat(hsm.keyLabels()).contains("site-a");
            assertThat(hsm.encodedKey("site-a")).as("the token never gives the key out").isNull();

            server.restart();
            server.clock.advance(Duration.ofSeconds(30));
            assertThat(logsIn(server, "alice", phone)).as("after a restart").isTrue();

            // a rotation to a new key in the token, with a user logging in meanwhile
            CreatedToken second = server.enrolled("user00", "Phone");
            Path config = dir.resolve("server.yaml");
            Files.writeString(config, "listen: 127.0.0.1:0\ndataDir: data\nusers: {file: users.yaml}\n"
                    + hsm.storeYaml("site-a"));
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger refused = new AtomicInteger();
            AtomicInteger accepted = new AtomicInteger();
            CompletableFuture<Void> logins = CompletableFuture.runAsync(() -> {
                try {
                    while (!stop.get()) {
                        server.clock.advance(Duration.ofSeconds(30));
                        (logsIn(server, "user00", second) ? accepted : refused).incrementAndGet();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            CliRun rotated = CliRun.of(List.of("server"), "rotate-key", "--config", config.toString(), "--json");
            stop.set(true);
            logins.join();
            assertThat(rotated.exit()).as(rotated.err()).isZero();
            JsonNode out = new ObjectMapper().readTree(rotated.out());
            assertThat(out.get("resealed").asInt()).isEqualTo(2);
            assertThat(refused.get()).as("logins refused during the rotation").isZero();
            assertThat(accepted.get()).isPositive();
            String newLabel = keyFile(server).substring("pkcs11:label=".length());
            assertThat(newLabel).startsWith("site-a-").isNotEqualTo("site-a");
            assertThat(hsm.encodedKey(newLabel)).isNull();
            assertThat(Files.readString(Path.of(out.get("retiredKey").asText())).strip())
                    .isEqualTo("pkcs11:label=site-a");

            server.restart();
            server.clock.advance(Duration.ofSeconds(30));
            assertThat(logsIn(server, "alice", phone)).as("on the new key, after a restart").isTrue();
        }
    }

    @Test
    void aSitesFileKeyMovesIntoTheTokenByARotation() throws Exception {
        SoftHsm hsm = SoftHsm.token();
        Path data = dir.resolve("data");
        CreatedToken phone;
        java.time.Instant at;
        try (TestServer server = TestServer.start(data)) {
            phone = server.enrolled("alice", "Phone");
            at = server.clock.instant();
        }
        byte[] fileKey = Files.readAllBytes(data.resolve("secret.key"));
        assertThat(fileKey).hasSize(32);
        Path config = dir.resolve("server.yaml");
        Files.writeString(config, "listen: 127.0.0.1:0\ndataDir: data\nusers: {file: users.yaml}\n"
                + hsm.storeYaml("site-b"));
        CliRun rotated = CliRun.of(List.of("server"), "rotate-key", "--config", config.toString(), "--json");
        assertThat(rotated.exit()).as(rotated.err()).isZero();
        JsonNode out = new ObjectMapper().readTree(rotated.out());
        assertThat(Files.readAllBytes(Path.of(out.get("retiredKey").asText()))).as("the file key, to shred")
                .isEqualTo(fileKey);
        try (TestServer server = TestServer.start(data, c -> c.withStore(hsm.sqliteStore("site-b")))) {
            server.clock.advance(Duration.between(server.clock.instant(), at).plusSeconds(30));
            assertThat(keyFile(server)).startsWith("pkcs11:label=site-b-");
            assertThat(logsIn(server, "alice", phone)).isTrue();
        }
    }
}
