package se.lu.lunarc.otp.server.notify;

import se.lu.lunarc.otp.server.ServerConfig;

/**
 * The {@code notifications:} block: tell users of changes to their authenticators, by SMS ({@code sms}, on by default)
 * and by e-mail where {@code mail:} is configured, in the user's language from the directory or else
 * {@code language}; at most {@code perUser} messages per user (default 5 an hour), so that nobody can flood a
 * phone by causing changes. {@code contact} is who the message says to turn to.
 */
public record NotifyConfig(String language, Boolean sms, ServerConfig.Limit perUser, String contact) {
    public NotifyConfig {
        language = language == null ? "en" : language;
        if (!language.equals("en") && !language.equals("sv")) {
            throw new IllegalArgumentException("notifications.language must be en or sv, not " + language);
        }
        sms = sms == null || sms;
        perUser = perUser == null ? new ServerConfig.Limit(5, 3600) : perUser;
        if (perUser.attempts() < 1 || perUser.windowSeconds() < 1) {
            throw new IllegalArgumentException("notifications.perUser needs attempts and windowSeconds of at least 1");
        }
        contact = contact == null || contact.isBlank() ? "LUNARC support" : contact;
    }
}
