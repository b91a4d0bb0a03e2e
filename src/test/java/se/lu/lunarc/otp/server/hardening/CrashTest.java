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
 * integrity check is clean.
 */
class CrashTest {
    static final int USERS = 20;
    static final int ROUNDS = 3;
    private static final Pattern CODE = Pattern.compile("\\b(\\d{6})\\b");

    @TempDir
    Path dir;
    int port;
    final Map<String, String> mobiles = new HashMap<>();

    /** An activation the server answered 2xx to. */
    record Acknowledged(String user, String tokenId, CreatedToken created) {}

    @Test
    void acknowledgedActivationsSurviveKillMinus9() throws Exception {
        writeConfig();
        List<Acknowledged> acknowledged = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            Process server = startServer();
            Set<Acknowledged> thisRound = ConcurrentHashMap.newKeySet();
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
                            thisRound.add(new Acknowledged(user, t.token().id(), t));
                        } catch (Exception killedOrRefused) {
                            // the server died under it, or refused (too many tokens): go on until told to stop
                        }
                    }
                    return null;
                });
            }
            Thread.sleep(ThreadLocalRandom.current().nextLong(2500, 4500));
            server.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL: no shutdown hook runs
            running.set(false);
            workers.shutdown();
            assertThat(workers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            acknowledged.addAll(thisRound);

            Process restarted = startServer();
            try {
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
                    assertThat(tokens).as(a.user() + " after kill -9 round " + round)
                            .anyMatch(t -> t.id().equals(a.tokenId()) && t.status().equals("active"));
                    if (thisRound.contains(a)) {
                        // the next step's code: the activation may have used this one
                        assertThat(validator.validate(key, a.user(), code(a.created(), 1)).accepted())
                                .as("token " + a.tokenId() + " validates").isTrue();
                    }
                }
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

    private void writeConfig() throws Exception {
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
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String plenty = "{attempts: 1000000, windowSeconds: 60}";
        Files.writeString(dir.resolve("server.yaml"), String.join("\n",
                "listen: 127.0.0.1:" + port,
                "dataDir: data",
                "users: {file: users.yaml}",
                "sms: {type: file, file: outbox.jsonl}",
                "tokens: {maxPerUser: 100}",
                "limits: {loginPerUser: " + plenty + ", loginPerAddress: " + plenty + ", humanCheckPerAddress: "
                        + plenty + ", codePerAddress: " + plenty + ", tokenCodePerUser: " + plenty + "}",
                ""));
    }

    private Process startServer() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "server", "--config", dir.resolve("server.yaml").toString())
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
        return new EnrollmentClient(ClientOptions.of(URI.create("http://127.0.0.1:" + port))
                .withEnvironment(Map.of()));
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
