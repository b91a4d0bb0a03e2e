package se.lu.lunarc.otp.text;

import se.lu.lunarc.otp.app.EnrollmentSteps;
import se.lu.lunarc.otp.app.EnrollmentSteps.Move;
import se.lu.lunarc.otp.app.Flow;

import se.lu.lunarc.otp.app.Texts;

import com.google.zxing.common.BitMatrix;
import se.lu.lunarc.otp.api.CreatedToken;
import se.lu.lunarc.otp.api.Enrollment;
import se.lu.lunarc.otp.api.LoginStarted;
import se.lu.lunarc.otp.api.Me;
import se.lu.lunarc.otp.api.Token;
import se.lu.lunarc.otp.api.TokenNameRule;
import se.lu.lunarc.otp.client.ApiException;
import se.lu.lunarc.otp.client.EnrollmentClient;
import se.lu.lunarc.otp.client.HumanCheckSolver;
import se.lu.lunarc.otp.app.ClientHolder;
import se.lu.lunarc.otp.app.ClientSettings;
import se.lu.lunarc.otp.app.ErrorMessages;
import se.lu.lunarc.otp.app.FollowUp;

import java.io.IOException;
import java.text.MessageFormat;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;

/**
 * The wizard's flow in a terminal: sign in, SMS code, account and token list with numbered actions, a new
 * token's QR code and key, activation. Same client, settings, demo and texts as the window.
 */
public final class TextWizard {
    private final Terminal term;
    private final ClientSettings settings;
    private final ResourceBundle rb;
    private final Locale locale;
    private final TerminalQr.Style qrStyle;
    private final ClientHolder holder;
    private EnrollmentClient client;
    private final EnrollmentSteps steps = new EnrollmentSteps();
    // what the steps pass on to each other
    private LoginStarted login;
    private Me me;
    private List<Token> tokens = List.of();
    private CreatedToken created;
    private Token activating;
    /** Lines printed since the QR code began, while it is on screen; -1 when none is. */
    private volatile int qrLines = -1;

    public TextWizard(Terminal term, ClientSettings settings, TerminalQr.Style qrStyle) {
        this.term = term;
        this.settings = settings;
        this.locale = Texts.supported(settings.locale());
        this.rb = ResourceBundle.getBundle(Texts.BUNDLE, locale);
        this.qrStyle = qrStyle;
        this.holder = new ClientHolder(settings);
    }

    private String t(String key, Object... args) {
        return args.length == 0 ? rb.getString(key).replace("_", "") : MessageFormat.format(rb.getString(key), args);
    }

    /** Runs until the user quits or the input ends; returns the exit status. */
    public int run() throws IOException {
        Thread clearOnInterrupt = new Thread(() -> {
            clearQr();
            logOutOnLeaving();
        });
        Runtime.getRuntime().addShutdownHook(clearOnInterrupt);
        try {
            term.println(t("app.title"));
            if (settings.demo()) {
                term.println("[" + t("demo.badge") + "] " + t("text.demo"));
            }
            try {
                client = holder.get();
            } catch (ApiException e) {
                error(e);
                return 1;
            }
            while (true) {
                switch (steps.step()) {
                    case SIGN_IN -> signIn();
                    case SMS_CODE -> smsCode();
                    case ACCOUNT -> {
                        if (!account()) {
                            return 0;
                        }
                    }
                    case NAME -> name();
                    case QR -> showQr();
                    case ACTIVATE -> activate();
                    case HARDWARE -> hardware();
                }
            }
        } catch (Quit e) {
            return 0;
        } catch (EndOfInput e) {
            term.println("");
            logOutOnLeaving();
            return 0;
        } finally {
            clearQr();
            holder.close();
            try {
                Runtime.getRuntime().removeShutdownHook(clearOnInterrupt);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
    }

    private static final class EndOfInput extends RuntimeException {
        EndOfInput() {
            super(null, null, false, false);
        }
    }

    private String ask(String prompt) throws IOException {
        String s = term.ask(prompt);
        if (s == null) {
            throw new EndOfInput();
        }
        return s;
    }

    private String askCode(String prompt) throws IOException {
        String s = term.askCode(prompt);
        if (s == null) {
            throw new EndOfInput();
        }
        return s;
    }

    private void error(ApiException e) {
        error(e, ErrorMessages.text(rb, e));
    }

    private void error(ApiException e, String message) {
        line("! " + message);
        if (Flow.showDetails(e)) {
            line("  " + t("text.details") + " " + e.diagnostics());
        }
    }

    /** A request of the current step failed: the flow decides whether the step is tried again; then says so. */
    private void failed(ApiException e) {
        failed(e, ErrorMessages.text(rb, e));
    }

    private void failed(ApiException e, String message) {
        EnrollmentSteps.Step from = steps.step();
        EnrollmentSteps.AfterFailure after = steps.failed(e);
        if (!after.stays(from)) {
            leftEnrollment(); // first: the message stays on screen when the key goes
        }
        error(e, message);
        if (after.startAgain()) {
            term.println(t("code.startAgain"));
        }
    }

    // ---- sign in ------------------------------------------------------------------------------------------

    private void signIn() throws IOException {
        me = null;
        term.println("");
        term.println("== " + t("signin.title") + " ==");
        if (settings.demo()) {
            term.println(t("demo.credentials") + " demo / lunarc-demo");
        }
        String user = ask(t("text.username"));
        if (user.isEmpty()) {
            return;
        }
        char[] password = term.askSecret(t("text.password"));
        if (password == null) {
            throw new EndOfInput();
        }
        try {
            while (true) {
                try {
                    term.println(t("text.humanCheck"));
                    var proof = HumanCheckSolver.solve(client.humanCheck());
                    login = client.login(user, password, proof);
                    break;
                } catch (ApiException e) {
                    failed(e);
                    // the window's Retry: the same name and password again, once what failed may be back
                    if (!ErrorMessages.retryable(e) || !ask(t("text.retry")).isEmpty()) {
                        return;
                    }
                }
            }
        } finally {
            Arrays.fill(password, '\0');
        }
        var sms = login.sms();
        term.println(t("code.sentTo", sms.maskedPhone()) + " " + t("text.validMinutes", (sms.expiresInSeconds() + 59) / 60));
        showDemoSms();
        steps.move(Move.DONE);
    }

    private void smsCode() throws IOException {
        String code = askCode(t("text.codePrompt"));
        if (code.equalsIgnoreCase("b")) {
            login = null;
            steps.move(Move.BACK);
            return;
        }
        try {
            if (code.equalsIgnoreCase("r")) {
                var sms = client.resend(login.loginId());
                term.println(t("code.resent", sms.maskedPhone()));
                showDemoSms();
                return;
            }
            client.submitCode(login.loginId(), code);
            login = null;
            steps.move(Move.DONE);
        } catch (ApiException e) {
            failed(e);
        }
    }

    private void showDemoSms() {
        try {
            holder.demoMessages().stream().findFirst()
                    .ifPresent(m -> term.println("  [" + t("demo.inbox") + "] " + m.text()));
        } catch (IOException e) {
            term.println("  [" + t("demo.inbox") + "] " + e.getClass().getSimpleName());
        }
    }

    // ---- account ------------------------------------------------------------------------------------------

    /** One look at the account and one choice; false when the user logged out to quit. */
    private boolean account() throws IOException {
        try {
            if (!readAccount()) {
                return true;
            }
            return chooseOnAccount();
        } catch (ApiException e) {
            failed(e);
        }
        return true;
    }

    /**
     * The account and its tokens, each read retried on its own (the step before has succeeded and is not asked
     * again). When they still fail the user chooses: Enter reads again, q logs out and quits; never a loop that
     * asks the server again without asking the user.
     */
    private boolean readAccount() throws IOException, ApiException {
        try {
            if (me == null) {
                me = FollowUp.read(client::me);
                term.println("");
                term.println("== " + t("account.general") + " ==");
                term.println("  " + t("general.displayName") + ": " + me.displayName());
                term.println("  " + t("general.username") + ": " + me.username());
                term.println("  " + t("general.email") + ": " + me.email());
                term.println("  " + t("general.phone") + ": " + me.maskedPhone());
                term.println("  " + t("general.affiliation") + ": " + me.affiliation());
            }
            tokens = FollowUp.read(client::tokens);
        } catch (ApiException e) {
            if (!ErrorMessages.retryable(e)) {
                throw e;
            }
            error(e);
            if (ask(t("text.retryOrQuit")).equalsIgnoreCase("q")) {
                try {
                    logOut();
                } catch (ApiException down) {
                    error(down); // the session ends by itself after its idle time
                }
                throw new Quit();
            }
            return false;
        }
        return true;
    }

    /** The token list and one choice; false when the user logged out to quit. */
    private boolean chooseOnAccount() throws IOException, ApiException {
        term.println("");
        term.println("== " + t("account.tokens") + " ==");
        if (tokens.isEmpty()) {
            term.println("  " + t("tokens.none"));
        }
        for (int i = 0; i < tokens.size(); i++) {
            Token tk = tokens.get(i);
            term.println("  " + (i + 1) + ". " + tk.name() + "  [" + t("status." + tk.status()) + "]");
        }
        term.println(t("text.tokenMenu", settings.appName()));
        String choice = ask("> ");
        if (choice.equalsIgnoreCase("n")) {
            steps.move(Move.NEW_TOKEN);
        } else if (choice.equalsIgnoreCase("h")) {
            steps.move(Move.REGISTER_HARDWARE);
        } else if (choice.equalsIgnoreCase("q")) {
            logOut();
            return false; // the terminal's way of closing the window
        } else if (choice.matches("\\d+") && Integer.parseInt(choice) >= 1
                && Integer.parseInt(choice) <= tokens.size()) {
            tokenActions(tokens.get(Integer.parseInt(choice) - 1));
        }
        return true;
    }

    /** Ends the session on the server, then says so; the flow's LOG_OUT move. */
    private void logOut() throws ApiException {
        client.logout();
        steps.move(Move.LOG_OUT);
        term.println(t("signin.loggedOut"));
    }

    /** The user chose to quit where the token list could not be read. */
    private static final class Quit extends RuntimeException {
        Quit() {
            super(null, null, false, false);
        }
    }

    /**
     * The terminal closed (Ctrl-D) or the program is stopped (Ctrl-C) while signed in: the session ends on the
     * server too, as q would have ended it, within a few seconds at most.
     */
    private void logOutOnLeaving() {
        if (!steps.signedIn() || client == null) {
            return;
        }
        Thread logout = new Thread(() -> {
            try {
                client.logout();
            } catch (ApiException e) {
                // the session ends by itself after its idle time
            }
        }, "logout");
        logout.setDaemon(true);
        logout.start();
        try {
            logout.join(3000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        steps.reset();
    }

    private void tokenActions(Token tk) throws IOException, ApiException {
        DateTimeFormatter fmt = Texts.dateTimeFormat(locale);
        term.println("");
        term.println(tk.name() + "  [" + t("status." + tk.status()) + "]");
        term.println("  " + t("token.start") + ": " + Flow.date(tk.created(), fmt, rb));
        term.println("  " + t("token.expires") + ": " + Flow.date(tk.expires(), fmt, rb));
        term.println("  " + t("token.activated") + ": " + Flow.date(tk.activated(), fmt, rb));
        term.println("  " + t("token.lastLogin") + ": " + Flow.date(tk.lastUsed(), fmt, rb));
        if (tk.replayedAt() != null) {
            term.println("  ! " + t("token.replayed", fmt.format(tk.replayedAt())));
        }
        String menu = switch (tk.status()) {
            case "active" -> t("text.actionsActive");
            case "disabled" -> t("text.actionsDisabled");
            case "pending" -> t("text.actionsPending");
            case "expired" -> t("text.actionsExpired");
            default -> null;
        };
        if (menu == null) {
            return;
        }
        term.println(menu);
        String a = ask("> ").toLowerCase(Locale.ROOT);
        // only what this status allows: the same list the window's card offers
        if (Flow.actions(tk.status()).stream().noneMatch(x -> x.letter.equals(a))) {
            return;
        }
        switch (a) {
            case "d" -> done("tokens.disabled", client.disable(tk.id()).name());
            case "a" -> done("tokens.enabled", client.enable(tk.id()).name());
            case "e" -> done("tokens.renamed", client.rename(tk.id(), ask(t("dialog.rename.field") + ": ")).name());
            case "s" -> {
                term.println(t("dialog.resync.text", tk.name()));
                String c1 = askCode(t("dialog.resync.code1") + ": ");
                String c2 = askCode(t("dialog.resync.code2") + ": ");
                done("tokens.resynced", client.resync(tk.id(), c1, c2).name());
            }
            case "x" -> {
                term.println(t("dialog.revoke.header", tk.name()) + " " + t("dialog.revoke.text"));
                if (ask(t("text.confirm")).equalsIgnoreCase(t("text.yes"))) {
                    client.revoke(tk.id());
                    done("tokens.revoked", tk.name());
                }
            }
            case "f" -> {
                activating = tk;
                steps.move(Move.FINISH_PENDING);
            }
            default -> { }
        }
    }

    private void done(String key, String name) {
        term.println("* " + t(key, name));
    }

    // ---- a new token ----------------------------------------------------------------------------------------

    private void name() throws IOException {
        term.println("");
        term.println("== " + t("name.title") + " ==");
        String name;
        while (true) {
            name = ask(t("text.namePrompt"));
            if (name.isEmpty()) {
                steps.move(Move.BACK); // the way out, at the token cap too
                return;
            }
            TokenNameRule broken = TokenNameRule.broken(name, TokenNameRule.namesInUse(tokens));
            if (broken == null) {
                break;
            }
            term.println("! " + t(broken.messageKey()));
        }
        try {
            created = client.createToken(name);
            activating = created.token();
            steps.move(Move.DONE);
        } catch (ApiException e) {
            failed(e);
        }
    }

    // ---- a hardware token ------------------------------------------------------------------------------------

    /** The serial number printed on the token, the code it shows now, and a name (its default named). */
    private void hardware() throws IOException {
        term.println("");
        term.println("== " + t("hardware.title") + " ==");
        term.println(t("hardware.text"));
        String serial = ask(t("text.hardwareSerial")).strip();
        if (serial.isEmpty()) {
            steps.move(Move.BACK);
            return;
        }
        String code = askCode(t("text.hardwareCode")).strip();
        String suggested = Flow.hardwareTokenName(rb, serial);
        String name;
        while (true) {
            String typed = ask(t("text.hardwareName", suggested));
            name = typed.isBlank() ? suggested : typed;
            TokenNameRule broken = TokenNameRule.broken(name, TokenNameRule.namesInUse(tokens));
            if (broken == null) {
                break;
            }
            term.println("! " + t(broken.messageKey()));
        }
        try {
            Token registered = client.registerHardwareToken(serial, code, name.strip());
            steps.move(Move.DONE);
            term.println("* " + t("hardware.success", registered.name()));
        } catch (ApiException e) {
            // the same step again: the serial number and a new code are asked afresh
            failed(e, ErrorMessages.forHardwareToken(rb, e));
        }
    }

    private void showQr() {
        Enrollment e = created.enrollment();
        term.println("");
        qrLines = 0;
        line("== " + t("qr.title") + " ==");
        BitMatrix m = TerminalQr.matrix(e.otpauthUri());
        if (TerminalQr.width(m, qrStyle) > term.columns()) {
            line(t("text.tooNarrow", TerminalQr.width(m, qrStyle), term.columns()));
        } else {
            for (String l : TerminalQr.render(m, qrStyle)) {
                line(l);
            }
        }
        for (String step : t("qr.steps", settings.appName()).split("\n")) {
            line(step);
        }
        line(t("text.key") + " " + e.secret().replaceAll("(.{4})(?!$)", "$1 "));
        line(t("qr.settings", e.algorithm().replace("SHA1", "SHA-1"), e.digits(), e.period(), e.issuer(), e.account()));
        steps.move(Move.DONE);
    }

    private void line(String s) {
        term.println(s);
        if (qrLines >= 0) {
            qrLines++;
        }
    }

    /** Erases the lines from the QR code on (cursor up, clear to the end of the screen). */
    private void clearQr() {
        int n = qrLines;
        if (n >= 0) {
            qrLines = -1;
            term.print("\u001b[" + (n + 1) + "F\u001b[J");
            term.println(t("text.cleared"));
        }
    }

    private void activate() throws IOException {
        if (qrLines < 0) {
            term.println("");
            term.println("== " + activating.name() + " ==");
        }
        term.println(t("activate.text"));
        while (steps.step() == EnrollmentSteps.Step.ACTIVATE) {
            String code = askCode(t("text.activatePrompt"));
            if (qrLines >= 0) {
                qrLines++; // the prompt's line
            }
            if (code.equalsIgnoreCase("c")) {
                String name = activating.name();
                steps.move(Move.CANCEL);
                leftEnrollment();
                term.println(t("qr.closedPending", name));
                return;
            }
            try {
                Token active = client.activate(activating.id(), code);
                steps.move(Move.DONE);
                leftEnrollment();
                term.println("* " + t("activate.success", settings.appName(), active.name()));
            } catch (ApiException ex) {
                failed(ex);
            }
        }
    }

    /** The enrollment is over however it ended: its key leaves the screen and memory. */
    private void leftEnrollment() {
        EnrollmentSteps.Step now = steps.step();
        if (now != EnrollmentSteps.Step.QR && now != EnrollmentSteps.Step.ACTIVATE) {
            clearQr();
            created = null;
            activating = null;
        }
    }
}
