package se.lu.lunarc.otp.server.radius;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.lu.lunarc.otp.server.Secrets;
import se.lu.lunarc.otp.server.sms.SmsGateway;
import se.lu.lunarc.otp.server.users.User;

import java.io.IOException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * SMS codes for users who have no active token yet, so they can log in before they have the app. The web
 * sign-in's rules: 6 digits, valid 5 minutes, 5 tries each, a new code no sooner than 30 seconds after the last.
 * A user gets at most {@value #MAX_CODES} codes per {@value #ROUND_MINUTES} minutes, so at most 20 guesses in
 * that time, however often the password round is passed. Only a hash of the code is kept.
 */
final class SmsFallback {
    static final int CODE_LENGTH = 6;
    static final Duration CODE_VALID = Duration.ofMinutes(5);
    static final Duration RESEND_AFTER = Duration.ofSeconds(30);
    static final int TRIES = 5;
    static final int MAX_CODES = 4;
    static final int ROUND_MINUTES = 30;

    private static final Logger log = LoggerFactory.getLogger(SmsFallback.class);

    /** What {@link #send} did. */
    enum Sent { SENT, STILL_VALID, LIMIT, FAILED }

    enum Verified { ACCEPTED, WRONG, EXPIRED }

    private static final class Round {
        byte[] codeHash;
        Instant expires;
        Instant lastSent;
        int triesLeft;
        int codesSent;
    }

    private final SmsGateway gateway;
    private final String template;
    private final Clock clock;
    private final Cache<String, Round> rounds;

    SmsFallback(SmsGateway gateway, String template, Clock clock) {
        this.gateway = gateway;
        this.template = template;
        this.clock = clock;
        this.rounds = Caffeine.newBuilder()
                .expireAfterWrite(Duration.ofMinutes(ROUND_MINUTES))
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .maximumSize(100_000)
                .build();
    }

    /**
     * Sends {@code user} a new code, unless the last one was sent under 30 seconds ago and can still be used
     * (a NAS retrying, or a user pressing Enter twice, must not send a second SMS).
     */
    Sent send(User user) {
        Round round = rounds.get(user.username(), u -> new Round());
        synchronized (round) {
            Instant now = clock.instant();
            if (round.lastSent != null && now.isBefore(round.lastSent.plus(RESEND_AFTER)) && round.triesLeft > 0
                    && now.isBefore(round.expires)) {
                return Sent.STILL_VALID;
            }
            if (round.codesSent >= MAX_CODES) {
                return Sent.LIMIT;
            }
            String code = Secrets.digits(CODE_LENGTH);
            String text = template.replace("{code}", code).replace("{minutes}", Long.toString(CODE_VALID.toMinutes()));
            try {
                gateway.send(user.mobile(), text);
            } catch (IOException e) {
                log.error("SMS for {} not sent: {}", user.username(), e.getClass().getSimpleName());
                return Sent.FAILED;
            }
            round.codeHash = Secrets.sha256Bytes(code);
            round.lastSent = now;
            round.expires = now.plus(CODE_VALID);
            round.triesLeft = TRIES;
            round.codesSent++;
            return Sent.SENT;
        }
    }

    Verified verify(String username, String code) {
        Round round = rounds.getIfPresent(username);
        if (round == null) {
            return Verified.EXPIRED;
        }
        synchronized (round) {
            if (round.codeHash == null || round.triesLeft <= 0 || clock.instant().isAfter(round.expires)) {
                return Verified.EXPIRED;
            }
            round.triesLeft--;
            if (MessageDigest.isEqual(round.codeHash, Secrets.sha256Bytes(code == null ? "" : code.trim()))) {
                // spent: the next login gets a new code
                rounds.invalidate(username);
                return Verified.ACCEPTED;
            }
            return Verified.WRONG;
        }
    }

}
