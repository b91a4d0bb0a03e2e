package se.lu.lunarc.otp.bench;

import org.aaa4j.radius.core.attribute.attributes.State;
import org.aaa4j.radius.core.packet.Packet;
import org.aaa4j.radius.core.packet.packets.AccessAccept;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.lu.lunarc.otp.api.CreatedToken;
import se.lu.lunarc.otp.server.ServerConfig;
import se.lu.lunarc.otp.testing.RawRadiusClient;
import se.lu.lunarc.otp.testing.TestRadius;
import se.lu.lunarc.otp.testing.TestServer;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The RADIUS service on loopback: Access-Requests per second and latency of accepted codes (otp-only mode, one
 * round trip each, every code new) with 1 and 32 NASes sending at once, and full challenge-mode logins. Prints
 * figures; asserts only that every
 * code was accepted. Run with {@code mvn -B -q -Pbench test}.
 */
class RadiusBenchmark {
    static final int USERS = 64;
    static final int ROUNDS = 40;

    @TempDir
    Path dir;

    @Test
    void acceptedCodes() throws Exception {
        try (TestServer server = TestServer.start(dir, null, USERS)) {
            List<CreatedToken> tokens = new ArrayList<>();
            for (int i = 0; i < USERS; i++) {
                tokens.add(server.enrolled(String.format("user%02d", i), "Phone"));
            }
            try (TestRadius radius = TestRadius.start(server, ServerConfig.RadiusClient.OTP_ONLY,
                    ServerConfig.Radius.REJECT, false)) {
                run(server, radius, tokens, 32, 5); // warm-up
                for (int clients : new int[] {1, 32}) {
                    run(server, radius, tokens, clients, ROUNDS);
                }
            }
            try (TestRadius radius = TestRadius.start(server, ServerConfig.RadiusClient.CHALLENGE,
                    ServerConfig.Radius.REJECT, false)) {
                fullLogins(server, radius, tokens, 32, 3);
            }
        }
    }

    /** challenge mode: the password round (argon2id), then the code with the State; latency of the pair. */
    private static void fullLogins(TestServer server, TestRadius radius, List<CreatedToken> tokens, int clients,
                                   int rounds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long[] latencies = new long[rounds * USERS];
        long busyNanos = 0;
        for (int round = 0; round < rounds; round++) {
            server.clock.advance(Duration.ofSeconds(30));
            int base = round * USERS;
            long start = System.nanoTime();
            List<Future<?>> work = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                work.add(pool.submit(() -> {
                    try (RawRadiusClient nas = new RawRadiusClient(InetAddress.getLoopbackAddress(), radius.port,
                            radius.secret, 10_000)) {
                        for (int u = client; u < USERS; u += clients) {
                            String user = String.format("user%02d", u);
                            long t0 = System.nanoTime();
                            Packet challenge = nas.send(nas.accessRequest(user, user + TestServer.PASSWORD_SUFFIX,
                                    null, false));
                            byte[] state = challenge.getAttribute(State.class).orElseThrow().getData().getValue();
                            Packet answer = nas.send(nas.accessRequest(user, server.codeNow(tokens.get(u)), state,
                                    false));
                            latencies[base + u] = System.nanoTime() - t0;
                            assertThat(answer).isInstanceOf(AccessAccept.class);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
            busyNanos += System.nanoTime() - start;
        }
        pool.shutdown();
        Arrays.sort(latencies);
        int n = latencies.length;
        System.out.printf("bench: RADIUS full logins (password with argon2id, then code), %d NASes at once: %d in "
                        + "%.2f s = %.1f logins/s, p50 %.0f ms, p99 %.0f ms%n", clients, n, busyNanos / 1e9,
                n / (busyNanos / 1e9), latencies[n / 2] / 1e6, latencies[(int) (n * 0.99)] / 1e6);
    }

    private static void run(TestServer server, TestRadius radius, List<CreatedToken> tokens, int clients, int rounds)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<RawRadiusClient> nases = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            nases.add(new RawRadiusClient(InetAddress.getLoopbackAddress(), radius.port, radius.secret, 5000));
        }
        long[] latencies = new long[rounds * USERS];
        long busyNanos = 0;
        for (int round = 0; round < rounds; round++) {
            server.clock.advance(Duration.ofSeconds(30));
            int base = round * USERS;
            long start = System.nanoTime();
            List<Future<?>> work = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                work.add(pool.submit(() -> {
                    for (int u = client; u < USERS; u += clients) {
                        RawRadiusClient nas = nases.get(client);
                        String user = String.format("user%02d", u);
                        long t0 = System.nanoTime();
                        Packet answer = nas.send(nas.accessRequest(user, server.codeNow(tokens.get(u)), null, false));
                        latencies[base + u] = System.nanoTime() - t0;
                        assertThat(answer).isInstanceOf(AccessAccept.class);
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
            busyNanos += System.nanoTime() - start;
        }
        pool.shutdown();
        nases.forEach(RawRadiusClient::close);
        Arrays.sort(latencies);
        int n = latencies.length;
        if (rounds >= ROUNDS) {
            System.out.printf("bench: RADIUS accepted codes, %d NAS%s at once: %d in %.2f s = %.0f requests/s, "
                            + "p50 %.2f ms, p99 %.2f ms%n", clients, clients == 1 ? "" : "es", n, busyNanos / 1e9,
                    n / (busyNanos / 1e9), latencies[n / 2] / 1e6, latencies[(int) (n * 0.99)] / 1e6);
        }
    }
}
