package se.lu.lunarc.otp.server.radius;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.ResourceBundle;

/** The texts users see at the login prompt, in the language the configuration names (English or Swedish). */
final class RadiusMessages {
    static final String BUNDLE = "se.lu.lunarc.otp.server.radius.messages";

    private final ResourceBundle bundle;
    private final Locale locale;

    RadiusMessages(String language) {
        this.locale = Locale.forLanguageTag(language);
        // no fallback to the JVM's locale: "en" must give English on a server whose default locale is Swedish
        this.bundle = ResourceBundle.getBundle(BUNDLE, locale,
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    /** A message, with {@code {0}}… filled in. */
    String text(String key, Object... args) {
        String pattern = bundle.getString(key);
        return args.length == 0 ? pattern : new MessageFormat(pattern, locale).format(args);
    }

    /** A prompt: what the user types follows it after one space. */
    String prompt(String key, Object... args) {
        return text(key, args).stripTrailing() + " ";
    }
}
