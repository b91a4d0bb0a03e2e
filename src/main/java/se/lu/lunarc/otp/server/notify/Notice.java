package se.lu.lunarc.otp.server.notify;

import java.text.MessageFormat;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.ResourceBundle;

/** What a user is told of one change, in English or Swedish: a subject for e-mail and one short text for both. */
record Notice(String subject, String text) {
    static final String BUNDLE = "se.lu.lunarc.otp.server.notify.messages";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    /** What changed, as the audit log's events say it. */
    enum Change {
        ADDED("added"), REGISTERED("registered"), REVOKED("revoked"), DEACTIVATED("deactivated"),
        UNASSIGNED("unassigned"), REPLAYED("replayed"), SMS_LOGIN("smsLogin"), TEST("test");

        final String key;

        Change(String key) {
            this.key = key;
        }

        /** The change an audit event records, or null for an event nobody is told of. */
        static Change of(String event, String detail) {
            return switch (event) {
                case "token_created" -> ADDED;
                case "token_activated", "hardware_token_registered" -> REGISTERED;
                case "token_revoked" -> REVOKED;
                case "token_disabled" -> DEACTIVATED;
                case "hardware_token_unassigned" -> UNASSIGNED;
                case "code_replayed" -> REPLAYED;
                case "radius_accept" -> "sms".equals(detail) ? SMS_LOGIN : null;
                default -> null;
            };
        }
    }

    /** Who made the change: the user from an address, or the helpdesk (an administrator's command). */
    static Notice of(Change change, boolean byHelpdesk, String address, Instant at, String contact, String language) {
        Locale locale = Locale.forLanguageTag(language);
        ResourceBundle b = ResourceBundle.getBundle(BUNDLE, locale,
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
        String when = TIME.format(at);
        String how = switch (change) {
            case REPLAYED, SMS_LOGIN, TEST -> format(b, "notify.at", locale, when);
            default -> byHelpdesk ? format(b, "notify.byHelpdesk", locale, when)
                    : format(b, "notify.byYou", locale, address == null ? "?" : address, when);
        };
        String text = format(b, "notify." + change.key, locale, how) + " " + format(b, "notify.notYou", locale, contact);
        String subject = b.getString(change == Change.REPLAYED || change == Change.SMS_LOGIN
                ? "notify.subject." + change.key : "notify.subject");
        return new Notice(subject, text);
    }

    private static String format(ResourceBundle b, String key, Locale locale, Object... args) {
        return new MessageFormat(b.getString(key), locale).format(args);
    }
}
