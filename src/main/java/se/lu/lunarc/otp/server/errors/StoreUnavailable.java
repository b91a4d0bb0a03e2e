package se.lu.lunarc.otp.server.errors;

import se.lu.lunarc.otp.server.store.Database;

import java.sql.SQLException;

/**
 * The store could not be read or written where the caller cannot declare it (sessions, sign-ins, proofs): the
 * request is refused with 503 and nothing is decided. Its message is fixed: a driver's message may quote SQL.
 */
public final class StoreUnavailable extends RuntimeException {
    public StoreUnavailable(Throwable cause) {
        super("the store cannot be reached", cause);
    }

    /** {@link Database#inTransaction}, with a failure of the store as this exception. */
    public static <T> T write(Database db, Database.Work<T> work) {
        try {
            return db.inTransaction(work);
        } catch (SQLException e) {
            throw new StoreUnavailable(e);
        }
    }

    /** {@link Database#read}, with a failure of the store as this exception. */
    public static <T> T read(Database db, Database.Work<T> work) {
        try {
            return db.read(work);
        } catch (SQLException e) {
            throw new StoreUnavailable(e);
        }
    }
}
