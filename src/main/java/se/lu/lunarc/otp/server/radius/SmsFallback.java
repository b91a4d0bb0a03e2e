package se.lu.lunarc.otp.server.radius;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.lu.lunarc.otp.server.secrets.Secrets;
import se.lu.lunarc.otp.server.errors.StoreUnavailable;
import se.lu.lunarc.otp.server.store.Database;
import se.lu.lunarc.otp.server.store.SmsRounds;
import se.lu.lunarc.otp.server.sms.SmsGateway;
import se.lu.lunarc.otp.server.users.User;

import java.io.IOException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

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

    /** {@code NOT_SENT}: the gateway refused the last code, so the user cannot have it. */
    enum Verified { ACCEPTED, WRONG, EXPIRED, NOT_SENT }

    private final SmsGateway gateway;
    private final String template;
    private final Clock clock;
    private final Database db;
    private final Executor senders;

    /**
     * {@code senders} runs the gateway's calls, which may take the gateway's whole timeout: never on the thread
     * that answers a NAS, so that a slow SMS provider cannot hold up other users' app-code logins.
     */
    SmsFallback(SmsGateway gateway, String template, Clock clock, Database db, Executor senders) {
        this.gateway = gateway;
        this.template = template;
        this.clock = clock;
        this.db = db;
        this.senders = senders;
    }

    /**
     * Sends {@code user} a new code, unless the last one was sent under 30 seconds ago and can still be used
     * (a NAS retrying, or a user pressing Enter twice, must not send a second SMS). The code is recorded before
     * it is sent, in one transaction, so two nodes asked at once send one code. The sending itself is handed to
     * {@code senders} and this returns at once; a send that fails (or finds no free sender) is taken back, and
     * the user's answer then gets {@link Verified#NOT_SENT}.
     */
    Sent send(User user) {
        String code = Secrets.digits(CODE_LENGTH);
        byte[] hash = Secrets.sha256Bytes(code);
        long now = clock.millis();
        Sent decided = store(c -> {
            SmsRounds.Round round = SmsRounds.find(c, user.username(), now);
            if (round != null && round.lastSent() != null && now < round.lastSent() + RESEND_AFTER.toMillis()
                    && round.triesLeft() > 0 && now < round.codeExpires()) {
                return Sent.STILL_VALID;
            }
            if (round != null && round.codesSent() >= MAX_CODES) {
                return Sent.LIMIT;
            }
            long roundExpires = round == null ? now + Duration.ofMinutes(ROUND_MINUTES).toMillis() : round.expires();
            int sent = round == null ? 1 : round.codesSent() + 1;
            SmsRounds.save(c, user.username(), new SmsRounds.Round(hash, now + CODE_VALID.toMillis(), now, TRIES, sent,
                    roundExpires));
            return Sent.SENT;
        });
        if (decided != Sent.SENT) {
            return decided;
        }
        String text = template.replace("{code}", code).replace("{minutes}", Long.toString(CODE_VALID.toMinutes()));
        try {
            senders.execute(() -> deliver(user, text, hash, now));
        } catch (RejectedExecutionException busy) {
            log.error("SMS for {} not sent: every sender is busy", user.username());
            takeBack(user.username(), hash, now);
            return Sent.FAILED;
        }
        return Sent.SENT;
    }

    private void deliver(User user, String text, byte[] hash, long now) {
        try {
            gateway.send(user.mobile(), text);
        } catch (IOException e) {
            log.error("SMS for {} not sent: {}", user.username(), e.getClass().getSimpleName());
            try {
                takeBack(user.username(), hash, now);
            } catch (RuntimeException storeDown) {
                log.error("SMS for {}: the failed send could not be recorded: {}", user.username(),
                        storeDown.getClass().getSimpleName());
            }
        }
    }

    /** The code that was not sent no longer counts, and cannot be used: its hash goes. */
    private void takeBack(String username, byte[] hash, long now) {
        store(c -> {
            SmsRounds.Round round = SmsRounds.find(c, username, now);
            if (round != null && round.codeHash() != null && MessageDigest.isEqual(round.codeHash(), hash)) {
                SmsRounds.save(c, username, new SmsRounds.Round(null, 0, null, 0, round.codesSent() - 1,
                        round.expires()));
            }
            return null;
        });
    }

    Verified verify(String username, String code) {
        byte[] presented = Secrets.sha256Bytes(code == null ? "" : code.trim());
        long now = clock.millis();
        return store(c -> {
            SmsRounds.Round round = SmsRounds.find(c, username, now);
            if (round != null && round.codeHash() == null && round.lastSent() == null) {
                return Verified.NOT_SENT;
            }
            if (round == null || round.codeHash() == null || round.triesLeft() <= 0 || now > round.codeExpires()) {
                return Verified.EXPIRED;
            }
            if (MessageDigest.isEqual(round.codeHash(), presented)) {
                // spent: the next login gets a new code
                SmsRounds.delete(c, username);
                return Verified.ACCEPTED;
            }
            SmsRounds.save(c, username, new SmsRounds.Round(round.codeHash(), round.codeExpires(), round.lastSent(),
                    round.triesLeft() - 1, round.codesSent(), round.expires()));
            return Verified.WRONG;
        });
    }

    private <T> T store(Database.Work<T> work) {
        return StoreUnavailable.write(db, work);
    }
}
