package se.lu.lunarc.otp.server;

import se.lu.lunarc.otp.api.ErrorCode;
import se.lu.lunarc.otp.api.TokenStatus;
import se.lu.lunarc.otp.api.Usernames;
import se.lu.lunarc.otp.api.ValidateResult;
import se.lu.lunarc.otp.otp.Totp;
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
 * What the cluster's login (a PAM or RADIUS bridge) asks: is this the user's current code? Accepts a code of an
 * active token within ±1 step of the token's learned time, never the same step twice; locks a user out after a
 * run of failures.
 */
public final class ValidateService {
    private static final Totp TOTP = Totp.STANDARD;

    private final Database db;
    private final TokenStore store = new TokenStore();
    private final TokenService tokens;
    private final AuditLog audit;
    private final Clock clock;
    private final byte[] serviceKey;
    private final int lockoutFailures;
    private final long lockoutSeconds;
    private final RateLimiter perAddress;

    public ValidateService(ServerConfig config, String serviceKey, Database db, TokenService tokens, AuditLog audit,
                           Clock clock) {
        this.db = db;
        this.tokens = tokens;
        this.audit = audit;
        this.clock = clock;
        this.serviceKey = serviceKey == null ? null : serviceKey.getBytes(StandardCharsets.UTF_8);
        this.lockoutFailures = config.limits().validateLockoutFailures();
        this.lockoutSeconds = config.limits().validateLockoutSeconds();
        this.perAddress = new RateLimiter(config.limits().validatePerAddress(), clock);
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
        ACCEPTED, LOCKED, CODE_INVALID, NO_ACTIVE_TOKEN;

        /** How the audit log and {@code /validate} name a refusal. */
        public String reason() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public ValidateResult validate(String username, String code, String address) throws SQLException {
        if (!Usernames.isValid(username)) {
            // no such account can exist: nothing stored, counted or audited for it
            return new ValidateResult(ValidateResult.REJECT, CodeCheck.NO_ACTIVE_TOKEN.reason());
        }
        perAddress.take(address, "validation requests");
        CodeCheck check = check(username, code);
        ValidateResult result = check == CodeCheck.ACCEPTED ? new ValidateResult(ValidateResult.ACCEPT, null)
                : new ValidateResult(ValidateResult.REJECT, check.reason());
        audit.record(result.accepted() ? "validate_accept" : "validate_reject", username, address, null,
                result.reason());
        return result;
    }

    /**
     * Is {@code code} the current code of one of the user's active tokens? Within ±1 step of the token's learned
     * time, never a step accepted before (over HTTP or RADIUS), records the use; counts failures towards the
     * lock-out. Callers apply their own rate limits and audit the outcome.
     */
    public CodeCheck check(String username, String code) throws SQLException {
        Instant now = clock.instant();
        String user = username == null ? "" : username;
        return db.inTransaction(c -> {
            List<TokenRecord> usable = store.listFor(c, user).stream().filter(t -> isUsable(t, now)).toList();
            if (usable.isEmpty()) {
                // nothing to guess: no failure row for a user without a token (or for a made-up name)
                return CodeCheck.NO_ACTIVE_TOKEN;
            }
            long[] failures = store.validateFailures(c, user);
            if (failures[1] > now.getEpochSecond()) {
                return CodeCheck.LOCKED;
            }
            if (TOTP.isWellFormed(code)) {
                for (TokenRecord t : usable) {
                    Long step = tokens.matchStep(t, code, TOTP.step(now), 1);
                    if (step != null) {
                        store.update(c, t.usedAt(now, step));
                        store.setValidateFailures(c, user, 0, 0);
                        return CodeCheck.ACCEPTED;
                    }
                }
            }
            long count = failures[0] + 1;
            store.setValidateFailures(c, user, count,
                    count >= lockoutFailures ? now.getEpochSecond() + lockoutSeconds : 0);
            return CodeCheck.CODE_INVALID;
        });
    }

    /** Whether the user has a token that can log in now (active, not expired). */
    public boolean hasActiveToken(String username) throws SQLException {
        Instant now = clock.instant();
        return db.inTransaction(c -> store.listFor(c, username).stream().anyMatch(t -> isUsable(t, now)));
    }

    /** Whether the user's code checks are locked after a run of failures. */
    public boolean isLocked(String username) throws SQLException {
        long now = clock.instant().getEpochSecond();
        return db.inTransaction(c -> store.validateFailures(c, username)[1] > now);
    }

    private static boolean isUsable(TokenRecord t, Instant now) {
        return TokenRecord.ACTIVE.equals(t.status()) && TokenService.status(t, now) == TokenStatus.ACTIVE;
    }
}
