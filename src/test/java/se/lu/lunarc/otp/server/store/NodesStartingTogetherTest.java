package se.lu.lunarc.otp.server.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import se.lu.lunarc.otp.testing.Postgres;
import se.lu.lunarc.otp.testing.PostgresPerClass;
import se.lu.lunarc.otp.testing.TestServer;
import se.lu.lunarc.otp.testing.TwoNodes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 20 §3: nodes of one service started at once on an empty PostgreSQL store (a cluster back from
 * maintenance, a deployment tool) migrate it once and agree on one key. Before, one node of three could exit with
 * {@code relation "rate_buckets" already exists}, and a node with another key file with a raw SQL error instead
 * of the key's message.
 */
class NodesStartingTogetherTest {
    @RegisterExtension
    static final PostgresPerClass postgres = new PostgresPerClass();
    private static final int ROUNDS = 10;

    @TempDir
    Path dir;

    @Test
    void threeNodesWithOneKeyStartingAtOnceOnAnEmptyStoreAllStart() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            byte[] key = newKey();
            List<String> outcomes = startTogether(round, List.of(key, key, key));
            assertThat(outcomes).as("round %d", round).containsExactly("started", "started", "started");
        }
    }

    @Test
    void aNodeWithAnotherKeyStartingAtOnceWithTwoOthersGetsTheKeysMessage() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            byte[] key = newKey();
            byte[] other = newKey();
            List<String> outcomes = startTogether(round, List.of(key, key, other));
            // whichever key sealed the store first wins; the other key's nodes are told why they stop
            long started = outcomes.stream().filter("started"::equals).count();
            assertThat(started).as("round %d: %s", round, outcomes).isIn(1L, 2L);
            assertThat(outcomes.get(0)).as("round %d: the two nodes with one key agree", round)
                    .isEqualTo(outcomes.get(1));
            for (String outcome : outcomes) {
                assertThat(outcome).as("round %d", round).isIn("started", "wrong key");
            }
        }
    }

    private static byte[] newKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    /**
     * Starts one node per key at once on a new database: "started", "wrong key" for the key's message, or any
     * other message a node stopped with.
     */
    private List<String> startTogether(int round, List<byte[]> keys) throws Exception {
        String url = postgres.newDatabase();
        Path password = dir.resolve("store-password");
        Files.writeString(password, Postgres.PASSWORD + "\n");
        CyclicBarrier together = new CyclicBarrier(keys.size());
        ExecutorService nodes = Executors.newFixedThreadPool(keys.size());
        try {
            List<Future<String>> started = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                Path data = Files.createDirectories(dir.resolve("round-" + round + "-node-" + i));
                Files.write(data.resolve("secret.key"), keys.get(i));
                Files.setPosixFilePermissions(data.resolve("secret.key"), PosixFilePermissions.fromString("rw-------"));
                started.add(nodes.submit(() -> {
                    together.await();
                    try (TestServer node = TestServer.start(data, TwoNodes.onStore(url, password))) {
                        return node.backend() != null ? "started" : "?";
                    } catch (Exception e) {
                        String message = String.valueOf(e.getMessage());
                        return message.contains("is not the key this store's secrets were sealed with") ? "wrong key"
                                : message;
                    }
                }));
            }
            List<String> outcomes = new ArrayList<>();
            for (Future<String> f : started) {
                outcomes.add(f.get());
            }
            return outcomes;
        } finally {
            nodes.shutdownNow();
        }
    }
}
