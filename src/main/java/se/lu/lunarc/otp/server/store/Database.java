package se.lu.lunarc.otp.server.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.dbcp2.BasicDataSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The SQLite file in the data folder, in WAL mode, brought to the newest schema on open. Migrations are
 * numbered by position and recorded in SQLite's own {@code user_version}, so each runs exactly once.
 * Writes go through one connection under a lock: SQLite serialises writers anyway, and this keeps transactions
 * simple, so callers keep them short. (Committing writes in groups from one writer thread was tried: in WAL mode
 * with {@code synchronous=NORMAL} a commit does not wait for the disk, and the hand-over between threads cost
 * more than the commits it saved.) Reads that decide nothing by themselves ({@link #read}) go through a small
 * pool of read-only connections, which WAL lets run beside each other and beside the writer. Both keep their
 * prepared statements (Commons DBCP).
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
            """,
            // a user's tokens in the order they are listed, straight from the index instead of a sort
            """
            DROP INDEX tokens_by_user;
            CREATE INDEX tokens_by_user ON tokens (username, created);
            """);

    private static final int READERS = Math.max(2, Runtime.getRuntime().availableProcessors() * 2);
    private final BasicDataSource writing;
    private final Connection connection;
    private volatile BasicDataSource readers;

    private Database(BasicDataSource writing, Connection connection) {
        this.writing = writing;
        this.connection = connection;
    }

    public static Database open(Path file) throws IOException, SQLException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        // SQLite gives its -wal and -shm files the database file's mode: create that one 0600 first
        se.lu.lunarc.otp.server.PrivateFiles.createIfMissing(file, "rw-------");
        String url = "jdbc:sqlite:" + file.toAbsolutePath();
        BasicDataSource writing = pool(url, 1, List.of("PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL",
                "PRAGMA foreign_keys=ON", "PRAGMA busy_timeout=5000"));
        Database db;
        try {
            db = new Database(writing, writing.getConnection());
        } catch (SQLException e) {
            writing.close();
            throw e;
        }
        try {
            db.migrate();
            // opened after the writer has switched the file to WAL
            db.readers = pool(url, READERS, List.of("PRAGMA query_only=1", "PRAGMA busy_timeout=5000"));
        } catch (SQLException | RuntimeException e) {
            db.close();
            throw e;
        }
        return db;
    }

    /**
     * Connections that keep their prepared statements: SQLite compiles a statement on every prepare, which was
     * the largest single cost of a code check, and sqlite-jdbc keeps none itself.
     */
    private static BasicDataSource pool(String url, int size, List<String> setUp) {
        BasicDataSource pool = new BasicDataSource();
        pool.setUrl(url);
        pool.setDriverClassName("org.sqlite.JDBC");
        pool.setConnectionInitSqls(setUp);
        pool.setMaxTotal(size);
        pool.setMaxIdle(size);
        pool.setPoolPreparedStatements(true);
        pool.setMaxOpenPreparedStatements(64 * size);
        pool.setMaxWait(java.time.Duration.ofSeconds(30));
        pool.setTestOnBorrow(false); // a local file: nothing to go stale, and a test query would cost a prepare
        return pool;
    }

    public int schemaVersion() throws SQLException {
        return inTransaction(c -> {
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("PRAGMA user_version")) {
                return r.getInt(1);
            }
        });
    }

    private void migrate() throws SQLException {
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
        try (Connection r = readers.getConnection()) {
            return work.run(r);
        }
    }

    @Override
    public synchronized void close() throws SQLException {
        try {
            if (readers != null) {
                readers.close();
            }
            connection.close();
        } finally {
            writing.close();
        }
    }
}
