package se.lu.lunarc.otp.server.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import se.lu.lunarc.otp.api.CreatedToken;
import se.lu.lunarc.otp.client.EnrollmentClient;
import se.lu.lunarc.otp.server.ServerConfig;
import se.lu.lunarc.otp.testing.CliRun;
import se.lu.lunarc.otp.testing.Postgres;
import se.lu.lunarc.otp.testing.PostgresPerClass;
import se.lu.lunarc.otp.testing.TestServer;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code server backup} while the server serves 20 clients at once (10 logging in, 10 enrolling), then
 * {@code server restore} into a fresh data folder holding a copy of the key, as after losing a disk: every token
 * acknowledged before the backup began logs in with a later code, and no code accepted before it is accepted again.
 */
class BackupRestoreTest {
    private static final int LOGGING_IN = 10;
    private static final int ENROLLING = 10;

    @RegisterExtension
    static final PostgresPerClass postgres = new PostgresPerClass();

    @TempDir
    Path dir;

    private static CliRun server(String... args) {
        return CliRun.of(List.of("server"), args);
    }

    /** A user's token, a code the server accepted for it (or null), and when the answer came (System.nanoTime). */
    private record Accepted(String user, CreatedToken token, String code, long at) {}

    @Test
    void aBackupTakenUnderLoadRestoresEveryAcknowledgedTokenAndEverySpentCode() throws Exception {
        Path config = dir.resolve("server.yaml");
        Files.writeString(config, "listen: 127.0.0.1:0\ndataDir: data\nusers: {file: users.yaml}\n");
        Path backup = dir.resolve("backup");
        List<Accepted> acknowledged = new ArrayList<>();
        Map<String, Accepted> enrolledUnderLoad = new ConcurrentHashMap<>();
        List<Accepted> acceptedUnderLoad = java.util.Collections.synchronizedList(new ArrayList<>());
        long backupStarted;
        java.time.Instant clockAtBackup;
        String keyBefore;
        try (TestServer a = TestServer.start(dir.resolve("data"), TestServer.limitsLoadNeverReaches(),
                LOGGING_IN + ENROLLING, c -> c)) {
            keyBefore = a.serviceKey();
            List<CreatedToken> phones = new ArrayList<>();
            for (int i = 0; i < LOGGING_IN; i++) {
                phones.add(a.enrolled(String.format("user%02d", i), "Phone"));
            }
            CreatedToken alices = a.enrolled("alice", "Phone");
            String used = a.codeNow(alices);
            assertThat(a.client().validate(keyBefore, "alice", used, "10.0.0.1").accepted()).isTrue();
            acknowledged.add(new Accepted("alice", alices, used, System.nanoTime()));

            AtomicBoolean stop = new AtomicBoolean();
            CountDownLatch working = new CountDownLatch(LOGGING_IN + ENROLLING);
            ExecutorService pool = Executors.newFixedThreadPool(LOGGING_IN + ENROLLING);
            List<Future<?>> load = new ArrayList<>();
            for (int i = 0; i < LOGGING_IN; i++) {
                CreatedToken phone = phones.get(i);
                String user = String.format("user%02d", i);
                load.add(pool.submit(() -> {
                    EnrollmentClient c = a.client();
                    String code = a.codeNow(phone);
                    if (c.validate(keyBefore, user, code, "10.0.1.1").accepted()) {
                        acceptedUnderLoad.add(new Accepted(user, phone, code, System.nanoTime()));
                    }
                    working.countDown();
                    while (!stop.get()) { // replays: refused, and each one a write (the failure is counted)
                        c.validate(keyBefore, user, code, "10.0.1.1");
                    }
                    return null;
                }));
            }
            for (int i = 0; i < ENROLLING; i++) {
                String user = String.format("user%02d", LOGGING_IN + i);
                load.add(pool.submit(() -> {
                    boolean first = true;
                    for (int n = 0; (!stop.get() || first) && n < 4; n++) { // 4 of the 5 a user may have
                        EnrollmentClient c = a.signedIn(user);
                        CreatedToken t = c.createToken("Phone " + n);
                        c.activate(t.token().id(), a.codeNow(t));
                        enrolledUnderLoad.put(t.token().id(), new Accepted(user, t, null, System.nanoTime()));
                        c.logout();
                        if (first) {
                            working.countDown();
                            first = false;
                        }
                    }
                    return null;
                }));
            }
            working.await();
            clockAtBackup = a.clock.instant();
            backupStarted = System.nanoTime();
            CliRun taken = server("backup", "--config", config.toString(), "--to", backup.toString(), "--json");
            stop.set(true);
            for (Future<?> f : load) {
                f.get();
            }
            pool.shutdown();
            assertThat(taken.exit()).as(taken.err()).isZero();
            JsonNode out = new ObjectMapper().readTree(taken.out());
            assertThat(out.get("keyFile").asText()).endsWith("secret.key");
            System.out.println("backup of " + Files.size(backup.resolve("lunarc-otp.db")) + " bytes under load took "
                    + out.get("millis").asLong() + " ms");
            assertThat(Files.list(backup).map(p -> p.getFileName().toString()).sorted().toList())
                    .as("the key never lies beside the copy")
                    .containsExactly("audit.jsonl", "lunarc-otp.db", "manifest.json");
            assertThat(Files.readString(a.dir.resolve("audit.jsonl"))).contains("\"event\":\"store_backed_up\"");
            // the audit copy is a whole log: every line is a whole JSON object
            for (String line : Files.readAllLines(backup.resolve("audit.jsonl"))) {
                new ObjectMapper().readTree(line);
            }
            for (Accepted e : enrolledUnderLoad.values()) {
                if (e.at() < backupStarted) {
                    acknowledged.add(e);
                }
            }
            for (Accepted e : acceptedUnderLoad) {
                assertThat(e.at()).as("every first login came before the backup began").isLessThan(backupStarted);
                acknowledged.add(e);
            }
            assertThat(acceptedUnderLoad).hasSize(LOGGING_IN);
            assertThat(enrolledUnderLoad.size()).as("enrollments under load").isGreaterThanOrEqualTo(ENROLLING);
            Files.copy(a.dir.resolve("secret.key"), dir.resolve("kept-apart.key"));
        }

        // a new disk: a fresh data folder with only the key, kept apart from the backup
        Path fresh = dir.resolve("fresh");
        Files.createDirectories(fresh);
        Files.copy(dir.resolve("kept-apart.key"), fresh.resolve("secret.key"));
        Path freshConfig = dir.resolve("fresh.yaml");
        Files.writeString(freshConfig, "listen: 127.0.0.1:0\ndataDir: fresh\nusers: {file: users.yaml}\n");
        CliRun restored = server("restore", "--config", freshConfig.toString(), "--from", backup.toString());
        assertThat(restored.exit()).as(restored.err()).isZero();
        assertThat(restored.out()).contains("Restored the store taken");

        try (TestServer b = TestServer.start(fresh, TestServer.limitsLoadNeverReaches(), LOGGING_IN + ENROLLING,
                c -> c)) {
            b.clock.advance(Duration.between(b.clock.instant(), clockAtBackup));
            String key = b.serviceKey();
            for (Accepted e : acknowledged) {
                if (e.code() != null) {
                    assertThat(b.client().validate(key, e.user(), e.code(), "10.0.2.1").reason())
                            .as("%s's code accepted before the backup, again", e.user()).isEqualTo("code_replayed");
                }
            }
            b.clock.advance(Duration.ofSeconds(60));
            Map<String, Accepted> tokens = new java.util.LinkedHashMap<>();
            acknowledged.forEach(e -> tokens.put(e.token().token().id(), e));
            for (Accepted e : tokens.values()) {
                assertThat(b.client().validate(key, e.user(), b.codeNow(e.token()), "10.0.2.1").accepted())
                        .as("%s's token %s, acknowledged before the backup", e.user(), e.token().token().name())
                        .isTrue();
            }
            System.out.println(tokens.size() + " tokens acknowledged before the backup log in after the restore");
            // the audit log as it stood when the copy was taken, then the restore
            assertThat(Files.readString(fresh.resolve("audit.jsonl"))).contains(
                    "\"event\":\"validate_accept\",\"user\":\"alice\"", "\"event\":\"store_restored\"");
        }
    }

    @Test
    void aRestoreRefusesADamagedCopyAnotherKeyAndARunningServer() throws Exception {
        Path config = dir.resolve("server.yaml");
        Path backup = dir.resolve("backup");
        try (TestServer a = TestServer.start(dir.resolve("data"))) {
            a.enrolled("alice", "Phone");
            Files.writeString(config, "listen: " + a.server().baseUri().getAuthority() + "\ndataDir: data\n"
                    + "users: {file: users.yaml}\n");
            assertThat(server("backup", "--config", config.toString(), "--to", backup.toString()).exit()).isZero();
            CliRun again = server("backup", "--config", config.toString(), "--to", backup.toString());
            assertThat(again.exit()).isEqualTo(1);
            assertThat(again.err()).contains("is not a new or empty folder");

            CliRun underRunning = server("restore", "--config", config.toString(), "--from", backup.toString());
            assertThat(underRunning.exit()).isEqualTo(1);
            assertThat(underRunning.err()).contains("a server answers on", "Stop it first");
        }
        Path before = dir.resolve("data/lunarc-otp.db");
        byte[] storeBefore = Files.readAllBytes(before);

        Path other = dir.resolve("other");
        Files.createDirectories(other);
        Files.write(other.resolve("secret.key"), new byte[32]);
        Files.setPosixFilePermissions(other.resolve("secret.key"),
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Path otherConfig = dir.resolve("other.yaml");
        Files.writeString(otherConfig, "listen: 127.0.0.1:0\ndataDir: other\nusers: {file: users.yaml}\n");
        CliRun wrongKey = server("restore", "--config", otherConfig.toString(), "--from", backup.toString());
        assertThat(wrongKey.exit()).isEqualTo(1);
        assertThat(wrongKey.err()).contains("sealed with another key");
        assertThat(other.resolve("lunarc-otp.db")).doesNotExist();

        Path damaged = dir.resolve("damaged");
        Files.createDirectories(damaged);
        for (String f : new String[] {"lunarc-otp.db", "audit.jsonl", "manifest.json"}) {
            Files.copy(backup.resolve(f), damaged.resolve(f), StandardCopyOption.COPY_ATTRIBUTES);
        }
        try (RandomAccessFile f = new RandomAccessFile(damaged.resolve("lunarc-otp.db").toFile(), "rw")) {
            f.seek(5000);
            int b = f.read();
            f.seek(5000);
            f.write(b ^ 0xff);
        }
        CliRun broken = server("restore", "--config", config.toString(), "--from", damaged.toString());
        assertThat(broken.exit()).isEqualTo(1);
        assertThat(broken.err()).contains("the backup is damaged", "does not match its size and SHA-256");
        assertThat(Files.readAllBytes(before)).as("a refused restore leaves the store as it was").isEqualTo(storeBefore);

        CliRun good = server("restore", "--config", config.toString(), "--from", backup.toString());
        assertThat(good.exit()).as(good.err()).isZero();
        assertThat(good.out()).contains("the store it replaced is kept as");
        assertThat(Files.list(dir.resolve("data")).map(p -> p.getFileName().toString()))
                .anyMatch(n -> n.startsWith("lunarc-otp.db.before-restore-"));
    }

    /**
     * docs/backup.md's PostgreSQL procedure with the real tools: {@code pg_dump -Fc} while the server runs, then
     * {@code pg_restore} into a new database that a server with a copy of the key starts on.
     */
    @Test
    void aPostgresqlStoreComesBackThroughPgDumpAndPgRestore() throws Exception {
        Path password = dir.resolve("store-password");
        Files.writeString(password, Postgres.PASSWORD + "\n");
        String first = postgres.newDatabase();
        Path dump = dir.resolve("lunarc-otp.dump");
        Path config = dir.resolve("server.yaml");
        Files.writeString(config, "listen: 127.0.0.1:0\ndataDir: data\nusers: {file: users.yaml}\nstore: {type: "
                + "postgresql, url: \"" + first + "\", user: " + Postgres.USER + ", passwordFile: " + password + "}\n");
        CreatedToken phone;
        String used;
        java.time.Instant clockAtDump;
        try (TestServer a = TestServer.start(dir.resolve("data"),
                c -> c.withStore(new ServerConfig.Store("postgresql", first, Postgres.USER, password, 2)))) {
            phone = a.enrolled("alice", "Phone");
            used = a.codeNow(phone);
            assertThat(a.client().validate(a.serviceKey(), "alice", used, "10.0.0.1").accepted()).isTrue();
            CliRun refused = server("backup", "--config", config.toString(), "--to", dir.resolve("b").toString());
            assertThat(refused.exit()).isEqualTo(1);
            assertThat(refused.err()).contains("pg_dump");
            String database = first.substring(first.lastIndexOf('/') + 1);
            postgres.server().program("pg_dump", "-Fc", "-d", database, "-f", dump.toString());
            clockAtDump = a.clock.instant();
            Files.createDirectories(dir.resolve("fresh"));
            Files.copy(a.dir.resolve("secret.key"), dir.resolve("fresh/secret.key"));
        }
        String second = postgres.newDatabase();
        postgres.server().program("pg_restore", "--single-transaction", "--no-owner", "--role=" + Postgres.USER,
                "-d", second.substring(second.lastIndexOf('/') + 1), dump.toString());
        try (TestServer b = TestServer.start(dir.resolve("fresh"),
                c -> c.withStore(new ServerConfig.Store("postgresql", second, Postgres.USER, password, 2)))) {
            b.clock.advance(Duration.between(b.clock.instant(), clockAtDump));
            String key = b.serviceKey();
            assertThat(b.client().validate(key, "alice", used, "10.0.2.1").reason()).isEqualTo("code_replayed");
            b.clock.advance(Duration.ofSeconds(30));
            assertThat(b.client().validate(key, "alice", b.codeNow(phone), "10.0.2.1").accepted()).isTrue();
        }
    }
}
