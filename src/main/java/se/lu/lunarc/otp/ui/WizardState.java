package se.lu.lunarc.otp.ui;

import se.lu.lunarc.otp.app.ClientHolder;
import se.lu.lunarc.otp.app.ClientSettings;
import se.lu.lunarc.otp.app.Texts;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import se.lu.lunarc.otp.app.EnrollmentSession;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.ResourceBundle;

/**
 * What the screens share: settings, the client, the enrollment's {@link EnrollmentSession} (the flow and what its
 * steps found out), and what only the window needs (language, the name typed, a message for the next screen).
 * FX thread only.
 */
public final class WizardState {
    public static final String BUNDLE = Texts.BUNDLE;

    public final ClientSettings settings;
    public final ClientHolder client;
    public final Tasks tasks;
    public final EnrollmentSession session;
    public final ObjectProperty<Locale> locale;

    /** A message for the next screen to show once. */
    public record Flash(Kind kind, String text) {
        public enum Kind { SUCCESS, INFO, ERROR }
    }

    /** Kept across an expired session, so the user need not type it again. */
    private String username = "";
    /** When the SMS on hand was sent: the code screen counts its validity and the resend wait from it. */
    private Instant codeSentAt;
    private Flash flash;

    public WizardState(ClientSettings settings, ClientHolder client, Tasks tasks) {
        this.settings = settings;
        this.client = client;
        this.tasks = tasks;
        this.session = new EnrollmentSession(client, WizardState::fxThread);
        // the key leaves the clipboard with memory, however the enrollment ended
        session.onKeyForgotten(WizardState::clearClipboardIfItHolds);
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

    // The flow's state is changed on the FX thread only: network work reads what it needs before it starts.
    private static void fxThread() {
        if (!javafx.application.Platform.isFxApplicationThread()) {
            throw new IllegalStateException("the wizard's state is changed on the FX thread only");
        }
    }

    public String username() { return username; }
    public void setUsername(String v) { fxThread(); username = v; }
    public Instant codeSentAt() { return codeSentAt; }
    public void setCodeSentAt(Instant v) { fxThread(); codeSentAt = v; }

    public void flash(Flash.Kind kind, String text) {
        fxThread();
        flash = new Flash(kind, text);
    }

    /** The message left for this screen, once: null when there is none. */
    public Flash takeFlash() {
        fxThread();
        Flash f = flash;
        flash = null;
        return f;
    }
}
