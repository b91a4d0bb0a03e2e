package se.lu.lunarc.otp.server;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
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

import java.io.IOException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * The two-step sign-in: password (after the human check), then a 6-digit code by SMS, valid 5 minutes, with 5
 * tries, a resend after 30 seconds and at most 3 resends. A correct code opens a session.
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
    private final RateLimiter perUser;
    private final RateLimiter perAddress;
    private final RateLimiter codesPerAddress;
    private final RateLimiter codeFailuresPerUser;
    private final Cache<String, PendingLogin> pending;

    public LoginService(ServerConfig config, UserDirectory users, SmsGateway sms, HumanCheck humanCheck,
                        SessionStore sessions, AuditLog audit, Clock clock, RateLimits limits) {
        this.users = users;
        this.sms = sms;
        this.smsTemplate = config.sms().template();
        this.humanCheck = humanCheck;
        this.sessions = sessions;
        this.audit = audit;
        this.clock = clock;
        this.perUser = limits.limiter("login-user", config.limits().loginPerUser());
        this.perAddress = limits.limiter("login-address", config.limits().loginPerAddress());
        this.codesPerAddress = limits.limiter("sms-code-address", config.limits().codePerAddress());
        this.codeFailuresPerUser = limits.limiter("sms-code-failures-user", config.limits().smsCodeFailuresPerUser());
        this.pending = Caffeine.newBuilder()
                .expireAfterWrite(CODE_VALID.multipliedBy(MAX_RESENDS + 2))
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .build();
    }

    /** A login waiting for its SMS code. Guarded by its own monitor: two tries at once must not both count as one. */
    private static final class PendingLogin {
        final User user;
        /** SHA-256 of the code sent: the code itself is not kept (ASVS 2.7.5). */
        byte[] codeHash;
        Instant codeExpires;
        Instant lastSent;
        int triesLeft = TRIES;
        int resends;

        PendingLogin(User user) {
            this.user = user;
        }
    }

    public LoginStarted start(String username, char[] password, HumanProof proof, String address) {
        String user = username == null ? "" : username.trim();
        if (!Usernames.isValid(user)) {
            // no account has such a name: the same answer as a wrong password, with nothing kept or counted
            throw invalidCredentials();
        }
        perAddress.take(address, "sign-in attempts from your network");
        // the proof first: locking an account's sign-in out then costs an attacker work per attempt
        humanCheck.spend(proof);
        perUser.take(user, "sign-in attempts for this account");
        UserDirectory.Authentication checked = users.authenticate(user, password == null ? new char[0] : password);
        User found = checked.user();
        if (found == null) {
            // one answer for all three; the audit log tells the site which it was
            audit.record("login_failed", user, address, null, checked.refusal());
            throw invalidCredentials();
        }
        if (found.mobile() == null) {
            // told only after the password: it says nothing about an account to someone without it
            audit.record("login_failed", user, address, null, "no_mobile_number");
            throw new ProblemException(409, ErrorCode.NO_MOBILE_NUMBER, "No mobile number",
                    "No mobile number is registered for your account, so no code can be sent; contact support.");
        }
        PendingLogin login = new PendingLogin(found);
        String loginId = Secrets.randomId(128);
        synchronized (login) {
            sendCode(login, address);
        }
        pending.put(loginId, login);
        audit.record("login_password_ok", user, address);
        return new LoginStarted(loginId, smsInfo(login));
    }

    public SessionStarted verifyCode(String loginId, String code, String address) {
        codesPerAddress.take(address, "code attempts from your network");
        PendingLogin login = loginId == null ? null : pending.getIfPresent(loginId);
        if (login == null) {
            throw expired();
        }
        synchronized (login) {
            if (clock.instant().isAfter(login.codeExpires)) {
                throw expired();
            }
            if (login.triesLeft <= 0) {
                throw tooManyTries();
            }
            codeFailuresPerUser.requireRoom(login.user.username(), "wrong codes for this account");
            if (!MessageDigest.isEqual(login.codeHash, Secrets.sha256Bytes(code == null ? "" : code.trim()))) {
                login.triesLeft--;
                codeFailuresPerUser.spend(login.user.username());
                audit.record("login_code_failed", login.user.username(), address, null,
                        "tries_left=" + login.triesLeft);
                if (login.triesLeft == 0) {
                    pending.invalidate(loginId);
                    throw tooManyTries();
                }
                throw new ProblemException(Problem.of(422, ErrorCode.CODE_INVALID, "Wrong code",
                        "The code is not correct. " + login.triesLeft + " tries left.")
                        .withAttemptsLeft(login.triesLeft));
            }
            pending.invalidate(loginId);
            login.codeHash = null;
        }
        String token = sessions.open(login.user.username(), address);
        audit.record("login_ok", login.user.username(), address);
        return new SessionStarted(token, sessions.idle().toSeconds());
    }

    public SmsInfo resend(String loginId, String address) {
        codesPerAddress.take(address, "code requests from your network");
        PendingLogin login = loginId == null ? null : pending.getIfPresent(loginId);
        if (login == null) {
            throw expired();
        }
        synchronized (login) {
            if (login.resends >= MAX_RESENDS) {
                throw new ProblemException(429, ErrorCode.TOO_MANY_ATTEMPTS, "No more codes",
                        "No more codes can be sent for this sign-in. Start again from the beginning.");
            }
            long wait = Duration.between(clock.instant(), login.lastSent.plus(RESEND_AFTER)).toSeconds();
            if (wait > 0) {
                throw new ProblemException(Problem.of(429, ErrorCode.RATE_LIMITED, "Please wait",
                        "A new code can be sent in " + wait + " seconds.").withRetryAfter(wait));
            }
            login.resends++;
            // a new code does not bring new tries: 5 guesses per sign-in, however many codes were sent
            sendCode(login, address);
            return smsInfo(login);
        }
    }

    private void sendCode(PendingLogin login, String address) {
        String code = Secrets.digits(CODE_LENGTH);
        login.codeHash = Secrets.sha256Bytes(code);
        login.lastSent = clock.instant();
        login.codeExpires = login.lastSent.plus(CODE_VALID);
        String text = smsTemplate.replace("{code}", code)
                .replace("{minutes}", Long.toString(CODE_VALID.toMinutes()));
        try {
            sms.send(login.user.mobile(), text);
        } catch (IOException e) {
            log.error("SMS for {} not sent: {}", login.user.username(), e.getMessage());
            audit.record("sms_failed", login.user.username(), address);
            throw new ProblemException(502, ErrorCode.SMS_FAILED, "SMS not sent",
                    "The code could not be sent by SMS. Try again in a minute; if it keeps failing, contact support.");
        }
        audit.record("sms_sent", login.user.username(), address);
    }

    private SmsInfo smsInfo(PendingLogin login) {
        Instant now = clock.instant();
        long resendAfter = login.resends >= MAX_RESENDS ? -1
                : Math.max(0, Duration.between(now, login.lastSent.plus(RESEND_AFTER)).toSeconds());
        return new SmsInfo(PhoneMask.mask(login.user.mobile()), CODE_LENGTH,
                Duration.between(now, login.codeExpires).toSeconds(), resendAfter);
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
