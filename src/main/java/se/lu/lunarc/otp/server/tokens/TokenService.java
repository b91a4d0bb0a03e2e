package se.lu.lunarc.otp.server.tokens;

import se.lu.lunarc.otp.server.ServerConfig;
import se.lu.lunarc.otp.server.errors.ProblemException;
import se.lu.lunarc.otp.server.limits.RateLimiter;
import se.lu.lunarc.otp.server.limits.RateLimits;
import se.lu.lunarc.otp.server.secrets.Secrets;

import se.lu.lunarc.otp.api.CreatedToken;
import se.lu.lunarc.otp.api.Enrollment;
import se.lu.lunarc.otp.api.ErrorCode;
import se.lu.lunarc.otp.api.Problem;
import se.lu.lunarc.otp.api.Token;
import se.lu.lunarc.otp.api.TokenStatus;
import se.lu.lunarc.otp.otp.Hotp;
import se.lu.lunarc.otp.otp.OtpAuthUri;
import se.lu.lunarc.otp.otp.Totp;
import se.lu.lunarc.otp.server.audit.AuditLog;
import se.lu.lunarc.otp.server.store.Database;
import se.lu.lunarc.otp.server.store.SecretCipher;
import se.lu.lunarc.otp.server.store.TokenRecord;
import se.lu.lunarc.otp.server.store.TokenStore;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * A user's tokens: create (pending), activate with a first code, rename, disable/enable, resynchronise, revoke.
 * Every read-check-write runs in one database transaction, so two requests cannot both spend one code.
 */
public final class TokenService {
    static final int SECRET_BYTES = 20; // 160 bits, RFC 4226's recommendation
    static final int ACTIVATION_TRIES = 5;
    static final Duration RESYNC_WINDOW = Duration.ofMinutes(10); // either way
    private static final Totp TOTP = Totp.STANDARD;

    private final Database db;
    private final TokenStore store;
    private final SecretCipher cipher;
    private final AuditLog audit;
    private final Clock clock;
    private final String issuer;
    private final ServerConfig.Tokens limits;
    private final RateLimiter codeGuesses;

    public TokenService(ServerConfig config, Database db, SecretCipher cipher, AuditLog audit, Clock clock, RateLimits limits) {
        this.db = db;
        this.store = new TokenStore(db.dialect());
        this.cipher = cipher;
        this.audit = audit;
        this.clock = clock;
        this.issuer = config.issuer();
        this.limits = config.tokens();
        this.codeGuesses = limits.limiter(RateLimits.Name.TOKEN_CODE_USER, config.limits().tokenCodePerUser());
    }

    public List<Token> list(String username) throws SQLException {
        Instant now = clock.instant();
        return db.read(c -> store.listFor(c, username)).stream().map(t -> view(t, now)).toList();
    }

    public CreatedToken create(String username, String rawName, String address) throws SQLException {
        String name = TokenNames.validated(rawName);
        byte[] secret = Secrets.bytes(SECRET_BYTES);
        try {
            Instant now = clock.instant();
            String id = UUID.randomUUID().toString();
            TokenRecord record = new TokenRecord(id, username, name, TokenRecord.PENDING, cipher.encrypt(secret, id),
                    now, now.plusSeconds(limits.activateWithinSeconds()), null, null, null, -1, 0, 0, null,
                    TokenRecord.Otp.APP);
            db.inTransaction(c -> {
                if (store.nameTaken(c, username, name, null)) {
                    throw nameTaken(name);
                }
                if (store.countNotRevoked(c, username) >= limits.maxPerUser()) {
                    throw new ProblemException(409, ErrorCode.TOKEN_LIMIT, "Too many tokens",
                            "You already have " + limits.maxPerUser() + " tokens. Revoke one you no longer use first.");
                }
                store.insert(c, record);
                return null;
            });
            audit.record("token_created", username, address, id, null);
            OtpAuthUri uri = OtpAuthUri.standard(issuer, username, secret);
            Enrollment enrollment = new Enrollment(uri.format(), uri.secretBase32(), issuer, username,
                    TOTP.algorithm(), TOTP.digits(), TOTP.periodSeconds(), limits.activateWithinSeconds());
            return new CreatedToken(view(record, now), enrollment);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    public Token activate(String username, String id, String code, String address) throws SQLException {
        codeGuesses.take(username, "code attempts");
        Instant now = clock.instant();
        // a wrong code must be counted, so the transaction commits and the refusal is thrown after it
        Outcome outcome = db.inTransaction(c -> {
            TokenRecord t = require(c, username, id);
            if (!TokenRecord.PENDING.equals(t.status())) {
                throw wrongState("This token is already activated.");
            }
            if (now.isAfter(t.activateBefore())) {
                throw new ProblemException(410, ErrorCode.ENROLLMENT_EXPIRED, "Activation time is over",
                        "This token was not activated in time. Remove it and add the device again.");
            }
            if (t.failedAttempts() >= ACTIVATION_TRIES) {
                throw tooManyTries();
            }
            long nowStep = TOTP.step(now);
            // one look over ±2 steps: ±1 activates, a match further off is the phone's clock
            Long matched = TOTP.isWellFormed(code) ? lookUp(t, code, now, 2).step() : null;
            boolean drift = matched != null && Math.abs(matched - (nowStep + t.driftSteps())) > 1;
            if (matched != null && !drift) {
                TokenRecord active = t.activatedAt(now, now.plus(Duration.ofDays(limits.lifetimeDays())), matched);
                store.update(c, active);
                return new Outcome(view(active, now), null, new AuditLine("token_activated", null));
            }
            TokenRecord failed = t.failedOnce();
            store.update(c, failed);
            AuditLine line = new AuditLine("token_activation_failed", drift ? "clock_drift" : "code_invalid");
            int left = ACTIVATION_TRIES - failed.failedAttempts();
            if (drift) {
                return new Outcome(null, new ProblemException(Problem.of(422, ErrorCode.CLOCK_DRIFT,
                        "Phone clock is off", "The code belongs to a time about a minute away from now: your "
                                + "device's clock is off. Turn on automatic date and time on the device, then try "
                                + "a new code.").withAttemptsLeft(left)), line);
            }
            return new Outcome(null, codeInvalid(left), line);
        });
        return outcome.recordedThen(audit, username, address, id);
    }

    /** An audit line decided inside a transaction, written once, after it committed. */
    private record AuditLine(String event, String detail) {}

    /**
     * A token, or the refusal to throw, once the transaction that counted the failure has committed; and the line
     * to audit then. A transaction PostgreSQL runs again returns a new outcome, so a line is written once, and never
     * for an attempt that was rolled back.
     */
    private record Outcome(Token token, ProblemException refusal, AuditLine line) {
        Token recordedThen(AuditLog audit, String username, String address, String id) {
            if (line != null) {
                audit.record(line.event(), username, address, id, line.detail());
            }
            if (refusal != null) {
                throw refusal;
            }
            return token;
        }
    }

    public Token rename(String username, String id, String rawName, String address) throws SQLException {
        String name = TokenNames.validated(rawName);
        Instant now = clock.instant();
        return db.inTransaction(c -> {
            TokenRecord t = require(c, username, id);
            if (TokenRecord.REVOKED.equals(t.status())) {
                throw wrongState("A revoked token cannot be renamed.");
            }
            if (store.nameTaken(c, username, name, id)) {
                throw nameTaken(name);
            }
            TokenRecord renamed = t.withName(name);
            store.update(c, renamed);
            return new Outcome(view(renamed, now), null, new AuditLine("token_renamed", null));
        }).recordedThen(audit, username, address, id);
    }

    /** Deactivate ({@code enabled=false}) or reactivate a token. */
    public Token setEnabled(String username, String id, boolean enabled, String address) throws SQLException {
        Instant now = clock.instant();
        String from = enabled ? TokenRecord.DISABLED : TokenRecord.ACTIVE;
        String to = enabled ? TokenRecord.ACTIVE : TokenRecord.DISABLED;
        return db.inTransaction(c -> {
            TokenRecord t = require(c, username, id);
            if (!from.equals(t.status())) {
                throw wrongState(enabled ? "Only a deactivated token can be reactivated."
                        : "Only an active token can be deactivated.");
            }
            TokenRecord changed = t.withStatus(to);
            store.update(c, changed);
            return new Outcome(view(changed, now), null,
                    new AuditLine(enabled ? "token_enabled" : "token_disabled", null));
        }).recordedThen(audit, username, address, id);
    }

    /** Finds two consecutive codes within ±10 minutes and remembers the phone's clock offset. */
    public Token resync(String username, String id, String code1, String code2, String address) throws SQLException {
        codeGuesses.take(username, "code attempts");
        Instant now = clock.instant();
        return db.inTransaction(c -> {
            TokenRecord t = require(c, username, id);
            if (!TokenRecord.ACTIVE.equals(t.status()) && !TokenRecord.DISABLED.equals(t.status())) {
                throw wrongState("Only an activated token can be synchronized.");
            }
            if (t.otp().hotp()) {
                return resyncHotp(t, code1, code2, now, c);
            }
            // the token's own digits and time step: a hardware token may show 8 digits each 60 s
            Totp totp = totp(t.otp());
            long nowStep = totp.step(now);
            long window = RESYNC_WINDOW.toSeconds() / totp.periodSeconds();
            if (isWellFormed(t.otp(), code1) && isWellFormed(t.otp(), code2)) {
                byte[] secret = cipher.decrypt(t.sealedSecret(), t.id());
                try {
                    for (long s = nowStep - window; s <= nowStep + window; s++) {
                        if (s + 1 > t.lastStep() && totp.matches(secret, s, code1) && totp.matches(secret, s + 1, code2)) {
                            TokenRecord synced = t.resynced(s + 1, s + 1 - nowStep);
                            store.update(c, synced);
                            return new Outcome(view(synced, now), null,
                                    new AuditLine("token_resynced", "drift_steps=" + (s + 1 - nowStep)));
                        }
                    }
                } finally {
                    Arrays.fill(secret, (byte) 0);
                }
            }
            return new Outcome(null, resyncFailed(), new AuditLine("token_resync_failed", null));
        }).recordedThen(audit, username, address, id);
    }

    /** An event token pressed many times without logging in: two consecutive codes within the wider window. */
    private Outcome resyncHotp(TokenRecord t, String code1, String code2, Instant now, Connection c)
            throws SQLException {
        byte[] secret = cipher.decrypt(t.sealedSecret(), t.id());
        try {
            long next = new Hotp(t.otp().digits()).resync(secret, t.lastStep() + 1, code1, code2, HOTP_RESYNC_WINDOW);
            if (next < 0) {
                return new Outcome(null, resyncFailed(), new AuditLine("token_resync_failed", null));
            }
            TokenRecord synced = t.resynced(next - 1, 0);
            store.update(c, synced);
            return new Outcome(view(synced, now), null, new AuditLine("token_resynced", "counter=" + (next - 1)));
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    private static ProblemException resyncFailed() {
        return new ProblemException(422, ErrorCode.CODE_INVALID, "Codes not recognised",
                "These are not two consecutive codes of this token. Wait for a new code, then enter it "
                        + "and the one after it.");
    }

    public void revoke(String username, String id, String address) throws SQLException {
        db.inTransaction(c -> {
            TokenRecord t = require(c, username, id);
            if (TokenRecord.REVOKED.equals(t.status())) {
                return new Outcome(null, null, null);
            }
            store.update(c, t.withStatus(TokenRecord.REVOKED));
            return new Outcome(null, null, new AuditLine("token_revoked", null));
        }).recordedThen(audit, username, address, id);
    }

    /**
     * What {@code code} is for this token. TOTP: within ±{@code window} steps of now (plus the learned drift),
     * {@code step} is the matching step newer than any accepted before, the one nearest now when there are
     * several (null when none). HOTP: {@code step} is the counter of the code among the next
     * {@value #HOTP_LOOK_AHEAD} after the last accepted. {@code replayed} says it is a code already accepted.
     * {@code driftSteps} is the clock offset the match shows (RFC 6238 §6: the step matched less the step of now),
     * to be remembered with the step so that a token whose clock drifts keeps working; for HOTP it is unchanged.
     */
    public record Lookup(Long step, boolean replayed, long driftSteps) {}

    public static final int HOTP_LOOK_AHEAD = 10;
    static final int HOTP_RESYNC_WINDOW = 100;

    public Lookup lookUp(TokenRecord t, String code, Instant now, int window) {
        if (!isWellFormed(t.otp(), code)) {
            return new Lookup(null, false, t.driftSteps());
        }
        byte[] secret = cipher.decrypt(t.sealedSecret(), t.id());
        try {
            return lookUp(t.otp(), secret, t.lastStep(), t.driftSteps(), code, now, window);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    /**
     * The same for a secret in hand, with {@code lastStep} the last step (TOTP) or counter (HOTP) accepted: also
     * what registering a hardware token checks its first code with.
     */
    public static Lookup lookUp(TokenRecord.Otp otp, byte[] secret, long lastStep, long driftSteps, String code,
                                Instant now, int window) {
        if (!isWellFormed(otp, code)) {
            return new Lookup(null, false, driftSteps);
        }
        if (otp.hotp()) {
            Hotp hotp = new Hotp(otp.digits());
            long found = hotp.find(secret, lastStep + 1, code, HOTP_LOOK_AHEAD);
            boolean replayed = found < 0 && lastStep >= 0 && Totp.constantTimeEquals(hotp.code(secret, lastStep), code);
            return new Lookup(found < 0 ? null : found, replayed, driftSteps);
        }
        Totp totp = totp(otp);
        long nowStep = totp.step(now);
        long centre = nowStep + driftSteps;
        Long found = null;
        boolean replayed = false;
        // every candidate is computed, so the time taken does not tell which one matched
        for (long s = centre - window; s <= centre + window; s++) {
            boolean matches = totp.matches(secret, s, code);
            boolean nearer = found == null || Math.abs(s - centre) < Math.abs(found - centre);
            if (matches && s > lastStep && nearer) {
                found = s;
            }
            replayed |= matches && s <= lastStep;
        }
        return new Lookup(found, replayed, found == null ? driftSteps : found - nowStep);
    }

    /** How a time-based token makes its codes: a phone app's, or a hardware token's own digits and time step. */
    static Totp totp(TokenRecord.Otp otp) {
        return otp.equals(TokenRecord.Otp.APP) ? TOTP : new Totp("SHA1", otp.digits(), otp.periodSeconds());
    }

    private static boolean isWellFormed(TokenRecord.Otp otp, String code) {
        return code != null && code.length() == otp.digits() && code.chars().allMatch(ch -> ch >= '0' && ch <= '9');
    }

    private TokenRecord require(Connection c, String username, String id) throws SQLException {
        return store.find(c, username, id).orElseThrow(() -> new ProblemException(404, ErrorCode.TOKEN_NOT_FOUND,
                "No such token", "This token does not exist (it may have been removed). Reload the list."));
    }

    public Token view(TokenRecord t, Instant now) {
        return new Token(t.id(), t.name(), t.otp().kind(), t.otp().digits(), status(t, now).wire(), t.created(),
                t.activated(), t.expires(), t.lastUsed(), t.replayedAt());
    }

    static TokenStatus status(TokenRecord t, Instant now) {
        return switch (t.status()) {
            case TokenRecord.PENDING -> now.isAfter(t.activateBefore()) ? TokenStatus.EXPIRED : TokenStatus.PENDING;
            case TokenRecord.REVOKED -> TokenStatus.REVOKED;
            default -> t.expires() != null && now.isAfter(t.expires()) ? TokenStatus.EXPIRED
                    : TokenStatus.fromWire(t.status());
        };
    }

    private static ProblemException nameTaken(String name) {
        return new ProblemException(409, ErrorCode.NAME_TAKEN, "Name in use",
                "You already have a token called \"" + name + "\". Choose another name.");
    }

    private static ProblemException wrongState(String detail) {
        return new ProblemException(409, ErrorCode.TOKEN_STATE, "Not possible now", detail);
    }

    private static ProblemException tooManyTries() {
        return new ProblemException(429, ErrorCode.TOO_MANY_ATTEMPTS, "Too many wrong codes",
                "Too many wrong codes for this token. Remove it and add the device again.");
    }

    static ProblemException codeInvalid(int left) {
        return new ProblemException(Problem.of(422, ErrorCode.CODE_INVALID, "Wrong code",
                "The code is not correct. Enter the code your app shows now. " + left + " tries left.")
                .withAttemptsLeft(left));
    }
}
