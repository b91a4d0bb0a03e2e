package se.lu.lunarc.otp.server.signin;

import se.lu.lunarc.otp.server.ServerConfig;
import se.lu.lunarc.otp.server.errors.ProblemException;
import se.lu.lunarc.otp.server.errors.StoreUnavailable;
import se.lu.lunarc.otp.server.limits.RateLimiter;
import se.lu.lunarc.otp.server.limits.RateLimits;
import se.lu.lunarc.otp.server.secrets.Secrets;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.lu.lunarc.otp.api.ErrorCode;
import se.lu.lunarc.otp.api.HumanProof;
import se.lu.lunarc.otp.api.LoginStarted;
import se.lu.lunarc.otp.api.Problem;
import se.lu.lunarc.otp.api.SessionStarted;
import se.lu.lunarc.otp.api.SmsInfo;
import se.lu.lunarc.otp.api.Usernames;
import se.lu.lunarc.otp.server.audit.AuditLog;
import se.lu.lunarc.otp.server.sms.SmsGateway;
import se.lu.lunarc.otp.server.users.User;
import se.lu.lunarc.otp.server.users.UserDirectory;

import se.lu.lunarc.otp.server.store.Database;
import se.lu.lunarc.otp.server.store.PendingLogins;
import se.lu.lunarc.otp.server.store.PendingLogins.PendingLogin;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The two-step sign-in: password (after the human check), then a 6-digit code by SMS, valid 5 minutes, with 5
 * tries, a resend after 30 seconds and at most 3 resends. A correct code opens a session. A sign-in waiting for
 * its code is kept in the store (only a hash of the code, ASVS 2.7.5), and every change to it is made in one
 * transaction, so two tries at once, on one node or two, cannot both count as one.
 */
public final class LoginService {
    static final int CODE_LENGTH = 6;
    static final Duration CODE_VALID = Duration.ofMinutes(5);
    static final Duration RESEND_AFTER = Duration.ofSeconds(30);
    static final int TRIES = 5;
    static final int MAX_RESENDS = 3;

    private static final Logger log = LoggerFactory.getLogger(LoginService.class);

    private final UserDirectory users;
    private final SmsGateway sms;
    private final String smsTemplate;
    private final HumanCheck humanCheck;
    private final SessionStore sessions;
    private final AuditLog audit;
    private final Clock clock;
    private final PasswordAttempts passwords;
    private final RateLimiter perAddress;
    private final RateLimiter codesPerAddress;
    private final RateLimiter codeFailuresPerUser;
    private final Database db;

    public LoginService(ServerConfig config, UserDirectory users, SmsGateway sms, HumanCheck humanCheck,
                        SessionStore sessions, AuditLog audit, Clock clock, RateLimits limits, Database db,
                        PasswordAttempts passwords) {
        this.db = db;
        this.users = users;
        this.sms = sms;
        this.smsTemplate = config.sms().template();
        this.humanCheck = humanCheck;
        this.sessions = sessions;
        this.audit = audit;
        this.clock = clock;
        this.passwords = passwords;
        this.perAddress = limits.limiter(RateLimits.Name.LOGIN_ADDRESS, config.limits().loginPerAddress());
        this.codesPerAddress = limits.limiter(RateLimits.Name.SMS_CODE_ADDRESS, config.limits().codePerAddress());
        this.codeFailuresPerUser = limits.limiter(RateLimits.Name.SMS_CODE_FAILURES_USER,
                config.limits().smsCodeFailuresPerUser());
    }

    /** How long a waiting sign-in is kept at most: its codes' validity, with every resend. */
    private static final Duration KEPT = CODE_VALID.multipliedBy(MAX_RESENDS + 2);

    public LoginStarted start(String username, char[] password, HumanProof proof, String address) {
        // checked exactly as it arrives (the clients trim what the user typed; the server never does)
        if (!Usernames.isValid(username)) {
            // no account has such a name: the same answer as a wrong password, with nothing kept or counted
            throw invalidCredentials();
        }
        perAddress.take(address, "sign-in attempts from your network");
        // the proof first: guessing then costs an attacker work per attempt
        humanCheck.spend(proof);
        UserDirectory.Authentication checked;
        try {
            checked = passwords.check(username, password == null ? new char[0] : password, address);
        } catch (PasswordAttempts.Refused r) {
            audit.record("login_refused", username, address, null, r.reason());
            throw new ProblemException(Problem.of(429, ErrorCode.RATE_LIMITED, "Too many attempts",
                    "Too many wrong passwords for this account. Try again in " + r.retryAfterSeconds()
                            + " seconds.").withRetryAfter(r.retryAfterSeconds()));
        }
        User found = checked.user();
        if (found == null) {
            // one answer for all three; the audit log tells the site which it was
            audit.record("login_failed", username, address, null, checked.refusal());
            throw invalidCredentials();
        }
        // from here on the account is named as the directory names it, whatever case was typed
        String user = found.username();
        if (found.mobile() == null) {
            // told only after the password: it says nothing about an account to someone without it
            audit.record("login_failed", user, address, null, "no_mobile_number");
            throw new ProblemException(409, ErrorCode.NO_MOBILE_NUMBER, "No mobile number",
                    "No mobile number is registered for your account, so no code can be sent; contact support.");
        }
        String loginId = Secrets.randomId(128);
        long now = clock.millis();
        byte[] codeHash = sendCode(found.username(), found.mobile(), address);
        PendingLogin login = new PendingLogin(found.username(), found.mobile(), codeHash,
                now + CODE_VALID.toMillis(), now, TRIES, 0);
        store(c -> {
            PendingLogins.insert(c, Secrets.sha256(loginId), login, now, now + KEPT.toMillis());
            return null;
        });
        audit.record("login_password_ok", user, address);
        return new LoginStarted(loginId, smsInfo(login));
    }

    /** What a code try came to, decided in the store's transaction and acted on after it. */
    private enum Try { NO_SIGN_IN, EXPIRED, NO_TRIES_LEFT, WRONG, WRONG_AND_LAST, RIGHT }

    private record Tried(Try outcome, String username, int triesLeft) {}

    public SessionStarted verifyCode(String loginId, String code, String address) {
        codesPerAddress.take(address, "code attempts from your network");
        if (loginId == null) {
            throw expired();
        }
        String idHash = Secrets.sha256(loginId);
        PendingLogin seen = find(idHash);
        if (seen == null || clock.millis() > seen.codeExpires()) {
            throw expired();
        }
        if (seen.triesLeft() <= 0) {
            throw tooManyTries();
        }
        codeFailuresPerUser.requireRoom(seen.username(), "wrong codes for this account");
        byte[] presented = Secrets.sha256Bytes(code == null ? "" : code.trim());
        long now = clock.millis();
        Tried tried = store(c -> {
            PendingLogin login = find(c, idHash);
            if (login == null) {
                return new Tried(Try.NO_SIGN_IN, null, 0);
            }
            if (now > login.codeExpires()) {
                return new Tried(Try.EXPIRED, login.username(), login.triesLeft());
            }
            if (login.triesLeft() <= 0) {
                return new Tried(Try.NO_TRIES_LEFT, login.username(), 0);
            }
            if (MessageDigest.isEqual(login.codeHash(), presented)) {
                PendingLogins.delete(c, idHash);
                return new Tried(Try.RIGHT, login.username(), login.triesLeft());
            }
            int left = login.triesLeft() - 1;
            if (left == 0) {
                PendingLogins.delete(c, idHash);
                return new Tried(Try.WRONG_AND_LAST, login.username(), 0);
            }
            PendingLogins.setTriesLeft(c, idHash, left);
            return new Tried(Try.WRONG, login.username(), left);
        });
        switch (tried.outcome()) {
            case NO_SIGN_IN, EXPIRED -> throw expired();
            case NO_TRIES_LEFT -> throw tooManyTries();
            case WRONG, WRONG_AND_LAST -> {
                codeFailuresPerUser.spend(tried.username());
                audit.record("login_code_failed", tried.username(), address, null, "tries_left=" + tried.triesLeft());
                if (tried.outcome() == Try.WRONG_AND_LAST) {
                    throw tooManyTries();
                }
                throw new ProblemException(Problem.of(422, ErrorCode.CODE_INVALID, "Wrong code",
                        "The code is not correct. " + tried.triesLeft() + " tries left.")
                        .withAttemptsLeft(tried.triesLeft()));
            }
            case RIGHT -> {
                // below
            }
        }
        String token = sessions.open(tried.username(), address);
        audit.record("login_ok", tried.username(), address);
        return new SessionStarted(token, sessions.idle().toSeconds());
    }

    public SmsInfo resend(String loginId, String address) {
        codesPerAddress.take(address, "code requests from your network");
        if (loginId == null) {
            throw expired();
        }
        String idHash = Secrets.sha256(loginId);
        long now = clock.millis();
        // the resend is claimed in the store first, so two at once (on one node or two) send one code
        PendingLogin claimed = store(c -> {
            PendingLogin login = find(c, idHash);
            if (login == null) {
                return null;
            }
            if (login.resends() >= MAX_RESENDS) {
                throw new ProblemException(429, ErrorCode.TOO_MANY_ATTEMPTS, "No more codes",
                        "No more codes can be sent for this sign-in. Start again from the beginning.");
            }
            long waitMillis = login.lastSent() + RESEND_AFTER.toMillis() - now;
            if (waitMillis > 0) {
                long wait = Math.max(1, (waitMillis + 999) / 1000);
                throw new ProblemException(Problem.of(429, ErrorCode.RATE_LIMITED, "Please wait",
                        "A new code can be sent in " + wait + " seconds.").withRetryAfter(wait));
            }
            PendingLogins.countResend(c, idHash, now);
            return login;
        });
        if (claimed == null) {
            throw expired();
        }
        // a new code does not bring new tries: 5 guesses per sign-in, however many codes were sent
        byte[] codeHash = sendCode(claimed.username(), claimed.mobile(), address);
        long expires = now + CODE_VALID.toMillis();
        store(c -> {
            PendingLogins.setCode(c, idHash, codeHash, expires);
            return null;
        });
        return smsInfo(new PendingLogin(claimed.username(), claimed.mobile(), codeHash, expires, now,
                claimed.triesLeft(), claimed.resends() + 1));
    }

    private PendingLogin find(String idHash) {
        return StoreUnavailable.read(db, c -> find(c, idHash));
    }

    private PendingLogin find(Connection c, String idHash) throws SQLException {
        return PendingLogins.find(c, idHash, clock.millis());
    }

    private <T> T store(Database.Work<T> work) {
        return StoreUnavailable.write(db, work);
    }

    /** Sends a new code to {@code mobile}; its hash. */
    private byte[] sendCode(String username, String mobile, String address) {
        String code = Secrets.digits(CODE_LENGTH);
        byte[] hash = Secrets.sha256Bytes(code);
        String text = smsTemplate.replace("{code}", code)
                .replace("{minutes}", Long.toString(CODE_VALID.toMinutes()));
        try {
            sms.send(mobile, text);
        } catch (IOException e) {
            log.error("SMS for {} not sent: {}", username, e.getMessage());
            audit.record("sms_failed", username, address);
            throw new ProblemException(502, ErrorCode.SMS_FAILED, "SMS not sent",
                    "The code could not be sent by SMS. Try again in a minute; if it keeps failing, contact support.");
        }
        audit.record("sms_sent", username, address);
        return hash;
    }

    private SmsInfo smsInfo(PendingLogin login) {
        Instant now = clock.instant();
        long resendAfter = login.resends() >= MAX_RESENDS ? -1 : Math.max(0,
                Duration.between(now, Instant.ofEpochMilli(login.lastSent()).plus(RESEND_AFTER)).toSeconds());
        return new SmsInfo(PhoneMask.mask(login.mobile()), CODE_LENGTH,
                Duration.between(now, Instant.ofEpochMilli(login.codeExpires())).toSeconds(), resendAfter);
    }

    private static ProblemException invalidCredentials() {
        return new ProblemException(401, ErrorCode.INVALID_CREDENTIALS, "Wrong username or password",
                "The username or password is not correct.");
    }

    private static ProblemException expired() {
        return new ProblemException(410, ErrorCode.CODE_EXPIRED, "Code expired",
                "The code has expired. Go back and sign in again to get a new one.");
    }

    private static ProblemException tooManyTries() {
        return new ProblemException(429, ErrorCode.TOO_MANY_ATTEMPTS, "Too many wrong codes",
                "Too many wrong codes. Go back and sign in again to get a new one.");
    }
}
