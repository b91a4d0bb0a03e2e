package se.lu.lunarc.otp.server;

/**
 * The store could not be read or written where the caller cannot declare it (sessions, sign-ins, proofs): the
 * request is refused with 503 and nothing is decided. Its message is fixed: a driver's message may quote SQL.
 */
public final class StoreUnavailable extends RuntimeException {
    public StoreUnavailable(Throwable cause) {
        super("the store cannot be reached", cause);
    }
}
