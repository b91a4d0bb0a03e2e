package se.lu.lunarc.otp.server.store;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How work runs in a transaction: once on a given connection, committed or rolled back whole; and on PostgreSQL
 * SERIALIZABLE, run again when PostgreSQL refuses it for a conflict with a concurrent one (on this node or
 * another), up to {@value #TRIES} times with a short random pause.
 */
final class Transactions {
    static final int TRIES = 10;

    private Transactions() {
    }

    static <T> T once(Connection c, Database.Work<T> work) throws SQLException {
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

    /** {@code work} must do nothing outside the database that it could not do twice. */
    static <T> T serializable(DataSource pool, Database.Work<T> work) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = pool.getConnection()) {
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
                    Thread.sleep(ThreadLocalRandom.current().nextInt(1, 5 * attempt + 2));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** Serialization failure or deadlock: the transaction may simply be run again. */
    static boolean isConflict(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            if ("40001".equals(x.getSQLState()) || "40P01".equals(x.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
