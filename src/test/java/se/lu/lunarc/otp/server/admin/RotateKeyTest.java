package se.lu.lunarc.otp.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import se.lu.lunarc.otp.api.CreatedToken;
import se.lu.lunarc.otp.otp.Totp;
import se.lu.lunarc.otp.server.store.KeyCheck;
import se.lu.lunarc.otp.server.store.KeyRotation;
import se.lu.lunarc.otp.server.store.SecretCipher;
import se.lu.lunarc.otp.server.tokens.TokenService;
import se.lu.lunarc.otp.testing.CliRun;
import se.lu.lunarc.otp.testing.HardwareFobs;
import se.lu.lunarc.otp.testing.PostgresPerClass;
import se.lu.lunarc.otp.testing.TestServer;
import se.lu.lunarc.otp.testing.TwoNodes;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code server rotate-key} while users log in: on SQLite (one node) and on PostgreSQL with two nodes, every
 * token secret and hardware seed ends up sealed with the new key, no login is refused meanwhile, the key check then
 * names the new key (a node with only the old one does not start), and the old key is set aside to be destroyed.
 */
class RotateKeyTest {
    @RegisterExtension
    static final PostgresPerClass postgres = new PostgresPerClass();

    private static final byte[] FOB_SEED = "a fob's seed, twenty".getBytes(StandardCharsets.US_ASCII);
    private static final int MORE_TOKENS = 1500;

    @TempDir
    Path dir;

    private static CliRun rotate(Path config, String... more) {
        List<String> args = new ArrayList<>(List.of("rotate-key", "--config", config.toString(), "--json"));
        args.addAll(List.of(more));
        return CliRun.of(List.of("server"), args.toArray(String[]::new));
    }

    /** Tokens of users who never log in here, so that the rotation has rows to work through. */
    private static void manyTokens(TestServer server) throws Exception {
        TokenService tokens = server.backend().tokens();
        for (int i = 0; i < MORE_TOKENS; i++) {
            tokens.create(String.format("bulk%05d", i), "Phone", "10.9.0.1");
        }
    }

    /** Logs the phones in, a round per time step, until stopped; counts the refusals. */
    private static final class Logins {
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicInteger accepted = new AtomicInteger();
        final List<String> refused = java.util.Collections.synchronizedList(new ArrayList<>());
        final CompletableFuture<Void> done;

        Logins(List<TestServer> nodes, List<String> users, List<CreatedToken> phones, Runnable nextStep) {
            done = CompletableFuture.runAsync(() -> {
                try {
                    List<String> keys = new ArrayList<>();
                    for (TestServer n : nodes) {
                        keys.add(n.serviceKey());
                    }
                    for (int round = 0; !stop.get(); round++) {
                        nextStep.run();
                        for (int i = 0; i < phones.size(); i++) {
                            TestServer node = nodes.get((round + i) % nodes.size());
                            var answer = node.client().validate(keys.get(nodes.indexOf(node)), users.get(i),
                                    node.codeNow(phones.get(i)), "10.0.0." + (i + 1));
                            if (answer.accepted()) {
                                accepted.incrementAndGet();
                            } else {
                                refused.add(users.get(i) + ": " + answer.reason());
                            }
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        void stopAndCheck(String when) {
            stop.set(true);
            done.join();
            assertThat(refused).as("logins refused " + when).isEmpty();
            assertThat(accepted.get()).as("logins " + when).isPositive();
        }
    }

    @Test
    void oneNodeOnSqliteRotatesWhileUsersLogIn() throws Exception {
        Path config = dir.resolve("server.yaml");
        Files.writeString(config, "listen: 127.0.0.1:0\ndataDir: data\nusers: {file: users.yaml}\n");
        try (TestServer server = TestServer.start(dir.resolve("data"), TestServer.limitsLoadNeverReaches(), 3,
                c -> c)) {
            HardwareFobs.importInto(server, dir, HardwareFobs.write(dir.resolve("fobs.pskc"), FOB_SEED, "FOB-0001"));
            List<String> users = List.of("alice", "user00", "user01", "user02");
            List<CreatedToken> phones = new ArrayList<>();
            for (String u : users) {
                phones.add(server.enrolled(u, "Phone"));
            }
            manyTokens(server);
            Path key = server.dir.resolve("secret.key");
            byte[] oldKey = Files.readAllBytes(key);

            Logins logins = new Logins(List.of(server), users, phones,
                    () -> server.clock.advance(Duration.ofSeconds(30)));
            CliRun rotated = rotate(config);
            logins.stopAndCheck("during the rotation");
            assertThat(rotated.exit()).as(rotated.err()).isZero();
            JsonNode out = new ObjectMapper().readTree(rotated.out());
            int expected = users.size() + MORE_TOKENS + 1; // the phones, the bulk tokens and the fob's seed
            assertThat(out.get("resealed").asInt()).isEqualTo(expected);
            System.out.println("rotate-key re-sealed " + expected + " secrets in " + out.get("millis") + " ms "
                    + "(SQLite, " + logins.accepted.get() + " logins accepted meanwhile)");

            Path retired = Path.of(out.get("retiredKey").asText());
            assertThat(Files.readAllBytes(retired)).as("the old key, set aside").isEqualTo(oldKey);
            assertThat(Files.readAllBytes(key)).as("the new key").hasSize(32).isNotEqualTo(oldKey);
            assertThat(server.dir.resolve("secret.key" + SecretCipher.NEXT)).doesNotExist();
            SecretCipher newOnly = SecretCipher.fromKeyFile(key);
            assertThat(KeyRotation.countNotNewest(server.backend().db(), newOnly)).isZero();
            assertThat(Files.readString(server.dir.resolve("audit.jsonl")))
                    .contains("\"event\":\"store_key_rotated\"", "resealed=" + expected);

            // the running server seals with the new key, and opens with it after a restart
            server.clock.advance(Duration.ofSeconds(30));
            CreatedToken after = server.enrolled("user02", "Second phone");
            server.restart();
            server.clock.advance(Duration.ofSeconds(30));
            String serviceKey = server.serviceKey();
            for (int i = 0; i < users.size(); i++) {
                assertThat(server.client().validate(serviceKey, users.get(i), server.codeNow(phones.get(i)),
                        "10.0.1.1").accepted()).as(users.get(i)).isTrue();
            }
            assertThat(server.client().validate(serviceKey, "user02", server.codeNow(after), "10.0.1.2").accepted())
                    .isTrue();
            Totp fob = new Totp("SHA1", 6, 30);
            assertThat(server.signedIn("alice").registerHardwareToken("FOB-0001",
                    fob.code(FOB_SEED, server.clock.instant())).name()).as("the re-sealed seed opens").isNotNull();

            // the key check names the new key: a node with the old one is refused at start
            Path stale = dir.resolve("stale");
            Files.createDirectories(stale);
            Files.write(stale.resolve("secret.key"), oldKey);
            Files.setPosixFilePermissions(stale.resolve("secret.key"), PosixFilePermissions.fromString("rw-------"));
            assertThatThrownBy(() -> se.lu.lunarc.otp.server.store.Database.open(server.dir.resolve("lunarc-otp.db"),
                    KeyCheck.verification(SecretCipher.fromKeyFile(stale.resolve("secret.key")), "old key")))
                    .isInstanceOf(KeyCheck.WrongKey.class);
        }
    }

    @Test
    void twoNodesOnPostgresqlRotateWhileUsersLogInOnBoth() throws Exception {
        try (TwoNodes nodes = TwoNodes.start(postgres.server(), dir.resolve("nodes"),
                TestServer.limitsLoadNeverReaches(), 3)) {
            Path config = dir.resolve("a.yaml");
            Files.writeString(config, "listen: 127.0.0.1:0\ndataDir: " + nodes.a.dir + "\nusers: {file: users.yaml}\n"
                    + "store: {type: postgresql, url: \"" + nodes.url + "\", user: lunarc_otp, passwordFile: "
                    + nodes.passwordFile + "}\n");
            List<String> users = List.of("alice", "user00", "user01", "user02");
            List<CreatedToken> phones = new ArrayList<>();
            for (String u : users) {
                phones.add(nodes.a.enrolled(u, "Phone"));
            }
            nodes.b.clock.advance(Duration.between(nodes.b.clock.instant(), nodes.a.clock.instant()));
            manyTokens(nodes.a);

            CliRun prepared = rotate(config);
            assertThat(prepared.exit()).as(prepared.err()).isZero();
            assertThat(new ObjectMapper().readTree(prepared.out()).get("made").asBoolean())
                    .as("with a shared store, the first run only makes the new key").isTrue();
            Path next = nodes.a.dir.resolve("secret.key" + SecretCipher.NEXT);
            Path nextOnB = nodes.b.dir.resolve("secret.key" + SecretCipher.NEXT);
            Files.copy(next, nextOnB);
            Files.setPosixFilePermissions(nextOnB, PosixFilePermissions.fromString("rw-------"));

            Logins logins = new Logins(List.of(nodes.a, nodes.b), users, phones,
                    () -> nodes.advance(Duration.ofSeconds(30)));
            CliRun rotated = rotate(config);
            logins.stopAndCheck("on two nodes during the rotation");
            assertThat(rotated.exit()).as(rotated.err()).isZero();
            JsonNode out = new ObjectMapper().readTree(rotated.out());
            assertThat(out.get("resealed").asInt()).isEqualTo(users.size() + MORE_TOKENS);
            System.out.println("rotate-key re-sealed " + out.get("resealed") + " secrets in " + out.get("millis")
                    + " ms (PostgreSQL, two nodes, " + logins.accepted.get() + " logins accepted meanwhile)");

            // node B still has the old key as secret.key and the new one as .next: it works on, and after the
            // administrator's mv it restarts on the new key alone
            Files.move(nextOnB, nodes.b.dir.resolve("secret.key"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            nodes.b.restart();
            nodes.advance(Duration.ofSeconds(30));
            for (int i = 0; i < users.size(); i++) {
                assertThat(nodes.b.client().validate(nodes.b.serviceKey(), users.get(i),
                        nodes.b.codeNow(phones.get(i)), "10.0.1.1").accepted()).as(users.get(i)).isTrue();
            }
        }
    }
}
