package se.lu.lunarc.otp.server.tokens;

import se.lu.lunarc.otp.server.ServerConfig;
import se.lu.lunarc.otp.server.secrets.ServiceKeys;
import se.lu.lunarc.otp.server.errors.ProblemException;
import se.lu.lunarc.otp.server.limits.FailureWaits;
import se.lu.lunarc.otp.server.limits.RateLimiter;
import se.lu.lunarc.otp.server.limits.RateLimits;

import se.lu.lunarc.otp.api.ErrorCode;
import se.lu.lunarc.otp.api.TokenStatus;
import se.lu.lunarc.otp.api.Usernames;
import se.lu.lunarc.otp.api.ValidateResult;
import se.lu.lunarc.otp.server.audit.AuditLog;
import se.lu.lunarc.otp.server.store.Database;
import se.lu.lunarc.otp.server.store.SourceFailures;
import se.lu.lunarc.otp.server.store.TokenRecord;
import se.lu.lunarc.otp.server.store.TokenStore;
import se.lu.lunarc.otp.server.users.User;
import se.lu.lunarc.otp.server.users.UserDirectory;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * What the cluster's login (RADIUS, or a bridge calling {@code /validate}) asks: is this the user's current code?
 * Accepts a code of an active token within ±1 step of the token's learned time, never the same step twice.
 *
 * <p>Wrong codes slow down the place they come from instead of locking the account: each user and source (the
 * station the user logs in from) has its own count, reset only by a success there. After
 * {@code validateLockoutFailures} free tries a source waits 1, 2, 4 … seconds, up to
 * {@code validateLockoutSeconds}, before its next code is even checked. Sources where the user has succeeded
 * before keep only that; new sources together also share a cap per user (an hour's worth of
 * {@code codeFailuresFromNewSources}), so guessing from many places stays bounded while the owner, at a
 * station already known, still gets in.
 */
public final class ValidateService {
    private final Database db;
    private final TokenStore store;
    private final TokenService tokens;
    private final AuditLog audit;
    private final Clock clock;
    private final ServiceKeys serviceKeys;
    private final FailureWaits waits;
    private final RateLimiter perAddress;
    private final RateLimiter newSourceFailures;
    private final UserDirectory users;

    public ValidateService(ServerConfig config, ServiceKeys serviceKeys, Database db, TokenService tokens, AuditLog audit,
                           Clock clock, RateLimits limits, UserDirectory users) {
        this.users = users;
        this.db = db;
        this.store = new TokenStore(db.dialect());
        this.tokens = tokens;
        this.audit = audit;
        this.clock = clock;
        this.serviceKeys = serviceKeys;
        this.waits = config.limits().failureWaits();
        this.perAddress = limits.limiter(RateLimits.Name.VALIDATE_ADDRESS, config.limits().validatePerAddress());
        this.newSourceFailures = limits.limiter(RateLimits.Name.CODE_FAILURES_NEW_SOURCES,
                config.limits().codeFailuresFromNewSources());
    }

    /** Reads the service key file again (SIGHUP); the number of keys now accepted. */
    public int reloadServiceKeys() throws java.io.IOException {
        return serviceKeys.reload();
    }

    public void requireServiceKey(String presented, String address) {
        if (!serviceKeys.accepts(presented)) {
            refusedKeys.refused(address);
            throw new ProblemException(401, ErrorCode.SERVICE_KEY_INVALID, "Service key not accepted",
                    "This call needs the service key from the server's configuration.");
        }
    }

    /**
     * Refused service keys are audited once a minute per address, the next line counting those in between: a
     * caller that keeps trying (a bridge with an old key, or someone guessing) cannot fill the disk.
     */
    private final class RefusedKeys {
        private record Window(long start, long unrecorded) {}

        private final com.github.benmanes.caffeine.cache.Cache<String, Window> windows =
                com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(10_000)
                        .expireAfterAccess(java.time.Duration.ofHours(1)).build();

        void refused(String address) {
            long now = clock.millis();
            long[] toRecord = {-1};
            windows.asMap().compute(address, (a, w) -> {
                if (w == null || now - w.start() >= 60_000) {
                    toRecord[0] = w == null ? 0 : w.unrecorded();
                    return new Window(now, 0);
                }
                return new Window(w.start(), w.unrecorded() + 1);
            });
            if (toRecord[0] >= 0) {
                audit.record("validate_refused", null, address, null, ErrorCode.SERVICE_KEY_INVALID
                        + (toRecord[0] > 0 ? ", " + toRecord[0] + " more since the last line" : ""));
            }
        }
    }

    private final RefusedKeys refusedKeys = new RefusedKeys();

    /** The outcome of one code check; the same for HTTP's {@code /validate} and RADIUS. */
    public enum CodeCheck {
        ACCEPTED, THROTTLED, CODE_INVALID, CODE_REPLAYED, NO_ACTIVE_TOKEN;

        /** How the audit log and {@code /validate} name a refusal. */
        public String reason() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * {@code source} is where the user logs in from, as the caller saw it; null means the caller itself
     * ({@code address}).
     */
    public ValidateResult validate(String username, String code, String source, String address) throws SQLException {
        if (!Usernames.isValid(username)) {
            // no such account can exist: nothing stored, counted or audited for it
            return new ValidateResult(ValidateResult.REJECT, CodeCheck.NO_ACTIVE_TOKEN.reason());
        }
        perAddress.take(address, "validation requests");
        String from = source == null || source.isBlank() ? address : source.strip();
        from = from.length() > 253 ? from.substring(0, 253) : from;
        String identity = username;
        CodeCheck check = check(identity, code, from);
        if (check == CodeCheck.NO_ACTIVE_TOKEN) {
            // not the name the tokens are kept under: perhaps another spelling of an account that has them
            identity = identity(username);
            if (!identity.equals(username)) {
                check = check(identity, code, from);
            }
        }
        ValidateResult result = check == CodeCheck.ACCEPTED ? new ValidateResult(ValidateResult.ACCEPT, null)
                : new ValidateResult(ValidateResult.REJECT, check.reason());
        audit.record(result.accepted() ? "validate_accept" : "validate_reject", identity, address, null,
                result.reason());
        return result;
    }

    /**
     * The account {@code typed} names, as the directory spells it ({@code ALICE} is alice's), or {@code typed}
     * itself when the directory has no such account. Throws {@code DirectoryUnavailable} when it cannot answer:
     * a retry, never a wrong answer.
     */
    public String identity(String typed) {
        return users.find(typed).map(User::username).orElse(typed);
    }

    /**
     * Is {@code code} the current code of one of the user's active tokens, asked from {@code source}? Records the
     * use, or the failure against that source; a code already used is {@code CODE_REPLAYED} (and audited as
     * such). Callers apply their own rate limits and audit the outcome.
     */
    public CodeCheck check(String username, String code, String source) throws SQLException {
        Instant now = clock.instant();
        long nowSecond = now.getEpochSecond();
        String user = username == null ? "" : username;
        // 1. read, beside other checks (WAL): the tokens to check against, and this source's state
        Snapshot seen = db.read(c -> {
            TokenStore.CheckView view = store.checkView(c, user, source);
            return new Snapshot(view.active().stream().filter(t -> isUsable(t, now)).toList(), view.state());
        });
        if (seen.usable().isEmpty()) {
            // nothing to guess: no failure row for a user without a token (or for a made-up name)
            return CodeCheck.NO_ACTIVE_TOKEN;
        }
        if (nowSecond < seen.state().nextTryEpochSecond()) {
            return CodeCheck.THROTTLED;
        }
        // a guess from a source where the user never succeeded takes its place in the shared cap *before* it is
        // checked, and gives it back unless it turns out a failure: checks running at once cannot all see the
        // last place free, so no more than the cap are ever checked
        boolean reserved = !seen.state().knownGood();
        if (reserved && !newSourceFailures.tryTake(user)) {
            return CodeCheck.THROTTLED;
        }
        boolean[] newSourceFailure = {false};
        CodeCheck result = null;
        try {
            result = checkAndRecord(user, code, source, seen, now, newSourceFailure);
            return result;
        } finally {
            // after the commit: a transaction PostgreSQL runs again must not spend twice
            if (reserved && !newSourceFailure[0]) {
                newSourceFailures.giveBack(user);
            } else if (!reserved && newSourceFailure[0]) {
                newSourceFailures.spend(user);
            }
            if (result == CodeCheck.CODE_REPLAYED) {
                // someone else may have seen the code (ASVS 2.8.5): recorded on its own
                audit.record("code_replayed", user, source, null, null);
            }
        }
    }

    /**
     * The HMACs outside any lock, then one short transaction that checks again what must still hold and records
     * the outcome. {@code newSourceFailure[0]} says whether it was a failure from a source not known good.
     */
    private CodeCheck checkAndRecord(String user, String code, String source, Snapshot seen, Instant now,
                                     boolean[] newSourceFailure) throws SQLException {
        long nowSecond = now.getEpochSecond();
        TokenRecord matched = null;
        TokenService.Lookup found = null;
        List<TokenRecord> replayedTokens = new java.util.ArrayList<>();
        if (code != null) {
            for (TokenRecord t : seen.usable()) {
                TokenService.Lookup lookup = tokens.lookUp(t, code, now, 1);
                if (lookup.step() != null) {
                    matched = t;
                    found = lookup;
                    break;
                }
                if (lookup.replayed()) {
                    replayedTokens.add(t);
                }
            }
        }
        // the step is taken only if nobody took it since the read (the row count decides, as on PostgreSQL)
        TokenRecord match = matched;
        TokenService.Lookup hit = found;
        return db.inTransaction(c -> {
            newSourceFailure[0] = false;
            SourceFailures.State state = SourceFailures.CODES.read(c, user, source);
            if (nowSecond < state.nextTryEpochSecond()) {
                return CodeCheck.THROTTLED;
            }
            List<TokenRecord> replayedNow = new java.util.ArrayList<>(replayedTokens);
            if (match != null) {
                if (store.takeStep(c, match.id(), hit.step(), hit.driftSteps(), nowSecond)) {
                    SourceFailures.CODES.save(c, user, source, new SourceFailures.State(0, 0, nowSecond));
                    return CodeCheck.ACCEPTED;
                }
                replayedNow.add(match); // the same code was accepted a moment ago: a second use
            }
            for (TokenRecord t : replayedNow) {
                store.markReplayed(c, t.id(), nowSecond); // shown on the Tokens tab at the next sign-in
            }
            long failures = state.failures() + 1;
            SourceFailures.CODES.save(c, user, source, new SourceFailures.State(failures,
                    nowSecond + waits.after(failures), state.lastSuccessEpochSecond()));
            newSourceFailure[0] = !state.knownGood();
            return replayedNow.isEmpty() ? CodeCheck.CODE_INVALID : CodeCheck.CODE_REPLAYED;
        });
    }

    /** What a check reads before it computes anything. */
    private record Snapshot(List<TokenRecord> usable, SourceFailures.State state) {}

    /**
     * How many digits the codes of the user's usable tokens have (6 for phone apps; hardware tokens may show 7 or
     * 8), shortest first; empty when the user has no token that can log in now.
     */
    public java.util.NavigableSet<Integer> activeCodeLengths(String username) throws SQLException {
        Instant now = clock.instant();
        return db.read(c -> store.activeFor(c, username).stream().filter(t -> isUsable(t, now))
                .map(t -> t.otp().digits()).collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new)));
    }

    /** Whether the user has a token that can log in now (active, not expired). */
    public boolean hasActiveToken(String username) throws SQLException {
        return !activeCodeLengths(username).isEmpty();
    }

    /** Whether codes from {@code source} must wait before they are checked. */
    public boolean isThrottled(String username, String source) throws SQLException {
        long now = clock.instant().getEpochSecond();
        return db.read(c -> SourceFailures.CODES.read(c, username, source).nextTryEpochSecond() > now);
    }

    private static boolean isUsable(TokenRecord t, Instant now) {
        return TokenRecord.ACTIVE.equals(t.status()) && TokenService.status(t, now) == TokenStatus.ACTIVE;
    }
}
