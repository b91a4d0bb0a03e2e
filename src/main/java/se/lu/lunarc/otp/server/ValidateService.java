package se.lu.lunarc.otp.server;

import se.lu.lunarc.otp.api.ErrorCode;
import se.lu.lunarc.otp.api.TokenStatus;
import se.lu.lunarc.otp.api.Usernames;
import se.lu.lunarc.otp.api.ValidateResult;
import se.lu.lunarc.otp.server.audit.AuditLog;
import se.lu.lunarc.otp.server.store.Database;
import se.lu.lunarc.otp.server.store.TokenRecord;
import se.lu.lunarc.otp.server.store.TokenStore;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
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
    private final byte[] serviceKey;
    private final int freeFailures;
    private final long longestWaitSeconds;
    private final RateLimiter perAddress;
    private final RateLimiter newSourceFailures;

    public ValidateService(ServerConfig config, String serviceKey, Database db, TokenService tokens, AuditLog audit,
                           Clock clock, RateLimits limits) {
        this.db = db;
        this.store = new TokenStore(db.dialect());
        this.tokens = tokens;
        this.audit = audit;
        this.clock = clock;
        this.serviceKey = serviceKey == null ? null : serviceKey.getBytes(StandardCharsets.UTF_8);
        this.freeFailures = config.limits().validateLockoutFailures();
        this.longestWaitSeconds = config.limits().validateLockoutSeconds();
        this.perAddress = limits.limiter("validate-address", config.limits().validatePerAddress());
        this.newSourceFailures = limits.limiter("code-failures-new-sources", config.limits().codeFailuresFromNewSources());
    }

    public void requireServiceKey(String presented, String address) {
        if (serviceKey == null || presented == null
                || !MessageDigest.isEqual(serviceKey, presented.getBytes(StandardCharsets.UTF_8))) {
            audit.record("validate_refused", null, address, null, ErrorCode.SERVICE_KEY_INVALID);
            throw new ProblemException(401, ErrorCode.SERVICE_KEY_INVALID, "Service key not accepted",
                    "This call needs the service key from the server's configuration.");
        }
    }

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
        CodeCheck check = check(username, code, from.length() > 253 ? from.substring(0, 253) : from);
        ValidateResult result = check == CodeCheck.ACCEPTED ? new ValidateResult(ValidateResult.ACCEPT, null)
                : new ValidateResult(ValidateResult.REJECT, check.reason());
        audit.record(result.accepted() ? "validate_accept" : "validate_reject", username, address, null,
                result.reason());
        return result;
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
        if (!seen.state().knownGood() && !newSourceFailures.hasRoom(user)) {
            return CodeCheck.THROTTLED;
        }
        // 2. the secrets and the HMACs, outside any lock
        TokenRecord matched = null;
        long matchedStep = 0;
        List<TokenRecord> replayedTokens = new java.util.ArrayList<>();
        if (code != null) {
            for (TokenRecord t : seen.usable()) {
                TokenService.Lookup found = tokens.lookUp(t, code, now, 1);
                if (found.step() != null) {
                    matched = t;
                    matchedStep = found.step();
                    break;
                }
                if (found.replayed()) {
                    replayedTokens.add(t);
                }
            }
        }
        // 3. the write, short: what must still hold is checked again here, and the step is taken only if
        //    nobody took it since the read (the row count decides, as it would on PostgreSQL)
        TokenRecord match = matched;
        long step = matchedStep;
        boolean[] newSource = {false};
        CodeCheck result = db.inTransaction(c -> {
            TokenStore.SourceState state = store.sourceState(c, user, source);
            if (nowSecond < state.nextTryEpochSecond()) {
                return CodeCheck.THROTTLED;
            }
            newSource[0] = false;
            List<TokenRecord> replayedNow = new java.util.ArrayList<>(replayedTokens);
            boolean replayed = !replayedNow.isEmpty();
            if (match != null) {
                if (store.takeStep(c, match.id(), step, nowSecond)) {
                    store.saveSourceState(c, user, source, new TokenStore.SourceState(0, 0, nowSecond));
                    return CodeCheck.ACCEPTED;
                }
                replayedNow.add(match); // the same code was accepted a moment ago: a second use
                replayed = true;
            }
            for (TokenRecord t : replayedNow) {
                store.markReplayed(c, t.id(), nowSecond); // shown on the Tokens tab at the next sign-in
            }
            long failures = state.failures() + 1;
            store.saveSourceState(c, user, source, new TokenStore.SourceState(failures,
                    nowSecond + waitSeconds(failures), state.lastSuccessEpochSecond()));
            newSource[0] = !state.knownGood();
            return replayed ? CodeCheck.CODE_REPLAYED : CodeCheck.CODE_INVALID;
        });
        // after the commit: a transaction PostgreSQL runs again must not spend twice
        if (newSource[0] && (result == CodeCheck.CODE_INVALID || result == CodeCheck.CODE_REPLAYED)) {
            newSourceFailures.spend(user);
        }
        if (result == CodeCheck.CODE_REPLAYED) {
            // someone else may have seen the code (ASVS 2.8.5): recorded on its own
            audit.record("code_replayed", user, source, null, null);
        }
        return result;
    }

    /** What a check reads before it computes anything. */
    private record Snapshot(List<TokenRecord> usable, TokenStore.SourceState state) {}

    /** No wait after the first free failures, then 1, 2, 4 … seconds, up to the longest wait. */
    long waitSeconds(long failures) {
        long over = failures - freeFailures;
        return over <= 0 ? 0 : Math.min(longestWaitSeconds, 1L << Math.min(over - 1, 30));
    }


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
        return db.read(c -> store.sourceState(c, username, source).nextTryEpochSecond() > now);
    }

    private static boolean isUsable(TokenRecord t, Instant now) {
        return TokenRecord.ACTIVE.equals(t.status()) && TokenService.status(t, now) == TokenStatus.ACTIVE;
    }
}
