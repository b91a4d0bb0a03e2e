package se.lu.lunarc.otp.server.store;


import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.commons.dbcp2.BasicDataSource;

import javax.sql.DataSource;

import java.sql.Connection;
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
    /** What proves that a node holds the key the store's secrets were sealed with (see {@link KeyCheck}). */
    private static final String KEY_CHECK_TABLE = """
            CREATE TABLE store_key (
              id INTEGER PRIMARY KEY CHECK (id = 1),
              check_value BYTEA NOT NULL
            );
            """;

    /**
     * Sign-in state that every node must see the same: sessions (under a hash of their token), sign-ins waiting
     * for their SMS code (under a hash of their id; only a hash of the code), human-check proofs already spent,
     * RADIUS States (under a hash) and RADIUS SMS rounds. Times in epoch milliseconds.
     */
    private static final String SIGN_IN_TABLES = """
            CREATE TABLE sessions (
              token_hash TEXT PRIMARY KEY,
              id TEXT NOT NULL UNIQUE,
              username TEXT NOT NULL,
              created BIGINT NOT NULL,
              last_used BIGINT NOT NULL,
              address TEXT
            );
            CREATE INDEX sessions_by_user ON sessions (username);
            CREATE TABLE pending_logins (
              id_hash TEXT PRIMARY KEY,
              username TEXT NOT NULL,
              mobile TEXT NOT NULL,
              code_hash BYTEA NOT NULL,
              code_expires BIGINT NOT NULL,
              last_sent BIGINT NOT NULL,
              tries_left INTEGER NOT NULL,
              resends INTEGER NOT NULL,
              expires BIGINT NOT NULL
            );
            CREATE INDEX pending_logins_expiry ON pending_logins (expires);
            CREATE TABLE spent_proofs (
              signature TEXT PRIMARY KEY,
              expires BIGINT NOT NULL
            );
            CREATE INDEX spent_proofs_expiry ON spent_proofs (expires);
            CREATE TABLE radius_states (
              state_hash TEXT PRIMARY KEY,
              username TEXT NOT NULL,
              nas TEXT NOT NULL,
              expect TEXT NOT NULL,
              notice TEXT,
              expires BIGINT NOT NULL
            );
            CREATE INDEX radius_states_expiry ON radius_states (expires);
            CREATE TABLE radius_sms_rounds (
              username TEXT PRIMARY KEY,
              code_hash BYTEA,
              code_expires BIGINT NOT NULL DEFAULT 0,
              last_sent BIGINT,
              tries_left INTEGER NOT NULL DEFAULT 0,
              codes_sent INTEGER NOT NULL DEFAULT 0,
              expires BIGINT NOT NULL
            );
            """;

    /**
     * Hardware tokens imported from a vendor's PSKC file, by serial number, until a user registers one: the seed
     * sealed under the store's key (bound to "hardware:SERIAL"), and for HOTP the next counter expected.
     */
    private static final String HARDWARE_TABLE = """
            CREATE TABLE hardware_tokens (
              serial TEXT PRIMARY KEY,
              manufacturer TEXT,
              kind TEXT NOT NULL CHECK (kind IN ('hotp', 'totp')),
              digits INTEGER NOT NULL,
              period INTEGER NOT NULL,
              counter BIGINT NOT NULL,
              secret BYTEA NOT NULL,
              imported BIGINT NOT NULL,
              assigned_to TEXT,
              token_id TEXT
            );
            """;

    /** How a token makes its codes: phone apps TOTP/6/30; hardware tokens may differ, and have a serial. */
    private static final String TOKEN_KINDS = """
            ALTER TABLE tokens ADD COLUMN kind TEXT NOT NULL DEFAULT 'totp' CHECK (kind IN ('totp', 'hotp'));
            ALTER TABLE tokens ADD COLUMN digits INTEGER NOT NULL DEFAULT 6;
            ALTER TABLE tokens ADD COLUMN period INTEGER NOT NULL DEFAULT 30;
            ALTER TABLE tokens ADD COLUMN serial TEXT;
            """;

    /**
     * Wrong passwords per user and source, as {@code code_failures} counts wrong codes, so that guessing slows the
     * place it comes from and never locks the owner out of her own; and the name a RADIUS State's first round was
     * asked under, which its answer must carry again (the State itself holds the account's identity).
     */
    private static final String PASSWORD_FAILURES = """
            CREATE TABLE password_failures (
              username TEXT NOT NULL,
              source TEXT NOT NULL,
              failures BIGINT NOT NULL DEFAULT 0,
              next_try BIGINT NOT NULL DEFAULT 0,
              last_success BIGINT,
              PRIMARY KEY (username, source)
            );
            ALTER TABLE radius_states ADD COLUMN asked_as TEXT;
            """;

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
            """,
            KEY_CHECK_TABLE.replace("BYTEA", "BLOB"),
            SIGN_IN_TABLES.replace("BYTEA", "BLOB"),
            HARDWARE_TABLE.replace("BYTEA", "BLOB"),
            TOKEN_KINDS,
            PASSWORD_FAILURES);

    /**
     * The same schema on PostgreSQL, shared by every node: BIGINT for epoch seconds, BYTEA for sealed secrets,
     * {@code seq} for the order of creation that SQLite's rowid gives, and names unique without case through an
     * index on {@code lower(name)}. Numbered on its own; recorded in {@code schema_version}.
     */
    static final List<String> POSTGRESQL_MIGRATIONS = List.of(
            """
            CREATE TABLE tokens (
              id TEXT PRIMARY KEY,
              seq BIGINT GENERATED ALWAYS AS IDENTITY,
              username TEXT NOT NULL,
              name TEXT NOT NULL,
              status TEXT NOT NULL CHECK (status IN ('pending', 'active', 'disabled', 'revoked')),
              secret BYTEA,
              created BIGINT NOT NULL,
              activate_before BIGINT,
              activated BIGINT,
              expires BIGINT,
              last_used BIGINT,
              last_step BIGINT NOT NULL DEFAULT -1,
              drift_steps BIGINT NOT NULL DEFAULT 0,
              failed_attempts INTEGER NOT NULL DEFAULT 0,
              replayed_at BIGINT
            );
            CREATE INDEX tokens_by_user ON tokens (username, created, seq);
            CREATE UNIQUE INDEX tokens_unique_name ON tokens (username, lower(name)) WHERE status <> 'revoked';
            CREATE TABLE code_failures (
              username TEXT NOT NULL,
              source TEXT NOT NULL,
              failures BIGINT NOT NULL DEFAULT 0,
              next_try BIGINT NOT NULL DEFAULT 0,
              last_success BIGINT,
              PRIMARY KEY (username, source)
            );
            """,
            KEY_CHECK_TABLE,
            // Bucket4j's PostgreSQL backend: one row per rate-limit bucket, shared by every node
            """
            CREATE TABLE rate_buckets (
              id TEXT PRIMARY KEY,
              state BYTEA,
              expires_at BIGINT
            );
            CREATE INDEX rate_buckets_expiry ON rate_buckets (expires_at);
            """,
            SIGN_IN_TABLES,
            HARDWARE_TABLE,
            TOKEN_KINDS,
            PASSWORD_FAILURES);

    /** The SQL that differs between the two databases. */
    public enum Dialect {
        SQLITE("rowid"), POSTGRESQL("seq");

        /** The column that orders rows created in the same second as they were created. */
        public final String creationOrder;

        Dialect(String creationOrder) {
            this.creationOrder = creationOrder;
        }
    }

    private static final int READERS = Math.max(2, Runtime.getRuntime().availableProcessors() * 2);
    private final Dialect dialect;
    /** SQLite: the one writing connection's pool, and that connection. PostgreSQL: the pool, and null. */
    private final DataSource writing;
    private final Connection connection;
    private volatile DataSource readers;

    private Database(Dialect dialect, DataSource writing, Connection connection) {
        this.dialect = dialect;
        this.writing = writing;
        this.connection = connection;
    }

    public Dialect dialect() {
        return dialect;
    }

    /** The pool of a PostgreSQL store, for what keeps its own tables there (the rate limits). */
    public DataSource sharedDataSource() {
        if (dialect != Dialect.POSTGRESQL) {
            throw new IllegalStateException("only a PostgreSQL store is shared");
        }
        return writing;
    }

    /** The store a server's configuration names: its SQLite file in {@code dataDir}, or the shared PostgreSQL. */
    public static Database open(se.lu.lunarc.otp.server.ServerConfig.Store store, Path dataDir)
            throws IOException, SQLException {
        return open(store, dataDir, null);
    }

    /**
     * The same, with {@code atStart} (the key check) run once the schema is current, in a transaction under the
     * lock the migrations hold: nodes that start together on an empty PostgreSQL store migrate it once and agree
     * on one key, and a node with another key gets the key's message, never a half-made schema's SQL error.
     */
    public static Database open(se.lu.lunarc.otp.server.ServerConfig.Store store, Path dataDir, Work<?> atStart)
            throws IOException, SQLException {
        if (store.type().equals("postgresql")) {
            String password = store.passwordFile() == null ? null
                    : se.lu.lunarc.otp.server.secrets.ConfigFiles.readString(store.passwordFile(), "store.passwordFile").strip();
            return openPostgresql(store.url(), store.user(), password, store.poolSize(), atStart);
        }
        return open(dataDir.resolve("lunarc-otp.db"), atStart);
    }

    public static Database open(Path file) throws IOException, SQLException {
        return open(file, null);
    }

    private static Database open(Path file, Work<?> atStart) throws IOException, SQLException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        // SQLite gives its -wal and -shm files the database file's mode: create that one 0600 first
        se.lu.lunarc.otp.server.secrets.PrivateFiles.createIfMissing(file, "rw-------");
        String url = "jdbc:sqlite:" + file.toAbsolutePath();
        BasicDataSource writing = pool(url, 1, List.of("PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL",
                "PRAGMA foreign_keys=ON", "PRAGMA busy_timeout=5000"));
        // each write takes the write lock at its start, waiting for another process's (such as an administrator's
        // command) instead of failing when its read turns into a write
        writing.addConnectionProperty("transaction_mode", "IMMEDIATE");
        Database db;
        try {
            db = new Database(Dialect.SQLITE, writing, writing.getConnection());
        } catch (SQLException e) {
            writing.close();
            throw e;
        }
        try {
            db.migrate(atStart);
            // opened after the writer has switched the file to WAL
            db.readers = pool(url, READERS, List.of("PRAGMA query_only=1", "PRAGMA busy_timeout=5000"));
        } catch (SQLException | RuntimeException e) {
            db.close();
            throw e;
        }
        return db;
    }

    /**
     * A PostgreSQL store shared by several nodes, through a HikariCP pool (the driver keeps prepared statements on
     * the server itself). Writes run concurrently, each SERIALIZABLE and retried when PostgreSQL finds it
     * conflicted with another, so a decision read and written in one transaction holds across nodes.
     */
    public static Database openPostgresql(String url, String user, String password, int poolSize)
            throws SQLException {
        return openPostgresql(url, user, password, poolSize, null);
    }

    private static Database openPostgresql(String url, String user, String password, int poolSize, Work<?> atStart)
            throws SQLException {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        config.setPoolName("lunarc-otp-store");
        // a store that does not answer is told within seconds (503, try again), not after a login has timed out
        config.setConnectionTimeout(5_000);
        config.setInitializationFailTimeout(10_000);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            // the URL without its parameters, which may hold a password
            throw new SQLException("cannot reach the PostgreSQL store at " + url.replaceFirst("\\?.*", "") + ": "
                    + rootMessage(e), e);
        }
        Database db = new Database(Dialect.POSTGRESQL, pool, null);
        db.readers = pool;
        try {
            db.migrate(atStart);
        } catch (SQLException | RuntimeException e) {
            db.close();
            throw e;
        }
        return db;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
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

    private List<String> migrations() {
        return dialect == Dialect.SQLITE ? MIGRATIONS : POSTGRESQL_MIGRATIONS;
    }

    public int schemaVersion() throws SQLException {
        return inTransaction(this::schemaVersion);
    }

    private int schemaVersion(Connection c) throws SQLException {
        if (dialect == Dialect.SQLITE) {
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
     * Brings the schema up to date, one numbered migration per transaction, then runs {@code atStart}. On
     * PostgreSQL all of it runs on one connection holding a session advisory lock, so nodes starting together
     * take turns: each transaction begins after the lock is held and so sees what the node before committed. (A
     * lock taken inside a SERIALIZABLE transaction came too late: its snapshot was older than the lock.) A schema
     * newer than this program knows stops the start, untouched.
     */
    private void migrate(Work<?> atStart) throws SQLException {
        if (dialect == Dialect.SQLITE) {
            while (!inTransaction(this::migrateOnce)) {
                // one migration per transaction, until the newest
            }
            if (atStart != null) {
                inTransaction(atStart);
            }
            return;
        }
        try (Connection c = writing.getConnection()) {
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_lock(" + MIGRATION_LOCK + ")");
            }
            try {
                while (!once(c, this::migrateOnce)) {
                    // one migration per transaction, until the newest
                }
                if (atStart != null) {
                    once(c, atStart);
                }
            } finally {
                try (Statement s = c.createStatement()) {
                    s.execute("SELECT pg_advisory_unlock(" + MIGRATION_LOCK + ")");
                } catch (SQLException closed) {
                    // the connection is gone, and the lock with it
                }
            }
        }
    }

    /** Applies the next migration, if any; true when the schema is the newest. */
    private boolean migrateOnce(Connection c) throws SQLException {
        List<String> migrations = migrations();
        int current = schemaVersion(c);
        if (current > migrations.size()) {
            throw new SQLException("the database has schema " + current + ", newer than this program knows ("
                    + migrations.size() + "); refusing to touch it");
        }
        if (current == migrations.size()) {
            return true;
        }
        int target = current + 1;
        try (Statement s = c.createStatement()) {
            for (String sql : migrations.get(target - 1).split(";")) {
                if (!sql.isBlank()) {
                    s.execute(sql);
                }
            }
            s.execute(dialect == Dialect.SQLITE ? "PRAGMA user_version = " + target
                    : "INSERT INTO schema_version (version) VALUES (" + target + ")");
        }
        return false;
    }

    /** The advisory lock PostgreSQL nodes take while migrating: any fixed number, the same on every node. */
    private static final long MIGRATION_LOCK = 0x6c756e6172636f74L;

    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction, rolled back if it throws. On PostgreSQL the transaction is
     * SERIALIZABLE and run again (up to {@value #TRIES} times) when PostgreSQL refuses it for a conflict with a
     * concurrent one, on this node or another: {@code work} must do nothing outside the database that it could
     * not do twice.
     */
    public <T> T inTransaction(Work<T> work) throws SQLException {
        if (dialect == Dialect.SQLITE) {
            synchronized (this) {
                return once(connection, work);
            }
        }
        for (int attempt = 1; ; attempt++) {
            try (Connection c = writing.getConnection()) {
                c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
                try {
                    return once(c, work);
                } finally {
                    c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                }
            } catch (SQLException e) {
                if (attempt >= TRIES || !isConflict(e)) {
                    throw e;
                }
                try {
                    Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextInt(1, 5 * attempt + 2));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static final int TRIES = 10;

    /** Serialization failure or deadlock: the transaction may simply be run again. */
    private static boolean isConflict(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            if ("40001".equals(x.getSQLState()) || "40P01".equals(x.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static <T> T once(Connection c, Work<T> work) throws SQLException {
        c.setAutoCommit(false);
        try {
            T result = work.run(c);
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
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

    /** Throws unless the store answers a trivial query now. */
    public void ping() throws SQLException {
        read(c -> {
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT 1")) {
                return r.next();
            }
        });
    }

    @Override
    public synchronized void close() throws SQLException {
        try {
            if (readers instanceof AutoCloseable r && readers != writing) {
                r.close();
            }
            if (connection != null) {
                connection.close();
            }
        } catch (Exception e) {
            throw e instanceof SQLException sql ? sql : new SQLException("closing the store failed", e);
        } finally {
            try {
                ((AutoCloseable) writing).close();
            } catch (Exception e) {
                throw e instanceof SQLException sql ? sql : new SQLException("closing the store failed", e);
            }
        }
    }
}
