package se.lu.lunarc.otp.app;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.Locale;
import java.util.ResourceBundle;

/** The user-facing texts and formats that the window and the terminal share. */
public final class Texts {
    /** The bundle of both clients' texts (English and Swedish). */
    public static final String BUNDLE = "se.lu.lunarc.otp.ui.messages";

    private Texts() {}

    /** The language the clients speak for {@code l}: Swedish for Swedish, English for everything else. */
    public static Locale supported(Locale l) {
        return "sv".equals(l.getLanguage()) ? Locale.forLanguageTag("sv") : Locale.ENGLISH;
    }

    public static ResourceBundle bundle(Locale l) {
        return ResourceBundle.getBundle(BUNDLE, supported(l));
    }

    /** How token dates are shown, in the window and the terminal alike: medium date, short time, local zone. */
    public static DateTimeFormatter dateTimeFormat(Locale locale) {
        return DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT).withLocale(locale)
                .withZone(ZoneId.systemDefault());
    }
}
