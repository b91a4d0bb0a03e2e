package se.lu.lunarc.otp.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.lu.lunarc.otp.api.CreatedToken;
import se.lu.lunarc.otp.client.EnrollmentClient;
import se.lu.lunarc.otp.testing.TestServer;

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
 * Throughput of the reference backend on loopback, through the real client: full sign-in flows per second and
 * validate calls per second. Prints figures; asserts only that every call succeeded. Run with
 * {@code mvn -B -q -Pbench test}.
 */
class ServerBenchmark {
    static final int USERS = 40;
    static final int THREADS = 8;
    static final int FLOWS = 160;
    static final int VALIDATE_ROUNDS = 60;

    @TempDir
    Path dir;

    @Test
    void throughput() throws Exception {
        var limits = TestServer.limitsLoadNeverReaches();
        try (TestServer server = TestServer.start(dir, limits, USERS)) {
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            // warm-up: one flow per user, which also gives each user a signed-in client with an active token
            List<EnrollmentClient> clients = new ArrayList<>();
            List<CreatedToken> tokens = new ArrayList<>();
            for (int i = 0; i < USERS; i++) {
                EnrollmentClient c = server.signedIn(String.format("user%02d", i));
                CreatedToken t = c.createToken("Phone");
                c.activate(t.token().id(), server.codeNow(t));
                clients.add(c);
                tokens.add(t);
            }

            AtomicInteger next = new AtomicInteger();
            long start = System.nanoTime();
            List<Future<?>> flows = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                flows.add(pool.submit(() -> {
                    for (int n; (n = next.getAndIncrement()) < FLOWS; ) {
                        server.signedIn(String.format("user%02d", n % USERS)).logout();
                    }
                    return null;
                }));
            }
            for (Future<?> f : flows) {
                f.get();
            }
            double flowSeconds = (System.nanoTime() - start) / 1e9;

            String key = server.serviceKey();
            AtomicInteger accepted = new AtomicInteger();
            long validateNanos = 0;
            for (int round = 0; round < VALIDATE_ROUNDS; round++) {
                server.clock.advance(Duration.ofSeconds(30));
                long roundStart = System.nanoTime();
                List<Future<?>> calls = new ArrayList<>();
                for (int u = 0; u < USERS; u++) {
                    int user = u;
                    calls.add(pool.submit(() -> {
                        if (clients.get(user).validate(key, String.format("user%02d", user),
                                server.codeNow(tokens.get(user))).accepted()) {
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
            System.out.printf("bench: cores %d, %d client threads on loopback%n", rt.availableProcessors(), THREADS);
            System.out.printf("bench: full sign-in flows (human check, argon2id password, SMS code): %d in %.2f s = %.1f flows/s%n",
                    FLOWS, flowSeconds, FLOWS / flowSeconds);
            System.out.printf("bench: validate (accepted codes, %d users): %d in %.2f s = %.0f calls/s%n",
                    USERS, accepted.get(), validateNanos / 1e9, accepted.get() / (validateNanos / 1e9));
            System.out.printf("bench: heap used after GC %.1f MiB%n", (rt.totalMemory() - rt.freeMemory()) / 1048576.0);
        }
    }
}
