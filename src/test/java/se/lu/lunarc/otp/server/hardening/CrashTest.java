package se.lu.lunarc.otp.server.hardening;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.lu.lunarc.otp.Main;
import se.lu.lunarc.otp.api.CreatedToken;
import se.lu.lunarc.otp.api.LoginStarted;
import se.lu.lunarc.otp.api.Token;
import se.lu.lunarc.otp.client.ClientOptions;
import se.lu.lunarc.otp.client.EnrollmentClient;
import se.lu.lunarc.otp.client.HumanCheckSolver;
import se.lu.lunarc.otp.otp.OtpAuthUri;
import se.lu.lunarc.otp.server.users.PasswordHasher;
import se.lu.lunarc.otp.testing.Postgres;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 of the server process while 20 users enroll at once, three times over, each time restarted on the same
 * data folder: every activation the server acknowledged (2xx) is still active and validates, and SQLite's
 * integrity check is clean. And with two nodes on PostgreSQL, one killed while the clients fail over to the other.
 */
class CrashTest {
    static final int USERS = 20;
    static final int ROUNDS = 3;
    private static final Pattern CODE = Pattern.compile("\\b(\\d{6})\\b");

    @TempDir
    Path dir;
    /** One port per node; node n reads server-n.yaml. Every node shares the data folder (and so its key file). */
    final List<Integer> ports = new ArrayList<>();
    final Map<String, String> mobiles = new HashMap<>();

    /** An activation the server answered 2xx to. */
    record Acknowledged(String user, String tokenId, CreatedToken created) {}

    @Test
    void acknowledgedActivationsSurviveKillMinus9() throws Exception {
        writeConfig(1, "");
        List<Acknowledged> acknowledged = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            Process server = startServer(0);
            Set<Acknowledged> thisRound = ConcurrentHashMap.newKeySet();
            enrollWhile(thisRound, () -> {
                Thread.sleep(ThreadLocalRandom.current().nextLong(2500, 4500));
                server.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL: no shutdown hook runs
            });
            acknowledged.addAll(thisRound);

            Process restarted = startServer(0);
            try {
                checkActiveAndValidating(acknowledged, thisRound, "after kill -9 round " + round);
            } finally {
                restarted.destroy();
                restarted.waitFor(10, TimeUnit.SECONDS);
            }
            try (var db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/lunarc-otp.db"));
                 var rs = db.createStatement().executeQuery("PRAGMA integrity_check")) {
                assertThat(rs.getString(1)).isEqualTo("ok");
            }
        }
        assertThat(acknowledged).as("activations acknowledged over " + ROUNDS + " rounds").hasSizeGreaterThan(10);
        System.out.println("crash test: " + acknowledged.size() + " acknowledged activations over " + ROUNDS
                + " kill -9 rounds, all active after restart");
    }

    /**
     * Two nodes on one real PostgreSQL, every client given both: node A is killed with -9 in the middle of 20
     * concurrent enrollments, the clients go on against node B, and every activation either node acknowledged is
     * active and validates; {@code pg_amcheck} finds the database clean.
     */
    @Test
    void twoNodesOnPostgresqlLoseNothingWhenOneIsKilled() throws Exception {
        try (Postgres postgres = Postgres.start()) {
            String url = postgres.newDatabase();
            Files.writeString(dir.resolve("store-password"), Postgres.PASSWORD + "\n");
            writeConfig(2, "store: {type: postgresql, url: \"" + url + "\", user: " + Postgres.USER
                    + ", passwordFile: store-password, poolSize: 8}");
            Process nodeA = startServer(0);
            Process nodeB = startServer(1);
            try {
                Set<Acknowledged> acknowledged = ConcurrentHashMap.newKeySet();
                java.util.concurrent.atomic.AtomicInteger beforeKill = new java.util.concurrent.atomic.AtomicInteger();
                enrollWhile(acknowledged, () -> {
                    waitFor(() -> acknowledged.size() >= 5, "five activations before the kill");
                    Thread.sleep(ThreadLocalRandom.current().nextLong(0, 1000)); // with enrollments under way
                    nodeA.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    beforeKill.set(acknowledged.size());
                    // the clients carry on against node B
                    waitFor(() -> acknowledged.size() >= beforeKill.get() + 5, "five activations after the kill");
                });
                assertThat(acknowledged.size()).as("activations acknowledged after node A died")
                        .isGreaterThan(beforeKill.get());
                checkActiveAndValidating(acknowledged, acknowledged, "after node A was killed");
                System.out.println("crash test, two nodes: " + acknowledged.size() + " acknowledged activations ("
                        + beforeKill.get() + " before node A was killed), all active and validating on node B");
            } finally {
                nodeB.destroy();
                nodeB.waitFor(10, TimeUnit.SECONDS);
            }
            String check = postgres.program("pg_amcheck", "--install-missing", "--heapallindexed", url.substring(url.lastIndexOf('/') + 1));
            assertThat(check).as("pg_amcheck finds nothing").isBlank();
        }
    }

    /** Enrolls all users at once, over and over, until {@code meanwhile} returns. */
    private void enrollWhile(Set<Acknowledged> acknowledged, Meanwhile meanwhile) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService workers = Executors.newFixedThreadPool(USERS);
        for (int u = 0; u < USERS; u++) {
            String user = String.format("user%02d", u);
            workers.submit(() -> {
                while (running.get()) {
                    try {
                        EnrollmentClient c = signedIn(user);
                        CreatedToken t = c.createToken("Phone " + System.nanoTime());
                        c.activate(t.token().id(), code(t, 0));
                        acknowledged.add(new Acknowledged(user, t.token().id(), t));
                    } catch (Exception killedOrRefused) {
                        // the server died under it, or refused (too many tokens): go on until told to stop
                    }
                }
                return null;
            });
        }
        try {
            meanwhile.run();
        } finally {
            running.set(false);
            workers.shutdown();
            assertThat(workers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    private interface Meanwhile {
        void run() throws Exception;
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, String what) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(end);
            Thread.sleep(50);
        }
    }

    /** Each acknowledged activation is active, and those in {@code validating} accept their next code. */
    private void checkActiveAndValidating(java.util.Collection<Acknowledged> acknowledged,
                                          Set<Acknowledged> validating, String when) throws Exception {
        String key = Files.readString(dir.resolve("data/service-key")).strip();
        EnrollmentClient validator = client();
        Map<String, List<Token>> tokensByUser = new HashMap<>();
        for (Acknowledged a : acknowledged) {
            List<Token> tokens = tokensByUser.computeIfAbsent(a.user(), u -> {
                try {
                    return signedIn(u).tokens();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(tokens).as(a.user() + " " + when)
                    .anyMatch(t -> t.id().equals(a.tokenId()) && t.status().equals("active"));
            if (validating.contains(a)) {
                // the next step's code: the activation may have used this one
                assertThat(validator.validate(key, a.user(), code(a.created(), 1)).accepted())
                        .as("token " + a.tokenId() + " validates").isTrue();
            }
        }
    }

    private void writeConfig(int nodes, String store) throws Exception {
        PasswordHasher hasher = new PasswordHasher();
        StringBuilder users = new StringBuilder("users:\n");
        for (int u = 0; u < USERS; u++) {
            String name = String.format("user%02d", u);
            String mobile = String.format("+467017406%02d", 20 + u);
            mobiles.put(name, mobile);
            users.append("  - {username: ").append(name).append(", mobile: \"").append(mobile)
                    .append("\", passwordHash: \"").append(hasher.hash((name + "-pw").toCharArray())).append("\"}\n");
        }
        Files.writeString(dir.resolve("users.yaml"), users);
        String plenty = "{attempts: 1000000, windowSeconds: 60}";
        for (int n = 0; n < nodes; n++) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                ports.add(s.getLocalPort());
            }
            Files.writeString(dir.resolve("server-" + n + ".yaml"), String.join("\n",
                "listen: 127.0.0.1:" + ports.get(n),
                store,
                "dataDir: data",
                "users: {file: users.yaml}",
                "sms: {type: file, file: outbox.jsonl}",
                "tokens: {maxPerUser: 100}",
                "limits: {loginPerUser: " + plenty + ", loginPerAddress: " + plenty + ", humanCheckPerAddress: "
                        + plenty + ", codePerAddress: " + plenty + ", tokenCodePerUser: " + plenty + "}",
                ""));
        }
    }

    private Process startServer(int node) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "server", "--config", dir.resolve("server-" + node + ".yaml").toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith("Listening on")) {
                // keep draining its output so that it never blocks on a full pipe
                Thread drain = new Thread(() -> {
                    try {
                        while (out.readLine() != null) {
                            // nothing to keep
                        }
                    } catch (Exception ignored) {
                        // the process ended
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return p;
            }
        }
        throw new IllegalStateException("the server did not start");
    }

    private EnrollmentClient client() throws Exception {
        List<URI> nodes = ports.stream().map(p -> URI.create("http://127.0.0.1:" + p)).toList();
        return new EnrollmentClient(ClientOptions.of(nodes.get(0)).withEnvironment(Map.of())
                .withOtherServers(nodes.subList(1, nodes.size())));
    }

    private EnrollmentClient signedIn(String user) throws Exception {
        EnrollmentClient c = client();
        LoginStarted started = c.login(user, (user + "-pw").toCharArray(), HumanCheckSolver.solve(c.humanCheck()));
        c.submitCode(started.loginId(), lastSmsCode(user));
        return c;
    }

    /** The newest code sent to {@code user}'s phone. Lines are appended whole, but a kill may cut the last one. */
    private String lastSmsCode(String user) throws Exception {
        ObjectMapper json = new ObjectMapper();
        String code = null;
        for (String line : Files.readAllLines(dir.resolve("outbox.jsonl"))) {
            try {
                JsonNode m = json.readTree(line);
                if (m.get("to").asText().equals(mobiles.get(user))) {
                    Matcher matcher = CODE.matcher(m.get("text").asText());
                    code = matcher.find() ? matcher.group(1) : code;
                }
            } catch (Exception partial) {
                // a line cut by the kill
            }
        }
        return code;
    }

    private static String code(CreatedToken t, int stepOffset) {
        OtpAuthUri uri = OtpAuthUri.parse(t.enrollment().otpauthUri());
        return uri.totp().code(uri.secret(), uri.totp().step(Instant.now()) + stepOffset);
    }
}
