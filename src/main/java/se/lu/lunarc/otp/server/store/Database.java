package se.lu.lunarc.otp.server.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The SQLite file in the data folder, in WAL mode, brought to the newest schema on open. Migrations are
 * numbered by position and recorded in SQLite's own {@code user_version}, so each runs exactly once.
 * Writes go through one connection under a lock: SQLite serialises writers anyway, and this keeps transactions
 * simple, so callers keep them short. Reads that decide nothing by themselves ({@link #read}) go through a small
 * pool of read-only connections, which WAL lets run beside each other and beside the writer.
 */
public final class Database implements AutoCloseable {
    static final List<String> MIGRATIONS = List.of(
            """
            CREATE TABLE tokens (
              id TEXT PRIMARY KEY,
              username TEXT NOT NULL,
              name TEXT NOT NULL COLLATE NOCASE,
              status TEXT NOT NULL CHECK (status IN ('pending', 'active', 'disabled', 'revoked')),
              secret BLOB,
              created INTEGER NOT NULL,
              activate_before INTEGER,
              activated INTEGER,
              expires INTEGER,
              last_used INTEGER,
              last_step INTEGER NOT NULL DEFAULT -1,
              drift_steps INTEGER NOT NULL DEFAULT 0,
              failed_attempts INTEGER NOT NULL DEFAULT 0
            );
            CREATE INDEX tokens_by_user ON tokens (username);
            CREATE UNIQUE INDEX tokens_unique_name ON tokens (username, name) WHERE status <> 'revoked';
            CREATE TABLE validate_failures (
              username TEXT PRIMARY KEY,
              failures INTEGER NOT NULL,
              locked_until INTEGER
            );
            """,
            // code failures per user *and source* (the station the user logs in from), so that guesses from one
            // place slow that place down and never lock the owner out elsewhere; reset only by a success there
            """
            DROP TABLE validate_failures;
            CREATE TABLE code_failures (
              username TEXT NOT NULL,
              source TEXT NOT NULL,
              failures INTEGER NOT NULL DEFAULT 0,
              next_try INTEGER NOT NULL DEFAULT 0,
              last_success INTEGER,
              PRIMARY KEY (username, source)
            );
            """,
            // when a token's code was last presented twice: the user is told on the Tokens tab (ASVS 2.8.5)
            """
            ALTER TABLE tokens ADD COLUMN replayed_at INTEGER;
            """);

    private static final int READERS = Math.max(2, Runtime.getRuntime().availableProcessors() * 2);
    private final Connection connection;
    private final java.util.concurrent.BlockingQueue<Connection> readers =
            new java.util.concurrent.ArrayBlockingQueue<>(READERS);
    private Database(Connection connection) {
        this.connection = connection;
    }

    public static Database open(Path file) throws IOException, SQLException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        // SQLite gives its -wal and -shm files the database file's mode: create that one 0600 first
        se.lu.lunarc.otp.server.PrivateFiles.createIfMissing(file, "rw-------");
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=NORMAL");
            s.execute("PRAGMA foreign_keys=ON");
            s.execute("PRAGMA busy_timeout=5000");
        }
        Database db = new Database(c);
        db.migrate();
        for (int i = 0; i < READERS; i++) {
            Connection r = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement s = r.createStatement()) {
                s.execute("PRAGMA query_only=1");
                s.execute("PRAGMA busy_timeout=5000");
            }
            db.readers.add(r);
        }
        return db;
    }

    public synchronized int schemaVersion() throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery("PRAGMA user_version")) {
            return r.getInt(1);
        }
    }

    private synchronized void migrate() throws SQLException {
        int current = schemaVersion();
        if (current > MIGRATIONS.size()) {
            throw new SQLException("the database has schema " + current + ", newer than this program knows ("
                    + MIGRATIONS.size() + "); refusing to touch it");
        }
        for (int v = current; v < MIGRATIONS.size(); v++) {
            int target = v + 1;
            inTransaction(c -> {
                try (Statement s = c.createStatement()) {
                    for (String sql : MIGRATIONS.get(target - 1).split(";")) {
                        if (!sql.isBlank()) {
                            s.execute(sql);
                        }
                    }
                    s.execute("PRAGMA user_version = " + target);
                }
                return null;
            });
        }
    }

    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} in one transaction, rolled back if it throws. */
    public synchronized <T> T inTransaction(Work<T> work) throws SQLException {
        connection.setAutoCommit(false);
        try {
            T result = work.run(connection);
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /**
     * Runs {@code work} on a read-only connection, beside other readers and the writer; each statement sees the
     * newest committed data (no transaction is held open). What it reads may be stale by the time the caller
     * writes: a decision that must hold at the write is checked again in the write's own transaction (see
     * ValidateService.check).
     */
    public <T> T read(Work<T> work) throws SQLException {
        Connection r;
        try {
            r = readers.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted waiting for a database connection", e);
        }
        try {
            return work.run(r);
        } finally {
            readers.add(r);
        }
    }

    @Override
    public synchronized void close() throws SQLException {
        for (Connection r : readers) {
            r.close();
        }
        connection.close();
    }
}
