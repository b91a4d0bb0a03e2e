package se.lu.lunarc.otp.server.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import se.lu.lunarc.otp.api.CreatedToken;
import se.lu.lunarc.otp.api.Token;
import se.lu.lunarc.otp.api.ValidateResult;
import se.lu.lunarc.otp.client.EnrollmentClient;
import se.lu.lunarc.otp.testing.CliRun;
import se.lu.lunarc.otp.testing.Postgres;
import se.lu.lunarc.otp.testing.PostgresPerClass;
import se.lu.lunarc.otp.testing.TestServer;
import se.lu.lunarc.otp.testing.TwoNodes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code lunarc-otp server migrate-store}: a site that ran on SQLite, with real enrollments made over HTTP,
 * moved to a real PostgreSQL; then the server on the new store, on the same data folder, logs every user in.
 */
class MigrateStoreTest {
    @RegisterExtension
    static final PostgresPerClass postgres = new PostgresPerClass();

    @TempDir
    Path dir;



    private static CliRun migrate(String... args) {
        return CliRun.of(List.of("server", "migrate-store"), args);
    }

    /** Rows per table, read behind the application's back. */
    private static Map<String, Integer> counts(Connection c, List<String> tables) throws SQLException {
        Map<String, Integer> counts = new LinkedHashMap<>();
        try (Statement s = c.createStatement()) {
            for (String table : tables) {
                try (ResultSet r = s.executeQuery("SELECT count(*) FROM " + table)) {
                    r.next();
                    counts.put(table, r.getInt(1));
                }
            }
        }
        return counts;
    }

    /**
     * Every table of the SQLite schema but the key check (which each store seals for itself): found here, not
     * taken from the migration, so that a table the migration forgets is caught.
     */
    private static List<String> tables(Path file) throws SQLException {
        List<String> tables = new java.util.ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' "
                     + "AND name NOT LIKE 'sqlite_%' AND name <> 'store_key' ORDER BY name")) {
            while (r.next()) {
                tables.add(r.getString(1));
            }
        }
        return tables;
    }

    private static Map<String, Integer> sqliteCounts(Path file) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            return counts(c, tables(file));
        }
    }

    private static Map<String, Integer> postgresCounts(String url, List<String> tables) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, Postgres.USER, Postgres.PASSWORD)) {
            return counts(c, tables);
        }
    }

    private Path passwordFile() throws Exception {
        Path file = dir.resolve("store-password");
        Files.writeString(file, Postgres.PASSWORD + "\n");
        return file;
    }

    /** postgresql://127.0.0.1:PORT/DB, as an administrator would write it. */
    private static String target(String jdbcUrl) {
        return "postgresql:" + jdbcUrl.substring("jdbc:postgresql:".length());
    }

    @Test
    void aSqliteSiteMovesToPostgresqlAndEveryTokenStillLogsIn() throws Exception {
        Path site = dir.resolve("site");
        Path file = site.resolve("lunarc-otp.db");
        List<String> owners = List.of("alice", "alice", "user00", "user01");
        List<CreatedToken> active;
        CreatedToken pending;
        Instant then;
        String wrongCode;
        try (TestServer old = TestServer.start(site, null, 3)) {
            active = List.of(old.enrolled("alice", "Phone"), old.enrolled("alice", "Tablet"),
                    old.enrolled("user00", "Phone"), old.enrolled("user01", "Key fob"));
            EnrollmentClient alice = old.signedIn("alice");
            CreatedToken revoked = alice.createToken("Old phone");
            alice.revoke(revoked.token().id());
            EnrollmentClient user02 = old.signedIn("user02");
            // two tokens made in the same second, waiting for their first code: listed in the order made
            pending = user02.createToken("Phone");
            user02.createToken("Laptop");
            wrongCode = old.codeAt(active.get(2), 5); // five steps ahead: outside the window
            ValidateResult wrong = old.client().validate(old.serviceKey(), "user00", wrongCode, "10.9.8.7");
            assertThat(wrong.accepted()).isFalse();
            then = old.clock.instant().plusSeconds(30);
            // a hardware token imported from its vendor's file, not yet registered by anyone
            Path pskc = dir.resolve("fob.pskcxml");
            try (var in = getClass().getResourceAsStream("/se/lu/lunarc/otp/server/hardware/rfc6030-figure3.pskcxml")) {
                Files.write(pskc, in.readAllBytes());
            }
            Path siteConfig = dir.resolve("server.yaml");
            Files.writeString(siteConfig, "listen: 127.0.0.1:0\ndataDir: site\nusers: {file: users.yaml}\n");
            assertThat(se.lu.lunarc.otp.Cli.commandLine().execute("server", "tokens", "import", pskc.toString(),
                    "--config", siteConfig.toString())).isZero();
        }
        Map<String, Integer> before = sqliteCounts(file);
        List<String> tables = tables(file);
        assertThat(tables).contains("tokens", "code_failures", "sessions");
        assertThat(before.get("tokens")).isEqualTo(7);
        assertThat(before.get("hardware_tokens")).isEqualTo(1);
        assertThat(before.get("code_failures")).isEqualTo(1);
        assertThat(before.get("sessions")).isPositive();

        String url = postgres.newDatabase();
        Path password = passwordFile();
        CliRun run = migrate("--from", "sqlite:" + file, "--to", target(url), "--user", Postgres.USER,
                "--password-file", password.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("7 tokens", "1 code failures")
                // every token's but the revoked one's (gone), and the hardware token's
                .contains(before.get("tokens") - 1 + 1 + " token secrets opened");
        assertThat(run.out()).doesNotContain(Postgres.PASSWORD);
        assertThat(postgresCounts(url, tables)).isEqualTo(before);

        // the same data folder (key file, service key), now on the new store
        try (TestServer moved = TestServer.start(site, 3, TwoNodes.onStore(url, password))) {
            moved.clock.advance(Duration.between(moved.clock.instant(), then));
            String key = moved.serviceKey();
            for (int i = 0; i < active.size(); i++) {
                String code = moved.codeNow(active.get(i));
                assertThat(moved.client().validate(key, owners.get(i), code, "10.0.0.1").accepted())
                        .as("%s's token %s", owners.get(i), active.get(i).token().name()).isTrue();
                assertThat(moved.client().validate(key, owners.get(i), code, "10.0.0.1").accepted())
                        .as("the same code a second time").isFalse();
            }
            List<Token> alices = moved.signedIn("alice").tokens();
            assertThat(alices).extracting(Token::name).containsExactly("Phone", "Tablet", "Old phone");
            EnrollmentClient user02 = moved.signedIn("user02");
            assertThat(user02.tokens()).extracting(Token::name).containsExactly("Phone", "Laptop");
            Token activated = user02.activate(pending.token().id(), moved.codeNow(pending));
            assertThat(activated.status()).isEqualTo("active");
            // the station that sent a wrong code still has it counted
            try (Connection c = DriverManager.getConnection(url, Postgres.USER, Postgres.PASSWORD);
                 Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT failures FROM code_failures WHERE username = 'user00' "
                         + "AND source = '10.9.8.7'")) {
                assertThat(r.next()).isTrue();
                assertThat(r.getLong(1)).isEqualTo(1);
            }
        }

        Map<String, Integer> after = postgresCounts(url, tables);
        CliRun again = migrate("--from", "sqlite:" + file, "--to", target(url), "--user", Postgres.USER,
                "--password-file", password.toString());
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("not empty").contains("Nothing was written");
        assertThat(postgresCounts(url, tables)).isEqualTo(after);
    }

    @Test
    void aKeyFileThatOpensNoSecretWritesNothing() throws Exception {
        Path site = dir.resolve("site");
        Path file = site.resolve("lunarc-otp.db");
        try (TestServer old = TestServer.start(site)) {
            old.enrolled("alice", "Phone");
        }
        Path otherKey = dir.resolve("other.key");
        Files.write(otherKey, new java.security.SecureRandom().generateSeed(32));
        Files.setPosixFilePermissions(otherKey, PosixFilePermissions.fromString("rw-------"));
        String url = postgres.newDatabase();
        CliRun run = migrate("--from", "sqlite:" + file, "--to", target(url), "--user", Postgres.USER,
                "--password-file", passwordFile().toString(), "--key-file", otherKey.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("Not migrated", "is not the key this store's secrets were sealed with");
        try (Database target = Database.openPostgresql(url, Postgres.USER, Postgres.PASSWORD, 1)) {
            int tokens = target.read(c -> counts(c, List.of("tokens")).get("tokens"));
            assertThat(tokens).isZero();
        }
    }

    @Test
    void aMissingStoreOrKeyIsNamedAndNothingIsCreated() throws Exception {
        String url = postgres.newDatabase();
        Path nowhere = dir.resolve("nowhere").resolve("lunarc-otp.db");
        CliRun run = migrate("--from", "sqlite:" + nowhere, "--to", target(url), "--user", Postgres.USER);
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("No SQLite store at " + nowhere);
        assertThat(nowhere.getParent()).doesNotExist();
        CliRun badTarget = migrate("--from", "sqlite:" + nowhere, "--to", "mysql://db/otp", "--user", "x");
        assertThat(badTarget.exit()).isEqualTo(2);
        assertThat(badTarget.err()).contains("--to must be postgresql://");
    }
}
