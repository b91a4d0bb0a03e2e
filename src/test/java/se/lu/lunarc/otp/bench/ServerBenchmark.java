package se.lu.lunarc.otp.bench;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import se.lu.lunarc.otp.api.CreatedToken;
import se.lu.lunarc.otp.client.EnrollmentClient;
import se.lu.lunarc.otp.testing.Postgres;
import se.lu.lunarc.otp.testing.PostgresPerClass;
import se.lu.lunarc.otp.testing.TestServer;
import se.lu.lunarc.otp.testing.TwoNodes;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Throughput of the backend on loopback, through the real client, on each store: SQLite, PostgreSQL with one
 * node, and PostgreSQL with two nodes (work spread over both). Full sign-in flows per second, and validate calls
 * per second where every call is a user's current code (so each is accepted and takes its time step: a write).
 * Prints figures; asserts only that every call succeeded. Run with
 * {@code mvn -B -q -Pbench test -Dtest=ServerBenchmark}.
 */
class ServerBenchmark {
    static final int USERS = 40;
    static final int THREADS = 8;
    static final int FLOWS = 160;
    static final int VALIDATE_ROUNDS = 60;

    @RegisterExtension
    static final PostgresPerClass postgres = new PostgresPerClass();

    @TempDir
    Path dir;



    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql, one node", "postgresql, two nodes"})
    void throughput(String store) throws Exception {
        var limits = TestServer.limitsLoadNeverReaches();
        List<AutoCloseable> running = new ArrayList<>();
        List<TestServer> nodes = new ArrayList<>();
        try {
            if (store.equals("sqlite")) {
                nodes.add(TestServer.start(dir, limits, USERS));
                running.add(nodes.get(0));
            } else if (store.equals("postgresql, one node")) {
                Path password = dir.resolve("store-password");
                java.nio.file.Files.writeString(password, Postgres.PASSWORD);
                nodes.add(TestServer.start(dir, limits, USERS, TwoNodes.onStore(postgres.newDatabase(), password)));
                running.add(nodes.get(0));
            } else {
                TwoNodes two = TwoNodes.start(postgres.server(), dir, limits, USERS);
                running.add(two);
                nodes.add(two.a);
                nodes.add(two.b);
            }
            measure(store, nodes);
        } finally {
            for (AutoCloseable r : running) {
                r.close();
            }
        }
    }

    private static void measure(String store, List<TestServer> nodes) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        // warm-up: one flow per user, on the node the user is given, which also gives each user a signed-in
        // client with an active token
        List<EnrollmentClient> clients = new ArrayList<>();
        List<CreatedToken> tokens = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            TestServer node = nodes.get(i % nodes.size());
            EnrollmentClient c = node.signedIn(user(i));
            CreatedToken t = c.createToken("Phone");
            c.activate(t.token().id(), node.codeNow(t));
            clients.add(c);
            tokens.add(t);
        }

        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        List<Future<?>> flows = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            flows.add(pool.submit(() -> {
                for (int n; (n = next.getAndIncrement()) < FLOWS; ) {
                    nodes.get(n % nodes.size()).signedIn(user(n % USERS)).logout();
                }
                return null;
            }));
        }
        for (Future<?> f : flows) {
            f.get();
        }
        double flowSeconds = (System.nanoTime() - start) / 1e9;

        List<String> keys = new ArrayList<>(); // each node's own service key
        for (TestServer node : nodes) {
            keys.add(node.serviceKey());
        }
        AtomicInteger accepted = new AtomicInteger();
        long validateNanos = 0;
        for (int round = 0; round < VALIDATE_ROUNDS; round++) {
            for (TestServer node : nodes) {
                node.clock.advance(Duration.ofSeconds(30));
            }
            long roundStart = System.nanoTime();
            List<Future<?>> calls = new ArrayList<>();
            for (int u = 0; u < USERS; u++) {
                int user = u;
                calls.add(pool.submit(() -> {
                    if (clients.get(user).validate(keys.get(user % nodes.size()), user(user), nodes.get(0).codeNow(tokens.get(user)))
                            .accepted()) {
                        accepted.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : calls) {
                f.get();
            }
            validateNanos += System.nanoTime() - roundStart;
        }
        pool.shutdown();
        assertThat(accepted.get()).isEqualTo(USERS * VALIDATE_ROUNDS);

        System.gc();
        Runtime rt = Runtime.getRuntime();
        System.out.printf("bench: store %s; cores %d, %d client threads on loopback%n", store,
                rt.availableProcessors(), THREADS);
        System.out.printf("bench: %s: full sign-in flows (human check, argon2id password, SMS code): %d in %.2f s = "
                + "%.1f flows/s%n", store, FLOWS, flowSeconds, FLOWS / flowSeconds);
        System.out.printf("bench: %s: validate (accepted codes, %d users): %d in %.2f s = %.0f calls/s%n", store,
                USERS, accepted.get(), validateNanos / 1e9, accepted.get() / (validateNanos / 1e9));
        System.out.printf("bench: %s: heap used after GC %.1f MiB%n", store,
                (rt.totalMemory() - rt.freeMemory()) / 1048576.0);
    }

    private static String user(int i) {
        return String.format("user%02d", i);
    }
}
