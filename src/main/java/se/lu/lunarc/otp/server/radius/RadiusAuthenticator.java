package se.lu.lunarc.otp.server.radius;

import se.lu.lunarc.otp.api.Usernames;
import se.lu.lunarc.otp.server.Backend;
import se.lu.lunarc.otp.server.signin.PasswordAttempts;
import se.lu.lunarc.otp.server.signin.PhoneMask;
import se.lu.lunarc.otp.server.limits.RateLimiter;
import se.lu.lunarc.otp.server.limits.RateLimits;
import se.lu.lunarc.otp.server.secrets.Secrets;
import se.lu.lunarc.otp.server.ServerConfig;
import se.lu.lunarc.otp.server.errors.StoreUnavailable;
import se.lu.lunarc.otp.server.tokens.ValidateService;
import se.lu.lunarc.otp.server.tokens.ValidateService.CodeCheck;
import se.lu.lunarc.otp.server.audit.AuditLog;
import se.lu.lunarc.otp.server.store.Database;
import se.lu.lunarc.otp.server.store.RadiusStates;
import se.lu.lunarc.otp.server.users.User;
import se.lu.lunarc.otp.server.users.UserDirectory;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * What the RADIUS service answers, decided without packets: a password round (challenge and concatenated
 * modes), then a code checked under the same rules as {@code /validate}; the SMS fallback or the enroll notice
 * for users without an active token. Every outcome is audited with the NAS it came through. From the password
 * round on, the account is named as the directory names it, whatever case the NAS sent.
 */
final class RadiusAuthenticator {
    static final Duration STATE_VALID = Duration.ofMinutes(2);

    /** One Access-Request, decoded. {@code password} is the User-Password's bytes, wiped by the caller. */
    record Request(String username, byte[] password, byte[] state, String address, AuditLog.Nas nas) {}

    sealed interface Answer permits Accept, Reject, Challenge {}

    record Accept() implements Answer {}

    /** {@code message} is null where the user is told nothing (wrong password: nothing to learn from it). */
    record Reject(String message) implements Answer {}

    record Challenge(byte[] state, String message, boolean echo) implements Answer {}

    /** What a State stands for: the code that the next round must carry, or a notice to acknowledge. */
    private enum Expect { TOTP, SMS, NOTICE }

    private final UserDirectory users;
    private final ValidateService codes;
    private final PasswordAttempts passwords;
    private final SmsFallback sms;
    private final AuditLog audit;
    private final RadiusMessages messages;
    private final boolean smsWithoutToken;
    private final RateLimiter perClient;
    private final RateLimiter perUser;
    private final RateLimiter passwordPerStation;
    /** States live in the store (made only after a right password, so few), so any node can take the answer. */
    private final Database db;
    private final Clock clock;

    RadiusAuthenticator(ServerConfig.Radius config, Backend backend, Executor smsSenders) {
        this.db = backend.db();
        this.clock = backend.clock();
        this.users = backend.users();
        this.codes = backend.validate();
        this.passwords = backend.passwords();
        this.sms = new SmsFallback(backend.sms(), backend.config().sms().template(), clock, db, smsSenders);
        this.audit = backend.audit();
        this.messages = new RadiusMessages(config.language());
        this.smsWithoutToken = ServerConfig.Radius.SMS.equals(config.withoutToken());
        RateLimits limits = backend.rateLimits();
        this.perClient = limits.limiter(RateLimits.Name.RADIUS_CLIENT, config.perClient());
        this.perUser = limits.limiter(RateLimits.Name.RADIUS_USER, config.perUser());
        this.passwordPerStation = limits.limiter(RateLimits.Name.RADIUS_PASSWORD_STATION, config.passwordPerStation());
    }

    Answer authenticate(RadiusClients.Client client, Request r) throws SQLException {
        if (!Usernames.isValid(r.username())) {
            // audited without the name: it is whatever the NAS was given
            audit.recordRadius("radius_reject", null, r.address(), r.nas(), "username_invalid");
            return new Reject(null);
        }
        // the NAS's budget is spent by failures only (see reject): a login node's users logging in never use it
        // up, so a password spray through one node is all that can, and it limits that node's failures
        if (!perClient.hasRoom(client.name())) {
            audit.recordRadius("radius_reject", r.username(), r.address(), r.nas(), "rate_limited_client");
            return new Reject(messages.text("radius.rateLimited"));
        }
        Answer answer;
        if (r.state() != null) {
            answer = answerToChallenge(client, r);
        } else {
            answer = switch (client.mode()) {
                case ServerConfig.RadiusClient.OTP_ONLY -> otpOnly(client, r);
                case ServerConfig.RadiusClient.CONCATENATED -> concatenated(client, r);
                default -> passwordThenChallenge(client, r);
            };
        }
        if (answer instanceof Reject) {
            perClient.spend(client.name());
        }
        return answer;
    }

    private Answer passwordThenChallenge(RadiusClients.Client client, Request r) throws SQLException {
        Checked checked = checkPassword(r, r.password());
        if (checked.refusal() != null) {
            return checked.refusal();
        }
        String identity = checked.user().username();
        if (!codes.hasActiveToken(identity)) {
            return withoutToken(client, r, checked.user());
        }
        if (codes.isThrottled(identity, station(r))) {
            return reject(r, identity, "throttled", messages.text("radius.throttled"));
        }
        return challenge(client, r, identity, Expect.TOTP, messages.prompt("radius.prompt"), false, null, "totp");
    }

    /**
     * The password was checked before (pam_unix, pam_sss). An empty User-Password asks for the prompt
     * (pam_radius_auth's {@code skip_passwd}: its own prompt is cut at 30 characters); otherwise it is the code.
     */
    private Answer otpOnly(RadiusClients.Client client, Request r) throws SQLException {
        Optional<User> user = users.find(r.username());
        String identity = user.map(User::username).orElse(r.username());
        if (!codes.hasActiveToken(identity)) {
            return withoutToken(client, r, user.orElse(null));
        }
        if (r.password().length > 0) {
            return checkCode(r, identity, passwordText(r));
        }
        if (codes.isThrottled(identity, station(r))) {
            return reject(r, identity, "throttled", messages.text("radius.throttled"));
        }
        return challenge(client, r, identity, Expect.TOTP, messages.prompt("radius.prompt"), false, null, "totp");
    }

    /**
     * The password followed by the code in one field; the code is the last 6 characters (or as many digits as the
     * user's hardware tokens show), all digits. A user whose tokens show codes of different lengths has each split
     * tried, longest code first, until the password before it is right: one password check per length.
     */
    private Answer concatenated(RadiusClients.Client client, Request r) throws SQLException {
        byte[] field = r.password();
        java.util.NavigableSet<Integer> lengths = codes.activeCodeLengths(codes.identity(r.username()));
        if (lengths.isEmpty()) {
            Checked checked = checkPassword(r, field);
            return checked.refusal() != null ? checked.refusal() : withoutToken(client, r, checked.user());
        }
        boolean tried = false;
        for (int digits : lengths.descendingSet()) {
            int split = field.length - digits;
            if (split < 0 || !allDigits(field, split)) {
                continue;
            }
            tried = true;
            byte[] password = Arrays.copyOf(field, split);
            try {
                Checked checked = checkPassword(r, password);
                if (checked.user() != null) {
                    return checkCode(r, checked.user().username(),
                            new String(field, split, digits, StandardCharsets.US_ASCII));
                }
                if (!checked.wrongPassword()) {
                    return checked.refusal(); // limited: no other split is tried
                }
            } finally {
                Arrays.fill(password, (byte) 0);
            }
        }
        return tried ? reject(r, null, "invalid_credentials", null) : reject(r, null, "code_missing", null);
    }

    private Answer answerToChallenge(RadiusClients.Client client, Request r) throws SQLException {
        // single use: whatever the answer, this State is spent
        RadiusStates.Pending p = takeState(r.state());
        String askedAs = p == null ? null : p.askedAs() != null ? p.askedAs() : p.identity();
        if (p == null || !p.nas().equals(client.name()) || !askedAs.equals(r.username())) {
            return reject(r, null, "state_invalid", null);
        }
        return switch (Expect.valueOf(p.expect())) {
            case TOTP -> checkCode(r, p.identity(), passwordText(r));
            case SMS -> checkSmsCode(client, r, p.identity());
            case NOTICE -> reject(r, p.identity(), "no_active_token", p.notice());
        };
    }

    private Answer checkCode(Request r, String identity, String code) throws SQLException {
        if (!perUser.tryTake(identity)) {
            return reject(r, identity, "rate_limited_user", messages.text("radius.rateLimited"));
        }
        CodeCheck check = codes.check(identity, code, station(r));
        if (check == CodeCheck.ACCEPTED) {
            audit.recordRadius("radius_accept", identity, r.address(), r.nas(), "totp");
            return new Accept();
        }
        return reject(r, identity, check.reason(), check == CodeCheck.THROTTLED ? messages.text("radius.throttled")
                : messages.text("radius.codeInvalid"));
    }

    private Answer checkSmsCode(RadiusClients.Client client, Request r, String identity) {
        if (!perUser.tryTake(identity)) {
            return reject(r, identity, "rate_limited_user", messages.text("radius.rateLimited"));
        }
        return switch (sms.verify(identity, passwordText(r))) {
            case ACCEPTED -> {
                audit.recordRadius("radius_accept", identity, r.address(), r.nas(), "sms");
                yield new Accept();
            }
            case WRONG -> reject(r, identity, "sms_code_invalid", messages.text("radius.codeInvalid"));
            case EXPIRED -> reject(r, identity, "sms_code_expired", messages.text("radius.codeInvalid"));
            // the gateway failed after the prompt went out: told as a notice, which PAM shows (a Reject's text it
            // does not), and its acknowledgement gets the Reject
            case NOT_SENT -> notice(client, r, identity, messages.text("radius.smsFailed"), "sms_failed");
        };
    }

    /** A user with no active token, whose password is known to be right: an SMS code, or told to enroll. */
    private Answer withoutToken(RadiusClients.Client client, Request r, User user) {
        String identity = user == null ? r.username() : user.username();
        if (!smsWithoutToken) {
            return notice(client, r, identity, messages.text("radius.enroll"), "enroll_notice");
        }
        if (user == null || user.mobile() == null || user.mobile().isBlank()) {
            return reject(r, identity, "no_mobile", messages.text("radius.noMobile"));
        }
        return switch (sms.send(user)) {
            case SENT, STILL_VALID -> challenge(client, r, identity, Expect.SMS,
                    messages.prompt("radius.smsPrompt", PhoneMask.mask(user.mobile())), false, null, "sms");
            case LIMIT -> reject(r, identity, "sms_limit", messages.text("radius.smsLimit"));
            case FAILED -> reject(r, identity, "sms_failed", messages.text("radius.smsFailed"));
        };
    }

    /**
     * pam_radius_auth (and most PAM NASes) never show a Reject's Reply-Message: a notice goes out as a challenge
     * the user acknowledges, and its answer gets the Reject.
     */
    private Challenge notice(RadiusClients.Client client, Request r, String identity, String text, String detail) {
        return challenge(client, r, identity, Expect.NOTICE, text, true, text, detail);
    }

    private Challenge challenge(RadiusClients.Client client, Request r, String identity, Expect expect,
                                String message, boolean echo, String notice, String detail) {
        byte[] state = Secrets.bytes(16);
        long now = clock.millis();
        StoreUnavailable.write(db, c -> {
            RadiusStates.put(c, stateHash(state), new RadiusStates.Pending(identity, r.username(), client.name(),
                    expect.name(), notice), now + STATE_VALID.toMillis(), now);
            return null;
        });
        audit.recordRadius("radius_challenge", identity, r.address(), r.nas(), detail);
        return new Challenge(state, message, echo);
    }

    private RadiusStates.Pending takeState(byte[] state) throws SQLException {
        long now = clock.millis();
        return db.inTransaction(c -> RadiusStates.take(c, stateHash(state), now));
    }

    private static String stateHash(byte[] state) {
        return Secrets.sha256(Base64.getEncoder().encodeToString(state));
    }

    /** Where the user logs in from: the Calling-Station-Id, or else the NAS. */
    private static String station(Request r) {
        return r.nas().callingStationId() == null ? "nas:" + r.nas().name() : r.nas().callingStationId();
    }

    /** A password round's outcome: the user; or the Reject to send, and whether it was a wrong password. */
    private record Checked(User user, Reject refusal, boolean wrongPassword) {}

    /**
     * The password checked under the failure rule of every password check ({@link PasswordAttempts}, with the
     * station as the source), behind this station's flood limit.
     */
    private Checked checkPassword(Request r, byte[] passwordBytes) {
        if (!passwordPerStation.tryTake(Usernames.folded(r.username()) + "\n" + station(r))) {
            return new Checked(null, reject(r, null, "rate_limited_password", null), false);
        }
        char[] password = utf8(passwordBytes);
        try {
            UserDirectory.Authentication checked = passwords.check(r.username(), password, station(r));
            return checked.user() != null ? new Checked(checked.user(), null, false)
                    : new Checked(null, reject(r, null, "invalid_credentials", null), true);
        } catch (PasswordAttempts.Refused refused) {
            return new Checked(null, reject(r, null, "password_" + refused.reason(), null), false);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /** Audited under the account's identity where it is known, else under the name the NAS sent. */
    private Reject reject(Request r, String identity, String reason, String message) {
        audit.recordRadius("radius_reject", identity != null ? identity : r.username(), r.address(), r.nas(), reason);
        return new Reject(message);
    }

    private static boolean allDigits(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] < '0' || b[i] > '9') {
                return false;
            }
        }
        return true;
    }

    /** A code is short and not kept: a String is fine. Anything that is not a code fails the check anyway. */
    private static String passwordText(Request r) {
        return r.password().length > 16 ? "" : new String(r.password(), StandardCharsets.UTF_8).trim();
    }

    /** The password as chars, without a String in between. */
    private static char[] utf8(byte[] bytes) {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(ByteBuffer.wrap(bytes));
            char[] out = Arrays.copyOfRange(chars.array(), chars.position(), chars.limit());
            Arrays.fill(chars.array(), '\0');
            return out;
        } catch (CharacterCodingException e) {
            return new char[0];
        }
    }
}
