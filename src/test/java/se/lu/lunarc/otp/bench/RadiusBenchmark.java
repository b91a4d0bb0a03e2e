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

    /**
     * Challenge-mode logins as the sites run them: the users in a real slapd (the password checked by a bind), 32
     * NASes at once. Prints logins/s and p99, and where a login's time goes: the directory (searches and the bind),
     * the store (reads and commits, with the waits for the writer), and the rest (the code check's HMACs, the RADIUS
     * codec, the audit), read from the server's own metrics before and after.
     */
    @Test
    void challengeLoginsWithUsersFromLdap() throws Exception {
        try (se.lu.lunarc.otp.testing.Slapd slapd = se.lu.lunarc.otp.testing.Slapd.start(dir.resolve("slapd"))) {
            List<se.lu.lunarc.otp.testing.Slapd.Person> people = new ArrayList<>();
            for (int i = 0; i < USERS; i++) {
                String uid = String.format("user%02d", i);
                people.add(new se.lu.lunarc.otp.testing.Slapd.Person(uid, uid + TestServer.PASSWORD_SUFFIX,
                        String.format("+46701741%03d", i), true));
            }
            slapd.add(people.toArray(se.lu.lunarc.otp.testing.Slapd.Person[]::new));
            Path bindPassword = dir.resolve("bind-password");
            java.nio.file.Files.writeString(bindPassword, se.lu.lunarc.otp.testing.Slapd.SERVICE_PASSWORD + "\n");
            var ldap = new se.lu.lunarc.otp.server.users.LdapConfig(List.of(slapd.url()), false, null,
                    se.lu.lunarc.otp.testing.Slapd.SERVICE_DN, bindPassword, se.lu.lunarc.otp.testing.Slapd.BASE, null,
                    "(memberOf=" + se.lu.lunarc.otp.testing.Slapd.GROUP + ")", null, 5, 8);
            try (TestServer server = TestServer.start(dir.resolve("server"),
                    c -> c.withUsers(new ServerConfig.Users("ldap", null, ldap, "SE"))
                            .withMetrics(new se.lu.lunarc.otp.server.metrics.MetricsConfig("127.0.0.1:0")))) {
                List<CreatedToken> tokens = new ArrayList<>();
                for (int i = 0; i < USERS; i++) {
                    tokens.add(server.enrolled(String.format("user%02d", i), "Phone"));
                }
                Login passwordThenCode = (nas, user, token) -> {
                    Packet challenge = nas.send(nas.accessRequest(user, user + TestServer.PASSWORD_SUFFIX, null,
                            false));
                    byte[] state = challenge.getAttribute(State.class).orElseThrow().getData().getValue();
                    return nas.send(nas.accessRequest(user, server.codeNow(token), state, false));
                };
                // limits a load never reaches: what is measured is the work, not the refusals
                ServerConfig.Limit plenty = new ServerConfig.Limit(100_000_000, 60);
                try (TestRadius radius = TestRadius.start(server, ServerConfig.RadiusClient.CHALLENGE,
                        ServerConfig.Radius.REJECT, false, "en", plenty, plenty, plenty)) {
                    measure(server, radius, tokens, 32, 3, passwordThenCode); // warm-up
                    String before = server.backend().metrics().scrape();
                    Figures f = measure(server, radius, tokens, 32, 10, passwordThenCode);
                    String after = server.backend().metrics().scrape();
                    double logins = f.count();
                    double directory = sum(after, "lunarc_otp_directory_seconds_sum") - sum(before,
                            "lunarc_otp_directory_seconds_sum");
                    double store = sum(after, "lunarc_otp_store_seconds_sum") - sum(before,
                            "lunarc_otp_store_seconds_sum");
                    double radiusTotal = sum(after, "lunarc_otp_radius_seconds_sum") - sum(before,
                            "lunarc_otp_radius_seconds_sum");
                    System.out.printf("bench: RADIUS challenge logins, users in LDAP (bind), 32 NASes at once: %d in "
                                    + "%.2f s = %.1f logins/s, p50 %.1f ms, p99 %.1f ms%n", f.count(), f.seconds(),
                            f.perSecond(), f.p50Millis(), f.p99Millis());
                    System.out.printf("bench: per login (both rounds), server time %.2f ms: directory %.2f ms (%.0f %%), "
                                    + "store %.2f ms (%.0f %%), code check and the rest %.2f ms (%.0f %%)%n",
                            radiusTotal / logins * 1e3, directory / logins * 1e3, 100 * directory / radiusTotal,
                            store / logins * 1e3, 100 * store / radiusTotal,
                            (radiusTotal - directory - store) / logins * 1e3,
                            100 * (radiusTotal - directory - store) / radiusTotal);
                }
            }
        }
    }

    /** The sum of every series of {@code name} in a Prometheus scrape. */
    private static double sum(String scrape, String name) {
        double total = 0;
        for (String line : scrape.split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
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
