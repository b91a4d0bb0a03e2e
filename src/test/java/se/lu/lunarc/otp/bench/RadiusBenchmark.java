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
 * round trip each, every code new) with 1 and 32 NASes sending at once, and whole challenge-mode logins. Prints
 * figures; asserts only that every login was accepted. Run with {@code mvn -B -q -Pbench test}.
 */
class RadiusBenchmark {
    static final int USERS = 64;
    static final int ROUNDS = 40;

    @TempDir
    Path dir;

    /** One user's login through one NAS; returns the final answer. */
    interface Login {
        Packet run(RawRadiusClient nas, String user, CreatedToken token) throws Exception;
    }

    @Test
    void acceptedCodesAndFullLogins() throws Exception {
        try (TestServer server = TestServer.start(dir, null, USERS)) {
            List<CreatedToken> tokens = new ArrayList<>();
            for (int i = 0; i < USERS; i++) {
                tokens.add(server.enrolled(String.format("user%02d", i), "Phone"));
            }
            Login codeOnly = (nas, user, token) -> nas.send(nas.accessRequest(user, server.codeNow(token), null, false));
            try (TestRadius radius = TestRadius.start(server, ServerConfig.RadiusClient.OTP_ONLY,
                    ServerConfig.Radius.REJECT, false)) {
                measure(server, radius, tokens, 32, 5, codeOnly); // warm-up
                for (int clients : new int[] {1, 32}) {
                    Figures f = measure(server, radius, tokens, clients, ROUNDS, codeOnly);
                    System.out.printf("bench: RADIUS accepted codes, %d NAS%s at once: %d in %.2f s = %.0f "
                                    + "requests/s, p50 %.2f ms, p99 %.2f ms%n", clients, clients == 1 ? "" : "es",
                            f.count(), f.seconds(), f.perSecond(), f.p50Millis(), f.p99Millis());
                }
            }
            Login passwordThenCode = (nas, user, token) -> {
                Packet challenge = nas.send(nas.accessRequest(user, user + TestServer.PASSWORD_SUFFIX, null, false));
                byte[] state = challenge.getAttribute(State.class).orElseThrow().getData().getValue();
                return nas.send(nas.accessRequest(user, server.codeNow(token), state, false));
            };
            try (TestRadius radius = TestRadius.start(server, ServerConfig.RadiusClient.CHALLENGE,
                    ServerConfig.Radius.REJECT, false)) {
                Figures f = measure(server, radius, tokens, 32, 3, passwordThenCode);
                System.out.printf("bench: RADIUS full logins (password with argon2id, then code), 32 NASes at once: "
                                + "%d in %.2f s = %.1f logins/s, p50 %.0f ms, p99 %.0f ms%n", f.count(), f.seconds(),
                        f.perSecond(), f.p50Millis(), f.p99Millis());
            }
        }
    }

    record Figures(long[] sortedNanos, long busyNanos) {
        int count() {
            return sortedNanos.length;
        }

        double seconds() {
            return busyNanos / 1e9;
        }

        double perSecond() {
            return count() / seconds();
        }

        double p50Millis() {
            return sortedNanos[count() / 2] / 1e6;
        }

        double p99Millis() {
            return sortedNanos[(int) (count() * 0.99)] / 1e6;
        }
    }

    /** {@code rounds} time steps; in each, every user logs in once, the users shared among {@code clients} NASes. */
    private static Figures measure(TestServer server, TestRadius radius, List<CreatedToken> tokens, int clients,
                                   int rounds, Login login) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<RawRadiusClient> nases = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            nases.add(new RawRadiusClient(InetAddress.getLoopbackAddress(), radius.port, radius.secret, 10_000));
        }
        long[] latencies = new long[rounds * USERS];
        long busyNanos = 0;
        try {
            for (int round = 0; round < rounds; round++) {
                server.clock.advance(Duration.ofSeconds(30));
                int base = round * USERS;
                long start = System.nanoTime();
                List<Future<?>> work = new ArrayList<>();
                for (int c = 0; c < clients; c++) {
                    int client = c;
                    work.add(pool.submit(() -> {
                        for (int u = client; u < USERS; u += clients) {
                            long t0 = System.nanoTime();
                            Packet answer = login.run(nases.get(client), String.format("user%02d", u), tokens.get(u));
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
        } finally {
            pool.shutdown();
            nases.forEach(RawRadiusClient::close);
        }
        Arrays.sort(latencies);
        return new Figures(latencies, busyNanos);
    }
}
