package se.lu.lunarc.otp.text;

import se.lu.lunarc.otp.app.EnrollmentSession;
import se.lu.lunarc.otp.app.EnrollmentSteps;
import se.lu.lunarc.otp.app.ErrorMessages;
import se.lu.lunarc.otp.app.Flow;
import se.lu.lunarc.otp.client.ApiException;

import java.io.IOException;
import java.text.MessageFormat;
import java.util.ResourceBundle;

/**
 * What every part of text mode says and asks through: the user's texts, prompts that end the program on Ctrl-D,
 * failures as the session decides them, and the count of lines a QR code left on screen so they can be erased.
 */
final class Dialogue {
    final Terminal term;
    final ResourceBundle rb;
    final EnrollmentSession session;
    /** Lines printed since the QR code began, while it is on screen; -1 when none is. */
    private volatile int qrLines = -1;

    /** The input ended (Ctrl-D): the program leaves, ending the session. */
    static final class EndOfInput extends RuntimeException {
        EndOfInput() {
            super(null, null, false, false);
        }
    }

    Dialogue(Terminal term, ResourceBundle rb, EnrollmentSession session) {
        this.term = term;
        this.rb = rb;
        this.session = session;
    }

    /** The text of {@code key} in the user's language, without the window's mnemonic marks. */
    String t(String key, Object... args) {
        return args.length == 0 ? rb.getString(key).replace("_", "") : MessageFormat.format(rb.getString(key), args);
    }

    void say(String line) {
        term.println(line);
        if (qrLines >= 0) {
            qrLines++;
        }
    }

    /** A screen's heading, after an empty line. */
    void heading(String title) {
        say("");
        say("== " + title + " ==");
    }

    String ask(String prompt) throws IOException {
        return counted(term.ask(prompt));
    }

    String askCode(String prompt) throws IOException {
        return counted(term.askCode(prompt));
    }

    char[] askSecret(String prompt) throws IOException {
        char[] secret = term.askSecret(prompt);
        if (secret == null) {
            throw new EndOfInput();
        }
        return secret;
    }

    private String counted(String answer) {
        if (answer == null) {
            throw new EndOfInput();
        }
        if (qrLines >= 0) {
            qrLines++; // the prompt's line
        }
        return answer;
    }

    void error(ApiException e) {
        error(e, ErrorMessages.text(rb, e));
    }

    void error(ApiException e, String message) {
        say("! " + message);
        if (Flow.showDetails(e)) {
            say("  " + t("text.details") + " " + e.diagnostics());
        }
    }

    /** A request of the current step failed: the session decides whether the step is tried again; then says so. */
    void failed(ApiException e) {
        failed(e, ErrorMessages.text(rb, e));
    }

    void failed(ApiException e, String message) {
        EnrollmentSteps.AfterFailure after = session.failed(e); // first: the message stays when the key goes
        error(e, message);
        if (after.startAgain()) {
            say(t("code.startAgain"));
        }
    }

    /** From here the lines belong to a QR code and its key, until {@link #clearQr}. */
    void qrBegins() {
        say("");
        qrLines = 0;
    }

    boolean qrShown() {
        return qrLines >= 0;
    }

    /** Erases the lines from the QR code on (cursor up, clear to the end of the screen). */
    void clearQr() {
        int n = qrLines;
        if (n >= 0) {
            qrLines = -1;
            term.print("\u001b[" + n + "F\u001b[J");
            term.println(t("text.cleared"));
        }
    }
}
