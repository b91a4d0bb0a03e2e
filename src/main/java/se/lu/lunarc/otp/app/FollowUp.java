package se.lu.lunarc.otp.app;

import se.lu.lunarc.otp.client.ApiException;

/**
 * The reads that follow a step the server has already done (the account after the SMS code, the list after an
 * activation). The step is not asked again: it succeeded, and asking again would fail (a spent code). So a read
 * that fails for a passing reason (the network, a store or directory not answering) is tried again on its own, a
 * few times over some seconds, before the failure is shown; and then the user's Retry asks only for the read.
 */
public final class FollowUp {
    /** Tries in all, and the wait before the second; each next wait doubles. */
    static final int TRIES = 4;
    static final long FIRST_WAIT_MILLIS = 500;

    public interface Read<T> {
        T get() throws ApiException;
    }

    interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    private FollowUp() {
    }

    public static <T> T read(Read<T> read) throws ApiException {
        return read(read, Thread::sleep);
    }

    static <T> T read(Read<T> read, Sleeper sleeper) throws ApiException {
        long wait = FIRST_WAIT_MILLIS;
        for (int attempt = 1; ; attempt++) {
            try {
                return read.get();
            } catch (ApiException e) {
                if (attempt >= TRIES || !ErrorMessages.retryable(e)) {
                    throw e;
                }
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                wait *= 2;
            }
        }
    }
}
