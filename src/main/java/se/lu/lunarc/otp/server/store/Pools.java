package se.lu.lunarc.otp.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.commons.dbcp2.BasicDataSource;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * The connections of each database. SQLite: one writing connection (SQLite serialises writers anyway, and this
 * keeps transactions simple) and a small pool of read-only ones beside it, which WAL lets run together; both keep
 * their prepared statements (Commons DBCP), since SQLite compiles a statement on every prepare, which was the
 * largest single cost of a code check. PostgreSQL: one HikariCP pool (the driver keeps prepared statements on the
 * server itself).
 */
final class Pools {
    static final int SQLITE_READERS = Math.max(2, Runtime.getRuntime().availableProcessors() * 4);

    private Pools() {
    }

    static BasicDataSource sqliteWriter(String url) {
        BasicDataSource pool = sqlite(url, 1, List.of("PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL",
                "PRAGMA foreign_keys=ON", "PRAGMA busy_timeout=5000"));
        // each write takes the write lock at its start, waiting for another process's (such as an administrator's
        // command) instead of failing when its read turns into a write
        pool.addConnectionProperty("transaction_mode", "IMMEDIATE");
        return pool;
    }

    /** Opened after the writer has switched the file to WAL. */
    static BasicDataSource sqliteReaders(String url) {
        return sqlite(url, SQLITE_READERS, List.of("PRAGMA query_only=1", "PRAGMA busy_timeout=5000"));
    }

    private static BasicDataSource sqlite(String url, int size, List<String> setUp) {
        BasicDataSource pool = new BasicDataSource();
        pool.setUrl(url);
        pool.setDriverClassName("org.sqlite.JDBC");
        pool.setConnectionInitSqls(setUp);
        pool.setMaxTotal(size);
        pool.setMaxIdle(size);
        pool.setPoolPreparedStatements(true);
        pool.setMaxOpenPreparedStatements(64 * size);
        pool.setMaxWait(Duration.ofSeconds(30));
        pool.setTestOnBorrow(false); // a local file: nothing to go stale, and a test query would cost a prepare
        return pool;
    }

    static HikariDataSource postgresql(String url, String user, String password, int poolSize) throws SQLException {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        config.setPoolName("lunarc-otp-store");
        // a store that does not answer is told within seconds (503, try again), not after a login has timed out
        config.setConnectionTimeout(5_000);
        config.setInitializationFailTimeout(10_000);
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            // the URL without its parameters, which may hold a password
            throw new SQLException("cannot reach the PostgreSQL store at " + url.replaceFirst("\\?.*", "") + ": "
                    + rootMessage(e), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
