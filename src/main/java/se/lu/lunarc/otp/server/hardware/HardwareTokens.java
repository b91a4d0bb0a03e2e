package se.lu.lunarc.otp.server.hardware;

import se.lu.lunarc.otp.api.ErrorCode;
import se.lu.lunarc.otp.api.Token;
import se.lu.lunarc.otp.otp.Hotp;
import se.lu.lunarc.otp.server.errors.ProblemException;
import se.lu.lunarc.otp.server.limits.RateLimiter;
import se.lu.lunarc.otp.server.limits.RateLimits;
import se.lu.lunarc.otp.server.ServerConfig;
import se.lu.lunarc.otp.server.tokens.TokenService;
import se.lu.lunarc.otp.server.audit.AuditLog;
import se.lu.lunarc.otp.server.store.Database;
import se.lu.lunarc.otp.server.store.HardwareTokenStore;
import se.lu.lunarc.otp.server.store.SecretCipher;
import se.lu.lunarc.otp.server.store.StoreMigration;
import se.lu.lunarc.otp.server.store.TokenRecord;
import se.lu.lunarc.otp.server.store.TokenStore;

import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;

/**
 * A user registers an imported hardware token by its serial number and the code it shows now. Both must match a
 * token nobody has yet; an unknown serial, a serial someone else has and a wrong code all get one answer, so serial
 * numbers cannot be found by trying. Tries are limited per address, per user and per serial number.
 */
public final class HardwareTokens {
    /** Tries for one serial number, from any user, per hour. */
    static final ServerConfig.Limit PER_SERIAL = new ServerConfig.Limit(10, 3600);

    private final Database db;
    private final TokenStore store;
    private final SecretCipher cipher;
    private final AuditLog audit;
    private final Clock clock;
    private final TokenService tokens;
    private final ServerConfig.Tokens limits;
    private final RateLimiter perUser;
    private final RateLimiter perSerial;
    private final RateLimiter perAddress;
    private final SecureRandom random = new SecureRandom();

    public HardwareTokens(ServerConfig config, Database db, SecretCipher cipher, AuditLog audit, Clock clock,
                          RateLimits rateLimits, TokenService tokens) {
        this.db = db;
        this.store = new TokenStore(db.dialect());
        this.cipher = cipher;
        this.audit = audit;
        this.clock = clock;
        this.tokens = tokens;
        this.limits = config.tokens();
        this.perUser = rateLimits.limiter(RateLimits.Name.HARDWARE_REGISTER_USER, config.limits().tokenCodePerUser());
        this.perSerial = rateLimits.limiter(RateLimits.Name.HARDWARE_REGISTER_SERIAL, PER_SERIAL);
        this.perAddress = rateLimits.limiter(RateLimits.Name.HARDWARE_REGISTER_ADDRESS,
                config.limits().codePerAddress());
    }

    /**
     * {@code name}: the name the user chose, already validated, or null for "Hardware token SERIAL".
     */
    public Token register(String username, String rawSerial, String code, String name, String address)
            throws SQLException {
        perAddress.take(address, "hardware token registrations");
        perUser.take(username, "hardware token registrations");
        String serial = rawSerial == null ? "" : rawSerial.strip();
        if (serial.isEmpty() || serial.length() > 64) {
            throw noMatch();
        }
        // a try that matches is no failure: the place it took is given back, so a serial registered a moment ago
        // answers exactly as an unknown one does, and tells an attacker nothing
        perSerial.take(serial, "tries for this serial number");
        boolean[] codeMatched = {false};
        try {
            return registerChecked(username, serial, code, name, address, codeMatched);
        } finally {
            if (codeMatched[0]) {
                perSerial.giveBack(serial);
            }
        }
    }

    private Token registerChecked(String username, String serial, String code, String name, String address,
                                  boolean[] codeMatched) throws SQLException {
        Instant now = clock.instant();
        TokenRecord registered = db.inTransaction(c -> {
            HardwareTokenStore.Pooled pooled = HardwareTokenStore.unassigned(c, serial);
            if (pooled == null) {
                spendAsMuchTimeAsACheck(code);
                return null;
            }
            byte[] seed = cipher.decrypt(pooled.sealed(), StoreMigration.HARDWARE_BINDING + serial);
            try {
                Long matched = matched(pooled, seed, code, now);
                if (matched == null) {
                    return null;
                }
                codeMatched[0] = true;
                if (store.countNotRevoked(c, username) >= limits.maxPerUser()) {
                    throw new ProblemException(409, ErrorCode.TOKEN_LIMIT, "Too many tokens",
                            "You already have " + limits.maxPerUser() + " tokens. Revoke one you no longer use first.");
                }
                String chosen = name != null ? name : "Hardware token " + serial;
                if (store.nameTaken(c, username, chosen, null)) {
                    throw new ProblemException(409, ErrorCode.NAME_TAKEN, "Name in use",
                            "You already have a token called \"" + chosen + "\". Choose another name.");
                }
                String id = UUID.randomUUID().toString();
                TokenRecord t = new TokenRecord(id, username, chosen, TokenRecord.ACTIVE, cipher.encrypt(seed, id), now,
                        null, now, now.plus(Duration.ofDays(limits.lifetimeDays())), now, matched, 0, 0, null,
                        new TokenRecord.Otp(pooled.kind(), pooled.digits(), pooled.period(), serial));
                store.insert(c, t);
                if (!HardwareTokenStore.assign(c, serial, username, id)) {
                    throw new SQLException("hardware token " + serial + " was taken meanwhile");
                }
                return t;
            } finally {
                Arrays.fill(seed, (byte) 0);
            }
        });
        if (registered == null) {
            audit.record("hardware_token_register_failed", username, address, null, "serial=" + serial);
            throw noMatch();
        }
        audit.record("hardware_token_registered", username, address, registered.id(), "serial=" + serial);
        return tokens.view(registered, now);
    }

    /**
     * The counter (HOTP, from the pool's counter on) or time step (TOTP, ±1) that {@code code} is for, or null:
     * checked as a login checks it.
     */
    private static Long matched(HardwareTokenStore.Pooled pooled, byte[] seed, String code, Instant now) {
        TokenRecord.Otp otp = new TokenRecord.Otp(pooled.kind(), pooled.digits(), pooled.period(), null);
        return TokenService.lookUp(otp, seed, pooled.counter() - 1, 0, code, now, 1).step();
    }

    /** An unknown serial number takes about as long as a wrong code, so the time does not tell them apart. */
    private void spendAsMuchTimeAsACheck(String code) {
        byte[] dummy = new byte[20];
        random.nextBytes(dummy);
        new Hotp(6).find(dummy, 0, code == null || code.length() != 6 ? "000000" : code,
                TokenService.HOTP_LOOK_AHEAD);
    }

    private static ProblemException noMatch() {
        return new ProblemException(422, ErrorCode.CODE_INVALID, "Not recognised",
                "The serial number and the code do not match a hardware token you can register. Check the number "
                        + "printed on the token, and enter the code it shows now.");
    }
}
