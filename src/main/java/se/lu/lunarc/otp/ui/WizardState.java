package se.lu.lunarc.otp.ui;

import se.lu.lunarc.otp.app.ClientHolder;
import se.lu.lunarc.otp.app.ClientSettings;
import se.lu.lunarc.otp.app.Texts;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import se.lu.lunarc.otp.api.CreatedToken;
import se.lu.lunarc.otp.api.LoginStarted;
import se.lu.lunarc.otp.api.Me;
import se.lu.lunarc.otp.api.Token;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;

/** What the screens share: settings, the client, and where the user is in the flow. FX thread only. */
public final class WizardState {
    public static final String BUNDLE = Texts.BUNDLE;

    public final ClientSettings settings;
    public final ClientHolder client;
    public final Tasks tasks;
    public final ObjectProperty<Locale> locale;

    /** Kept across an expired session, so the user need not type it again. */
    public String username = "";
    public LoginStarted login;
    public Instant codeSentAt;
    public Me me;
    public List<Token> tokens = List.of();
    /** The enrollment being shown: holds the token secret until the activation ends. */
    public CreatedToken enrollment;
    /** The pending token the Activate screen finishes (from a new enrollment, or from a pending card). */
    public Token activating;
    /** A message for the next screen to show once: {@code [kind, text]}, kind "success", "info" or "error". */
    public String[] flash;

    public WizardState(ClientSettings settings, ClientHolder client, Tasks tasks) {
        this.settings = settings;
        this.client = client;
        this.tasks = tasks;
        this.locale = new SimpleObjectProperty<>(supported(settings.locale()));
    }

    public ResourceBundle bundle() {
        return ResourceBundle.getBundle(BUNDLE, locale.get());
    }

    public static Locale supported(Locale l) {
        return Texts.supported(l);
    }

    /** Empties the system clipboard when it still holds {@code secret}: what the user copied since is left. */
    public static void clearClipboardIfItHolds(String secret) {
        javafx.scene.input.Clipboard clipboard = javafx.scene.input.Clipboard.getSystemClipboard();
        if (secret != null && secret.equals(clipboard.getString())) {
            clipboard.clear();
        }
    }

    /** How token dates are shown: {@link Texts#dateTimeFormat}. */
    public static DateTimeFormatter dateTimeFormat(Locale locale) {
        return Texts.dateTimeFormat(locale);
    }

    /**
     * Forgets everything of the signed-in user but the username; the enrollment's secret goes with it, from the
     * clipboard too (logout, session expiry, window close).
     */
    public void signedOut() {
        if (enrollment != null) {
            clearClipboardIfItHolds(enrollment.enrollment().secret());
        }
        login = null;
        codeSentAt = null;
        me = null;
        tokens = List.of();
        enrollment = null;
        activating = null;
    }
}
