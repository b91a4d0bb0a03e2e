package se.lu.lunarc.otp.server.signin;

import se.lu.lunarc.otp.server.errors.StoreUnavailable;
import se.lu.lunarc.otp.server.limits.FailureWaits;
import se.lu.lunarc.otp.server.limits.RateLimiter;

import se.lu.lunarc.otp.api.Usernames;
import se.lu.lunarc.otp.server.store.Database;
import se.lu.lunarc.otp.server.store.SourceFailures;
import se.lu.lunarc.otp.server.users.UserDirectory;

import java.time.Clock;

/**
 * Password checks, at sign-in and in RADIUS's password round, under the rule wrong codes follow: only failures
 * count, per user and source (the address, or RADIUS's station), each source waiting longer after each failure
 * ({@link FailureWaits}); sources where the password was never right also share a cap per account. So a wrong
 * password from one place slows that place only, guesses from many places stay bounded, and the owner, from a
 * place where her password was right before, is never kept out by someone else's guesses. Counts are kept under
 * the name with its case folded, since the directory has not yet said whose account it is.
 */
public final class PasswordAttempts {
    private final Database db;
    private final UserDirectory users;
    private final FailureWaits waits;
    private final RateLimiter newSourceFailures;
    private final Clock clock;
    /** When this node last forgot stale failures (epoch seconds): at most once a minute, beside a failure. */
    private final java.util.concurrent.atomic.AtomicLong lastPrune = new java.util.concurrent.atomic.AtomicLong();
    static final long PRUNE_EVERY_SECONDS = 60;
    /**
     * A place that never signed in is forgotten a day after its last wait ended: by then it could have had only a
     * few guesses more, and made-up names no longer fill the table.
     */
    static final long FORGET_AFTER_SECONDS = 24 * 3600;

    public PasswordAttempts(Database db, UserDirectory users, FailureWaits waits, RateLimiter newSourceFailures,
                            Clock clock) {
        this.db = db;
        this.users = users;
        this.waits = waits;
        this.newSourceFailures = newSourceFailures;
        this.clock = clock;
    }

    /** Why a password was not even checked: the source must wait, or the cap for new sources is spent. */
    public static final class Refused extends RuntimeException {
        private final long retryAfterSeconds;
        private final String reason;

        Refused(String reason, long retryAfterSeconds) {
            super(reason, null, false, false);
            this.reason = reason;
            this.retryAfterSeconds = retryAfterSeconds;
        }

        /** For the audit log: {@code throttled} (this source waits) or {@code new_sources_capped}. */
        public String reason() {
            return reason;
        }

        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    /**
     * Checks {@code password} for the account {@code typed} names, from {@code source}: the directory's answer,
     * with the failure (or the success) recorded first. Throws {@link Refused} without asking the directory when
     * this source must wait or the cap is spent; a directory that does not answer records nothing.
     */
    public UserDirectory.Authentication check(String typed, char[] password, String source) {
        String key = Usernames.folded(typed);
        long now = clock.instant().getEpochSecond();
        SourceFailures.State seen = StoreUnavailable.read(db, c -> SourceFailures.PASSWORDS.read(c, key, source));
        if (now < seen.nextTryEpochSecond()) {
            throw new Refused("throttled", seen.nextTryEpochSecond() - now);
        }
        // the place in the cap is taken before the check and given back unless it was a failure, so checks
        // running at once cannot all pass with one place left
        boolean reserved = !seen.knownGood();
        if (reserved && !newSourceFailures.tryTake(key)) {
            throw new Refused("new_sources_capped", newSourceFailures.secondsUntilRoom(key));
        }
        boolean failed = false;
        try {
            UserDirectory.Authentication checked = users.authenticate(typed, password);
            failed = checked.user() == null;
            boolean prune = failed && now - lastPrune.get() >= PRUNE_EVERY_SECONDS
                    && lastPrune.getAndSet(now) <= now - PRUNE_EVERY_SECONDS;
            StoreUnavailable.write(db, c -> {
                if (prune) {
                    SourceFailures.PASSWORDS.forgetStale(c, now - FORGET_AFTER_SECONDS);
                }
                SourceFailures.State state = SourceFailures.PASSWORDS.read(c, key, source);
                long failures = state.failures() + 1;
                SourceFailures.PASSWORDS.save(c, key, source, checked.user() != null
                        ? new SourceFailures.State(0, 0, now)
                        : new SourceFailures.State(failures, now + waits.after(failures), state.lastSuccessEpochSecond()));
                return null;
            });
            return checked;
        } finally {
            if (reserved && !failed) {
                newSourceFailures.giveBack(key);
            }
        }
    }
}
