package se.lu.lunarc.otp.server.radius;

import se.lu.lunarc.otp.api.Usernames;
import se.lu.lunarc.otp.server.PhoneMask;
import se.lu.lunarc.otp.server.RateLimiter;
import se.lu.lunarc.otp.server.Secrets;
import se.lu.lunarc.otp.server.ServerConfig;
import se.lu.lunarc.otp.server.ValidateService;
import se.lu.lunarc.otp.server.ValidateService.CodeCheck;
import se.lu.lunarc.otp.server.audit.AuditLog;
import se.lu.lunarc.otp.server.store.Database;
import se.lu.lunarc.otp.server.sms.SmsGateway;
import se.lu.lunarc.otp.server.users.User;
import se.lu.lunarc.otp.server.users.UserDirectory;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * What the RADIUS service answers, decided without packets: a password round (challenge and concatenated
 * modes), then a code checked under the same rules as {@code /validate}; the SMS fallback or the enroll notice
 * for users without an active token. Every outcome is audited with the NAS it came through.
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

    private record Pending(String username, String nas, Expect expect, String notice) {}

    private final UserDirectory users;
    private final ValidateService codes;
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

    RadiusAuthenticator(ServerConfig.Radius config, UserDirectory users, ValidateService codes, SmsGateway gateway,
                        String smsTemplate, AuditLog audit, Clock clock, se.lu.lunarc.otp.server.RateLimits limits,
                        Database db) {
        this.db = db;
        this.clock = clock;
        this.users = users;
        this.codes = codes;
        this.sms = new SmsFallback(gateway, smsTemplate, clock, db);
        this.audit = audit;
        this.messages = new RadiusMessages(config.language());
        this.smsWithoutToken = ServerConfig.Radius.SMS.equals(config.withoutToken());
        this.perClient = limits.limiter("radius-client", config.perClient());
        this.perUser = limits.limiter("radius-user", config.perUser());
        this.passwordPerStation = limits.limiter("radius-password-station", config.passwordPerStation());
    }

    Answer authenticate(RadiusClients.Client client, Request r) throws SQLException {
        if (!Usernames.isValid(r.username())) {
            // audited without the name: it is whatever the NAS was given
            audit.recordRadius("radius_reject", null, r.address(), r.nas(), "username_invalid");
            return new Reject(null);
        }
        if (!perClient.tryTake(client.name())) {
            return reject(r, "rate_limited_client", messages.text("radius.rateLimited"));
        }
        if (r.state() != null) {
            return answerToChallenge(client, r);
        }
        return switch (client.mode()) {
            case ServerConfig.RadiusClient.OTP_ONLY -> otpOnly(client, r);
            case ServerConfig.RadiusClient.CONCATENATED -> concatenated(client, r);
            default -> passwordThenChallenge(client, r);
        };
    }

    private Answer passwordThenChallenge(RadiusClients.Client client, Request r) throws SQLException {
        Optional<User> found = checkPassword(r, r.password());
        if (found == null) {
            return reject(r, "rate_limited_password", null);
        }
        if (found.isEmpty()) {
            return reject(r, "invalid_credentials", null);
        }
        if (!codes.hasActiveToken(r.username())) {
            return withoutToken(client, r, found);
        }
        if (codes.isThrottled(r.username(), station(r))) {
            return reject(r, "throttled", messages.text("radius.throttled"));
        }
        return challenge(client, r, Expect.TOTP, messages.prompt("radius.prompt"), false, null, "totp");
    }

    /**
     * The password was checked before (pam_unix, pam_sss). An empty User-Password asks for the prompt
     * (pam_radius_auth's {@code skip_passwd}: its own prompt is cut at 30 characters); otherwise it is the code.
     */
    private Answer otpOnly(RadiusClients.Client client, Request r) throws SQLException {
        if (!codes.hasActiveToken(r.username())) {
            return withoutToken(client, r, users.find(r.username()));
        }
        if (r.password().length > 0) {
            return checkCode(r, passwordText(r));
        }
        if (codes.isThrottled(r.username(), station(r))) {
            return reject(r, "throttled", messages.text("radius.throttled"));
        }
        return challenge(client, r, Expect.TOTP, messages.prompt("radius.prompt"), false, null, "totp");
    }

    /**
     * The password followed by the code in one field; the code is the last 6 characters (or as many digits as the
     * user's hardware tokens show), all digits. A user whose tokens show codes of different lengths has each split
     * tried, longest code first, until the password before it is right: one password check per length.
     */
    private Answer concatenated(RadiusClients.Client client, Request r) throws SQLException {
        byte[] field = r.password();
        java.util.NavigableSet<Integer> lengths = codes.activeCodeLengths(r.username());
        if (lengths.isEmpty()) {
            Optional<User> found = checkPassword(r, field);
            if (found == null) {
                return reject(r, "rate_limited_password", null);
            }
            return found.isEmpty() ? reject(r, "invalid_credentials", null) : withoutToken(client, r, found);
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
                Optional<User> found = checkPassword(r, password);
                if (found == null) {
                    return reject(r, "rate_limited_password", null);
                }
                if (found.isPresent()) {
                    return checkCode(r, new String(field, split, digits, StandardCharsets.US_ASCII));
                }
            } finally {
                Arrays.fill(password, (byte) 0);
            }
        }
        return tried ? reject(r, "invalid_credentials", null) : reject(r, "code_missing", null);
    }

    private Answer answerToChallenge(RadiusClients.Client client, Request r) throws SQLException {
        // single use: whatever the answer, this State is spent
        Pending p = takeState(r.state());
        if (p == null || !p.nas().equals(client.name()) || !p.username().equals(r.username())) {
            return reject(r, "state_invalid", null);
        }
        return switch (p.expect()) {
            case TOTP -> checkCode(r, passwordText(r));
            case SMS -> checkSmsCode(r);
            case NOTICE -> reject(r, "no_active_token", p.notice());
        };
    }

    private Answer checkCode(Request r, String code) throws SQLException {
        if (!perUser.tryTake(r.username())) {
            return reject(r, "rate_limited_user", messages.text("radius.rateLimited"));
        }
        CodeCheck check = codes.check(r.username(), code, station(r));
        if (check == CodeCheck.ACCEPTED) {
            audit.recordRadius("radius_accept", r.username(), r.address(), r.nas(), "totp");
            return new Accept();
        }
        return reject(r, check.reason(), check == CodeCheck.THROTTLED ? messages.text("radius.throttled")
                : messages.text("radius.codeInvalid"));
    }

    private Answer checkSmsCode(Request r) {
        if (!perUser.tryTake(r.username())) {
            return reject(r, "rate_limited_user", messages.text("radius.rateLimited"));
        }
        return switch (sms.verify(r.username(), passwordText(r))) {
            case ACCEPTED -> {
                audit.recordRadius("radius_accept", r.username(), r.address(), r.nas(), "sms");
                yield new Accept();
            }
            case WRONG -> reject(r, "sms_code_invalid", messages.text("radius.codeInvalid"));
            case EXPIRED -> reject(r, "sms_code_expired", messages.text("radius.codeInvalid"));
        };
    }

    /** A user with no active token, whose password is known to be right: an SMS code, or told to enroll. */
    private Answer withoutToken(RadiusClients.Client client, Request r, Optional<User> found) {
        if (!smsWithoutToken) {
            // pam_radius_auth (and most PAM NASes) never show a Reject's Reply-Message: the notice goes out as a
            // challenge the user acknowledges, and its answer gets the Reject
            String notice = messages.text("radius.enroll");
            return challenge(client, r, Expect.NOTICE, notice, true, notice, "enroll_notice");
        }
        User user = found.orElse(null);
        if (user == null || user.mobile() == null || user.mobile().isBlank()) {
            return reject(r, "no_mobile", messages.text("radius.noMobile"));
        }
        return switch (sms.send(user)) {
            case SENT, STILL_VALID -> challenge(client, r, Expect.SMS,
                    messages.prompt("radius.smsPrompt", PhoneMask.mask(user.mobile())), false, null, "sms");
            case LIMIT -> reject(r, "sms_limit", messages.text("radius.smsLimit"));
            case FAILED -> reject(r, "sms_failed", messages.text("radius.smsFailed"));
        };
    }

    private Challenge challenge(RadiusClients.Client client, Request r, Expect expect, String message, boolean echo,
                                String notice, String detail) {
        byte[] state = Secrets.bytes(16);
        long now = clock.millis();
        se.lu.lunarc.otp.server.StoreUnavailable.write(db, c -> {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM radius_states WHERE expires <= ?")) {
                p.setLong(1, now);
                p.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO radius_states (state_hash, username, nas, "
                    + "expect, notice, expires) VALUES (?, ?, ?, ?, ?, ?)")) {
                p.setString(1, stateHash(state));
                p.setString(2, r.username());
                p.setString(3, client.name());
                p.setString(4, expect.name());
                p.setString(5, notice);
                p.setLong(6, now + STATE_VALID.toMillis());
                p.executeUpdate();
            }
            return null;
        });
        audit.recordRadius("radius_challenge", r.username(), r.address(), r.nas(), detail);
        return new Challenge(state, message, echo);
    }

    /** Takes a State once, over all nodes: the one statement both deletes it and says what it stood for. */
    private Pending takeState(byte[] state) throws SQLException {
        long now = clock.millis();
        return db.inTransaction(c -> {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM radius_states WHERE state_hash = ? "
                    + "RETURNING username, nas, expect, notice, expires")) {
                p.setString(1, stateHash(state));
                try (ResultSet rs = p.executeQuery()) {
                    if (!rs.next() || rs.getLong(5) <= now) {
                        return null;
                    }
                    return new Pending(rs.getString(1), rs.getString(2), Expect.valueOf(rs.getString(3)),
                            rs.getString(4));
                }
            }
        });
    }

    private static String stateHash(byte[] state) {
        return Secrets.sha256(Base64.getEncoder().encodeToString(state));
    }

    /** Where the user logs in from: the Calling-Station-Id, or else the NAS. */
    private static String station(Request r) {
        return r.nas().callingStationId() == null ? "nas:" + r.nas().name() : r.nas().callingStationId();
    }

    /** The user, empty for a wrong password or unknown user, null when this user and station may not try now. */
    private Optional<User> checkPassword(Request r, byte[] passwordBytes) {
        if (!passwordPerStation.tryTake(r.username() + "\n" + station(r))) {
            return null;
        }
        char[] password = utf8(passwordBytes);
        try {
            return users.authenticate(r.username(), password).asOptional();
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private Reject reject(Request r, String reason, String message) {
        audit.recordRadius("radius_reject", r.username(), r.address(), r.nas(), reason);
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
