package se.lu.lunarc.otp.server.notify;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.lu.lunarc.otp.server.ServerConfig;
import se.lu.lunarc.otp.server.audit.AuditLog;
import se.lu.lunarc.otp.server.limits.RateLimits;
import se.lu.lunarc.otp.server.limits.RateLimiter;
import se.lu.lunarc.otp.server.sms.SmsGateway;
import se.lu.lunarc.otp.server.users.User;
import se.lu.lunarc.otp.server.users.UserDirectory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Tells a user of each change to their authenticators that the audit log records (ASVS 2.2.3, 2.8.5): by SMS to
 * the directory's mobile number, and by e-mail to its address when {@code mail:} is configured, in the user's
 * language. Sends on two threads of its own, never on the request's; at most {@code notifications.perUser} messages per
 * user and window, the rest recorded as throttled. Each outcome is audited, without the text.
 */
public final class Notifier implements AuditLog.Listener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Notifier.class);
    private static final int QUEUE = 1000;

    private final NotifyConfig config;
    private final MailSender mail;
    private final UserDirectory users;
    private final SmsGateway sms;
    private final AuditLog audit;
    private final RateLimiter perUser;
    private final Clock clock;
    private final ThreadPoolExecutor senders;

    public Notifier(NotifyConfig config, MailConfig mail, UserDirectory users, SmsGateway sms, AuditLog audit,
                    RateLimiter perUser, Clock clock) throws java.io.IOException, java.security.GeneralSecurityException {
        this.config = config;
        this.mail = mail == null ? null : new MailSender(mail);
        this.users = users;
        this.sms = sms;
        this.audit = audit;
        this.perUser = perUser;
        this.clock = clock;
        this.senders = new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
            Thread t = new Thread(r, "notify");
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.AbortPolicy());
    }

    /**
     * The site's notifier, listening to {@code audit}, when the configuration has a {@code notifications:} block; else null.
     * A {@code mail:} block that cannot be used (its CA file unreadable) stops the start, with the reason.
     */
    public static Notifier forSite(ServerConfig site, UserDirectory users, SmsGateway sms, AuditLog audit,
                                   RateLimits limits, Clock clock) throws java.io.IOException {
        if (site.notifications() == null) {
            return null;
        }
        try {
            Notifier n = new Notifier(site.notifications(), site.mail(), users, sms, audit,
                    limits.limiter(RateLimits.Name.NOTIFY_USER, site.notifications().perUser()), clock);
            audit.onRecorded(n);
            return n;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalArgumentException("mail.caFile cannot be used as trusted certificates: " + e.getMessage());
        }
    }

    @Override
    public void recorded(AuditLog.Line line) {
        Notice.Change change = Notice.Change.of(line.event(), line.detail());
        if (change == null || line.user() == null) {
            return;
        }
        boolean byHelpdesk = "cli".equals(line.address());
        Instant at = clock.instant();
        try {
            senders.execute(() -> tell(line, change, byHelpdesk, at));
        } catch (RejectedExecutionException full) {
            audit.record("user_notification_dropped", line.user(), null, line.tokenId(), "change=" + change.key
                    + " reason=queue_full");
        }
    }

    /**
     * Sends a test message to {@code user} now, on this thread (the helpdesk's {@code admin notify-test}); what
     * was sent, as audited, or why nothing was.
     */
    public String test(String user) {
        String outcome = tell(new AuditLog.Line("notification_test", user, "cli", null, null), Notice.Change.TEST,
                true, clock.instant());
        return outcome == null ? "no such user in the directory" : outcome;
    }

    private String tell(AuditLog.Line line, Notice.Change change, boolean byHelpdesk, Instant at) {
        String user = line.user();
        try {
            if (!perUser.tryTake(user)) {
                audit.record("user_notification_throttled", user, null, line.tokenId(), "change=" + change.key);
                return "throttled: " + user + " had " + config.perUser().attempts() + " messages within "
                        + config.perUser().windowSeconds() + " s";
            }
            User u = users.find(user).orElse(null);
            if (u == null) {
                return null; // gone from the directory: nobody to tell
            }
            Notice notice = Notice.of(change, byHelpdesk, line.address(), at, config.contact(), language(u));
            List<String> sent = new ArrayList<>();
            List<String> failed = new ArrayList<>();
            if (config.sms() && u.mobile() != null) {
                try {
                    sms.send(u.mobile(), notice.text());
                    sent.add("sms");
                } catch (Exception e) {
                    failed.add("sms");
                    log.warn("notification by SMS to {} failed: {}", user, e.getClass().getSimpleName());
                }
            }
            if (mail != null && u.email() != null && !u.email().isBlank()) {
                try {
                    mail.send(u.email(), notice.subject(), notice.text(), at);
                    sent.add("mail");
                } catch (Exception e) {
                    failed.add("mail");
                    log.warn("notification by e-mail to {} failed: {}", user, e.getMessage());
                }
            }
            String detail = "change=" + change.key + " by=" + (byHelpdesk ? "helpdesk" : "user")
                    + " sent=" + String.join(",", sent) + (failed.isEmpty() ? "" : " failed=" + String.join(",", failed));
            audit.record(failed.isEmpty() ? "user_notified" : "user_notification_failed", user, null,
                    line.tokenId(), detail);
            return detail;
        } catch (RuntimeException e) {
            // the directory or the store is down: the change stands; the message is lost, and said so
            log.warn("notification to {} not sent: {}", user, e.getClass().getSimpleName());
            audit.record("user_notification_failed", user, null, line.tokenId(), "change=" + change.key
                    + " reason=" + e.getClass().getSimpleName());
            return "failed: " + e.getClass().getSimpleName();
        }
    }

    /** The directory's language for the user when it is English or Swedish, else the site's. */
    private String language(User u) {
        if (u.language() != null) {
            String primary = Locale.forLanguageTag(u.language().strip().replace('_', '-')).getLanguage();
            if (primary.equals("en") || primary.equals("sv")) {
                return primary;
            }
        }
        return config.language();
    }

    /** The directory it looks users up in. */
    public UserDirectory directory() {
        return users;
    }

    /** Sends what is queued (at most 30 s): a command's process ends only after its message went out. */
    @Override
    public void close() throws InterruptedException {
        senders.shutdown();
        senders.awaitTermination(30, TimeUnit.SECONDS);
    }
}
