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

    /** A message for the next screen to show once. */
    public record Flash(Kind kind, String text) {
        public enum Kind { SUCCESS, INFO, ERROR }
    }

    /** Kept across an expired session, so the user need not type it again. */
    private String username = "";
    private LoginStarted login;
    private Instant codeSentAt;
    private Me me;
    private List<Token> tokens = List.of();
    /** The enrollment being shown: holds the token secret until the activation ends. */
    private CreatedToken enrollment;
    /** The pending token the Activate screen finishes (from a new enrollment, or from a pending card). */
    private Token activating;
    private Flash flash;

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
        endEnrollment();
        login = null;
        codeSentAt = null;
        me = null;
        tokens = List.of();
    }

    /** The enrollment is over, however it ended: the secret leaves memory and the clipboard. */
    public void endEnrollment() {
        fxThread();
        if (enrollment != null) {
            clearClipboardIfItHolds(enrollment.enrollment().secret());
        }
        enrollment = null;
        activating = null;
    }

    // The flow's state is changed on the FX thread only: network work reads what it needs before it starts.
    private static void fxThread() {
        if (!javafx.application.Platform.isFxApplicationThread()) {
            throw new IllegalStateException("the wizard's state is changed on the FX thread only");
        }
    }

    public String username() { return username; }
    public void setUsername(String v) { fxThread(); username = v; }
    public LoginStarted login() { return login; }
    public void setLogin(LoginStarted v) { fxThread(); login = v; }
    public Instant codeSentAt() { return codeSentAt; }
    public void setCodeSentAt(Instant v) { fxThread(); codeSentAt = v; }
    public Me me() { return me; }
    public void setMe(Me v) { fxThread(); me = v; }
    public List<Token> tokens() { return tokens; }
    /** The list as last read; null while it could not be read (the account screen then reads it). */
    public void setTokens(List<Token> v) { fxThread(); tokens = v == null ? null : List.copyOf(v); }
    public CreatedToken enrollment() { return enrollment; }
    public void setEnrollment(CreatedToken v) { fxThread(); enrollment = v; }
    public Token activating() { return activating; }
    public void setActivating(Token v) { fxThread(); activating = v; }

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
