package se.lu.lunarc.otp.text;

import com.google.zxing.common.BitMatrix;
import se.lu.lunarc.otp.api.Enrollment;
import se.lu.lunarc.otp.api.LoginStarted;
import se.lu.lunarc.otp.api.Token;
import se.lu.lunarc.otp.api.TokenNameRule;
import se.lu.lunarc.otp.app.ClientHolder;
import se.lu.lunarc.otp.app.ClientSettings;
import se.lu.lunarc.otp.app.EnrollmentSession;
import se.lu.lunarc.otp.app.EnrollmentSteps;
import se.lu.lunarc.otp.app.EnrollmentSteps.Move;
import se.lu.lunarc.otp.app.ErrorMessages;
import se.lu.lunarc.otp.app.Flow;
import se.lu.lunarc.otp.app.Texts;
import se.lu.lunarc.otp.client.ApiException;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.ResourceBundle;

/**
 * The enrollment in a terminal: it presents the {@link EnrollmentSession} as prompts (sign in, SMS code, the
 * account ({@link TextAccount}), a new token's name, QR code and key, activation, a hardware token) and reports
 * what was typed. Same session, settings, demo and texts as the window; the order of the steps and the requests
 * are the session's.
 */
public final class TextWizard {
    /** How long leaving waits for the server to end the session (Ctrl-D, Ctrl-C). */
    private static final Duration LOGOUT_WAIT = Duration.ofSeconds(3);

    private final ClientSettings settings;
    private final ResourceBundle rb;
    private final TerminalQr.Style qrStyle;
    private final ClientHolder holder;
    private final EnrollmentSession session;
    private final Dialogue d;
    private final TextAccount account;

    public TextWizard(Terminal term, ClientSettings settings, TerminalQr.Style qrStyle) {
        this.settings = settings;
        Locale locale = Texts.supported(settings.locale());
        this.rb = ResourceBundle.getBundle(Texts.BUNDLE, locale);
        this.qrStyle = qrStyle;
        this.holder = new ClientHolder(settings);
        this.session = new EnrollmentSession(holder, () -> { }); // one thread: this one
        this.d = new Dialogue(term, rb, session);
        this.account = new TextAccount(d, locale, settings.appName());
        session.onKeyForgotten(secret -> d.clearQr()); // the key leaves the screen with memory
    }

    /** Runs until the user quits or the input ends; returns the exit status. */
    public int run() throws IOException {
        Thread onInterrupt = new Thread(() -> {
            d.clearQr();
            session.endOnLeaving(LOGOUT_WAIT);
        });
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        try {
            d.say(d.t("app.title"));
            if (settings.demo()) {
                d.say("[" + d.t("demo.badge") + "] " + d.t("text.demo"));
            }
            try {
                holder.get();
            } catch (ApiException e) {
                d.error(e);
                return 1;
            }
            while (true) {
                switch (session.step()) {
                    case SIGN_IN -> signIn();
                    case SMS_CODE -> smsCode();
                    case ACCOUNT -> account.visit();
                    case NAME -> name();
                    case QR -> showQr();
                    case ACTIVATE -> activate();
                    case HARDWARE -> hardware();
                }
            }
        } catch (TextAccount.Quit e) {
            return 0;
        } catch (Dialogue.EndOfInput e) {
            d.say("");
            session.endOnLeaving(LOGOUT_WAIT);
            return 0;
        } finally {
            d.clearQr();
            holder.close();
            try {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
    }

    // ---- sign in ------------------------------------------------------------------------------------------

    private void signIn() throws IOException {
        account.signedIn();
        d.heading(d.t("signin.title"));
        if (settings.demo()) {
            d.say(d.t("demo.credentials") + " demo / lunarc-demo");
        }
        String user = d.ask(d.t("text.username"));
        if (user.isEmpty()) {
            return;
        }
        char[] password = d.askSecret(d.t("text.password"));
        LoginStarted login;
        try {
            while (true) {
                try {
                    d.say(d.t("text.humanCheck"));
                    login = session.signIn(user, password.clone(), session.humanCheck().complete()).complete();
                    break;
                } catch (ApiException e) {
                    d.failed(e);
                    // the window's Retry: the same name and password again, once what failed may be back
                    if (!ErrorMessages.retryable(e) || !d.ask(d.t("text.retry")).isEmpty()) {
                        return;
                    }
                }
            }
        } finally {
            Arrays.fill(password, '\0');
        }
        var sms = login.sms();
        d.say(d.t("code.sentTo", sms.maskedPhone()) + " "
                + d.t("text.validMinutes", (sms.expiresInSeconds() + 59) / 60));
        showDemoSms();
    }

    private void smsCode() throws IOException {
        String code = d.askCode(d.t("text.codePrompt"));
        if (code.equalsIgnoreCase("b")) {
            session.move(Move.BACK);
            return;
        }
        try {
            if (code.equalsIgnoreCase("r")) {
                d.say(d.t("code.resent", session.resend().complete().maskedPhone()));
                showDemoSms();
                return;
            }
            session.submitCode(code).complete();
        } catch (ApiException e) {
            d.failed(e);
        }
    }

    private void showDemoSms() {
        try {
            holder.demoMessages().stream().findFirst()
                    .ifPresent(m -> d.say("  [" + d.t("demo.inbox") + "] " + m.text()));
        } catch (IOException e) {
            d.say("  [" + d.t("demo.inbox") + "] " + e.getClass().getSimpleName());
        }
    }

    // ---- a new token ----------------------------------------------------------------------------------------

    /** A name the server will take, asked until it is one; empty when the user pressed Enter to go back. */
    private String askName(String prompt, String suggested) throws IOException {
        while (true) {
            String typed = d.ask(prompt);
            String name = typed.isBlank() && suggested != null ? suggested : typed;
            if (name.isEmpty()) {
                return name;
            }
            TokenNameRule broken = TokenNameRule.broken(name, TokenNameRule.namesInUse(session.tokens()));
            if (broken == null) {
                return name.strip();
            }
            d.say("! " + d.t(broken.messageKey()));
        }
    }

    private void name() throws IOException {
        d.heading(d.t("name.title"));
        String name = askName(d.t("text.namePrompt"), null);
        if (name.isEmpty()) {
            session.move(Move.BACK); // the way out, at the token cap too
            return;
        }
        try {
            session.createToken(name).complete();
        } catch (ApiException e) {
            d.failed(e);
        }
    }

    private void showQr() {
        Enrollment e = session.newToken().enrollment();
        d.qrBegins();
        d.say("== " + d.t("qr.title") + " ==");
        BitMatrix m = TerminalQr.matrix(e.otpauthUri());
        if (TerminalQr.width(m, qrStyle) > d.term.columns()) {
            d.say(d.t("text.tooNarrow", TerminalQr.width(m, qrStyle), d.term.columns()));
        } else {
            TerminalQr.render(m, qrStyle).forEach(d::say);
        }
        for (String step : d.t("qr.steps", settings.appName()).split("\n")) {
            d.say(step);
        }
        d.say(d.t("text.key") + " " + e.secret().replaceAll("(.{4})(?!$)", "$1 "));
        d.say(d.t("qr.settings", e.algorithm().replace("SHA1", "SHA-1"), e.digits(), e.period(), e.issuer(),
                e.account()));
        session.move(Move.DONE);
    }

    private void activate() throws IOException {
        if (!d.qrShown()) {
            d.heading(session.activating().name());
        }
        d.say(d.t("activate.text"));
        while (session.step() == EnrollmentSteps.Step.ACTIVATE) {
            String code = d.askCode(d.t("text.activatePrompt"));
            if (code.equalsIgnoreCase("c")) {
                String name = session.activating().name();
                session.move(Move.CANCEL);
                d.say(d.t("qr.closedPending", name));
                return;
            }
            try {
                Token active = session.activate(code).complete().token();
                d.say("* " + d.t("activate.success", settings.appName(), active.name()));
            } catch (ApiException ex) {
                d.failed(ex);
            }
        }
    }

    // ---- a hardware token ------------------------------------------------------------------------------------

    /** The serial number printed on the token, the code it shows now, and a name (its default named). */
    private void hardware() throws IOException {
        d.heading(d.t("hardware.title"));
        d.say(d.t("hardware.text"));
        String serial = d.ask(d.t("text.hardwareSerial")).strip();
        if (serial.isEmpty()) {
            session.move(Move.BACK);
            return;
        }
        String code = d.askCode(d.t("text.hardwareCode")).strip();
        String suggested = Flow.hardwareTokenName(rb, serial);
        String name = askName(d.t("text.hardwareName", suggested), suggested);
        try {
            Token registered = session.registerHardware(serial, code, name).complete().token();
            d.say("* " + d.t("hardware.success", registered.name()));
        } catch (ApiException e) {
            // the same step again: the serial number and a new code are asked afresh
            d.failed(e, ErrorMessages.forHardwareToken(rb, e));
        }
    }
}
