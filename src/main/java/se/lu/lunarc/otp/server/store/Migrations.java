package se.lu.lunarc.otp.server.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The schema's migrations, one {@code .sql} file each under {@code migrations/DIALECT/} beside this class, applied
 * in the order listed here, each once, in a transaction of its own. The number applied is kept in SQLite's own
 * {@code user_version}, and on PostgreSQL in a {@code schema_version} table. A migration once shipped is never
 * changed: a new one is added at the end.
 *
 * <p>Flyway was weighed and not taken: its own history table would have to take over from these version numbers
 * on every deployed store, it locks on its own while the key check must run under the same lock as the
 * migrations (see {@link Database#open}), and this runner is some sixty lines.
 */
final class Migrations {
    static final List<String> SQLITE = List.of("001-tokens", "002-code-failures", "003-replayed-at",
            "004-tokens-by-user-and-age", "005-store-key", "006-sign-in-tables", "007-hardware-tokens",
            "008-token-kinds", "009-password-failures");
    static final List<String> POSTGRESQL = List.of("001-tokens-and-code-failures", "002-store-key",
            "003-rate-buckets", "004-sign-in-tables", "005-hardware-tokens", "006-token-kinds",
            "007-password-failures");

    private final Database.Dialect dialect;

    Migrations(Database.Dialect dialect) {
        this.dialect = dialect;
    }

    private List<String> names() {
        return dialect == Database.Dialect.SQLITE ? SQLITE : POSTGRESQL;
    }

    /** The number of migrations applied to the store {@code c} is connected to. */
    int version(Connection c) throws SQLException {
        if (dialect == Database.Dialect.SQLITE) {
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("PRAGMA user_version")) {
                return r.getInt(1);
            }
        }
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
            try (ResultSet r = s.executeQuery("SELECT coalesce(max(version), 0) FROM schema_version")) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    /**
     * Applies the next migration, if any, in the caller's transaction; true when the schema is the newest. A schema
     * newer than this program knows stops the start, untouched.
     */
    boolean applyNext(Connection c) throws SQLException {
        List<String> names = names();
        int current = version(c);
        if (current > names.size()) {
            throw new SQLException("the database has schema " + current + ", newer than this program knows ("
                    + names.size() + "); refusing to touch it");
        }
        if (current == names.size()) {
            return true;
        }
        int target = current + 1;
        try (Statement s = c.createStatement()) {
            for (String sql : script(names.get(target - 1)).split(";")) {
                if (!sql.isBlank()) {
                    s.execute(sql);
                }
            }
            s.execute(dialect == Database.Dialect.SQLITE ? "PRAGMA user_version = " + target
                    : "INSERT INTO schema_version (version) VALUES (" + target + ")");
        }
        return false;
    }

    private String script(String name) throws SQLException {
        String path = "migrations/" + dialect.name().toLowerCase(java.util.Locale.ROOT) + "/" + name + ".sql";
        try (InputStream in = Migrations.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new SQLException("migration " + path + " is missing from the program");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SQLException("migration " + path + " cannot be read", e);
        }
    }
}
