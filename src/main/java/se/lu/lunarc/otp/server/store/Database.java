package se.lu.lunarc.otp.server.store;

import se.lu.lunarc.otp.server.errors.StoreUnavailable;

import se.lu.lunarc.otp.server.ServerConfig;
import se.lu.lunarc.otp.server.secrets.ConfigFiles;
import se.lu.lunarc.otp.server.secrets.PrivateFiles;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The store: the SQLite file in the data folder (WAL), or a PostgreSQL database shared by every node, brought to
 * the newest schema on open ({@link Migrations}). Writes run in one transaction each ({@link Transactions}): on
 * SQLite through the one writing connection, from one thread that commits what is waiting together (group
 * commit, {@link SqliteWriter}), first come first served; on PostgreSQL SERIALIZABLE and run again on a
 * conflict, so a decision read and written in one transaction holds across nodes. Reads that decide nothing by
 * themselves ({@link #read}) go through their own connections, beside the writer ({@link Pools}). SQLite runs
 * with {@code synchronous=FULL}: a commit is on disk before any caller in it is answered.
 */
public final class Database implements AutoCloseable {
    /** The SQL that differs between the two databases. */
    public enum Dialect {
        SQLITE("rowid"), POSTGRESQL("seq");

        /** The column that orders rows created in the same second as they were created. */
        public final String creationOrder;

        Dialect(String creationOrder) {
            this.creationOrder = creationOrder;
        }
    }

    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** The advisory lock PostgreSQL nodes hold while migrating and checking the key: any fixed number. */
    private static final long START_LOCK = 0x6c756e6172636f74L;

    private final Dialect dialect;
    /** SQLite: the one writing connection's pool, and that connection. PostgreSQL: the pool, and null. */
    private final DataSource writing;
    private final Connection connection;
    /** SQLite: the thread that runs every transaction, first come first served, with group commit. */
    private final SqliteWriter writer;
    private volatile DataSource readers;
    /** SQLite: a turn at a reading connection, handed out in the order asked for (the pool's wait is not fair). */
    private final java.util.concurrent.Semaphore readerTurns;
    private volatile Observer observer = (write, nanos, failed) -> { };

    /** Told how long each transaction and read took, and whether it failed (the metrics time the store by it). */
    public interface Observer {
        void observed(boolean write, long nanos, boolean failed);
    }

    public void observe(Observer observer) {
        this.observer = observer;
    }

    private Database(Dialect dialect, DataSource writing, Connection connection) throws SQLException {
        this.dialect = dialect;
        this.writing = writing;
        this.connection = connection;
        this.writer = connection == null ? null : new SqliteWriter(connection, "lunarc-otp-store-writer");
        this.readerTurns = connection == null ? null : new java.util.concurrent.Semaphore(Pools.SQLITE_READERS, true);
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
    public static Database open(ServerConfig.Store store, Path dataDir) throws IOException, SQLException {
        return open(store, dataDir, null);
    }

    /**
     * The same, with {@code atStart} (the key check) run once the schema is current, in a transaction under the
     * lock the migrations hold: nodes that start together on an empty PostgreSQL store migrate it once and agree
     * on one key, and a node with another key gets the key's message, never a half-made schema's SQL error.
     */
    public static Database open(ServerConfig.Store store, Path dataDir, Work<?> atStart)
            throws IOException, SQLException {
        if (store.type().equals("postgresql")) {
            String password = store.passwordFile() == null ? null
                    : ConfigFiles.readString(store.passwordFile(), "store.passwordFile").strip();
            return openPostgresql(store.url(), store.user(), password, store.poolSize(), atStart);
        }
        return open(dataDir.resolve("lunarc-otp.db"), atStart);
    }

    public static Database open(Path file) throws IOException, SQLException {
        return open(file, null);
    }

    /** The SQLite store in {@code file}, with {@code atStart} (the key check) run once its schema is current. */
    public static Database open(Path file, Work<?> atStart) throws IOException, SQLException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        // SQLite gives its -wal and -shm files the database file's mode: create that one 0600 first
        PrivateFiles.createIfMissing(file, "rw-------");
        String url = "jdbc:sqlite:" + file.toAbsolutePath();
        var writing = Pools.sqliteWriter(url);
        Database db;
        try {
            db = new Database(Dialect.SQLITE, writing, writing.getConnection());
        } catch (SQLException e) {
            writing.close();
            throw e;
        }
        try {
            db.migrate(atStart);
            db.readers = Pools.sqliteReaders(url);
        } catch (SQLException | RuntimeException e) {
            db.close();
            throw e;
        }
        return db;
    }

    /** A PostgreSQL store shared by several nodes, through a pool of {@code poolSize} connections. */
    public static Database openPostgresql(String url, String user, String password, int poolSize)
            throws SQLException {
        return openPostgresql(url, user, password, poolSize, null);
    }

    private static Database openPostgresql(String url, String user, String password, int poolSize, Work<?> atStart)
            throws SQLException {
        var pool = Pools.postgresql(url, user, password, poolSize);
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

    public int schemaVersion() throws SQLException {
        return inTransaction(new Migrations(dialect)::version);
    }

    /**
     * Brings the schema up to date, then runs {@code atStart}. On PostgreSQL all of it runs on one connection
     * holding a session advisory lock, so nodes starting together take turns: each transaction begins after the
     * lock is held and so sees what the node before committed. (A lock taken inside a SERIALIZABLE transaction came
     * too late: its snapshot was older than the lock.)
     */
    private void migrate(Work<?> atStart) throws SQLException {
        Migrations migrations = new Migrations(dialect);
        if (dialect == Dialect.SQLITE) {
            while (!inTransaction(migrations::applyNext)) {
                // one migration per transaction, until the newest
            }
            if (atStart != null) {
                inTransaction(atStart);
            }
            return;
        }
        try (Connection c = writing.getConnection()) {
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_lock(" + START_LOCK + ")");
            }
            try {
                while (!Transactions.once(c, migrations::applyNext)) {
                    // one migration per transaction, until the newest
                }
                if (atStart != null) {
                    Transactions.once(c, atStart);
                }
            } finally {
                try (Statement s = c.createStatement()) {
                    s.execute("SELECT pg_advisory_unlock(" + START_LOCK + ")");
                } catch (SQLException closed) {
                    // the connection is gone, and the lock with it
                }
            }
        }
    }

    /**
     * Runs {@code work} in one transaction, rolled back if it throws. On PostgreSQL it may run again after a
     * conflict: {@code work} must do nothing outside the database that it could not do twice.
     */
    public <T> T inTransaction(Work<T> work) throws SQLException {
        long start = System.nanoTime();
        boolean failed = true;
        try {
            T result;
            if (dialect == Dialect.SQLITE) {
                result = writer.run(work);
            } else {
                result = Transactions.serializable(writing, work);
            }
            failed = false;
            return result;
        } catch (SQLException | StoreUnavailable e) {
            throw e;
        } catch (RuntimeException e) {
            failed = false; // the work's own refusal (a ProblemException): the store answered
            throw e;
        } finally {
            observer.observed(true, System.nanoTime() - start, failed);
        }
    }

    /**
     * Runs {@code work} on a read-only connection, beside other readers and the writer; each statement sees the
     * newest committed data (no transaction is held open). What it reads may be stale by the time the caller
     * writes: a decision that must hold at the write is checked again in the write's own transaction (see
     * ValidateService.check).
     */
    public <T> T read(Work<T> work) throws SQLException {
        long start = System.nanoTime();
        boolean failed = true;
        boolean turn = false;
        try {
            if (readerTurns != null) {
                readerTurns.acquireUninterruptibly(); // first come, first served: the pool's own wait is not
                turn = true;
            }
            try (Connection r = readers.getConnection()) {
                T result = work.run(r);
                failed = false;
                return result;
            }
        } catch (SQLException | StoreUnavailable e) {
            throw e;
        } catch (RuntimeException e) {
            failed = false;
            throw e;
        } finally {
            if (turn) {
                readerTurns.release();
            }
            observer.observed(false, System.nanoTime() - start, failed);
        }
    }

    /**
     * SQLite's online backup of the whole store into {@code to}, a new file: the store as one moment saw it, taken
     * on a reader's connection while the writer goes on (WAL), so the server keeps serving.
     */
    public void backupTo(Path to) throws SQLException {
        if (dialect != Dialect.SQLITE) {
            throw new IllegalStateException("only a SQLite store is copied this way; PostgreSQL has pg_dump");
        }
        String target = to.toAbsolutePath().toString();
        if (target.contains("'")) {
            throw new IllegalArgumentException("a backup folder's path cannot contain a quote: " + target);
        }
        read(c -> {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("backup to '" + target + "'"); // sqlite-jdbc's command for sqlite3_backup
            }
            return null;
        });
    }

    /** SQLite's {@code PRAGMA integrity_check}: "ok", or what is wrong with the file. */
    public String integrityCheck() throws SQLException {
        return read(c -> {
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("PRAGMA integrity_check")) {
                StringBuilder out = new StringBuilder();
                while (r.next()) {
                    out.append(out.length() == 0 ? "" : "; ").append(r.getString(1));
                }
                return out.toString();
            }
        });
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
            if (writer != null) {
                writer.close(); // what is queued is committed first
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
