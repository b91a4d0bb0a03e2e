package se.lu.lunarc.otp.text;

import se.lu.lunarc.otp.api.Me;
import se.lu.lunarc.otp.api.SessionInfo;
import se.lu.lunarc.otp.api.Token;
import se.lu.lunarc.otp.app.EnrollmentSession;
import se.lu.lunarc.otp.app.EnrollmentSteps.Move;
import se.lu.lunarc.otp.app.ErrorMessages;
import se.lu.lunarc.otp.app.Flow;
import se.lu.lunarc.otp.app.Texts;
import se.lu.lunarc.otp.client.ApiException;

import java.io.IOException;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The account in a terminal, as the window's General and Tokens tabs: who is signed in, the numbered token list
 * with each token's dates and the actions its status allows, and the way to a new or a hardware token.
 */
final class TextAccount {
    private final Dialogue d;
    private final EnrollmentSession session;
    private final DateTimeFormatter dates;
    private final String appName;
    /** Whether the account's details were shown since the sign-in: once is enough. */
    private boolean detailsShown;

    /** The user chose to quit: logged out, or the list could not be read and q was typed. */
    static final class Quit extends RuntimeException {
        Quit() {
            super(null, null, false, false);
        }
    }

    TextAccount(Dialogue d, Locale locale, String appName) {
        this.d = d;
        this.session = d.session;
        this.dates = Texts.dateTimeFormat(locale);
        this.appName = appName;
    }

    /** A new sign-in: the details are shown again. */
    void signedIn() {
        detailsShown = false;
    }

    /** One look at the account and one choice; throws {@link Quit} when the user logged out to quit. */
    void visit() throws IOException {
        try {
            if (read()) {
                choose();
            }
        } catch (ApiException e) {
            d.failed(e);
        }
    }

    /**
     * The account and its tokens, read again at each visit, each read retried on its own. When they still fail
     * the user chooses: Enter reads again, q logs out and quits; never a loop that asks the server again without
     * asking the user.
     */
    private boolean read() throws IOException, ApiException {
        try {
            session.readAccount().complete();
        } catch (ApiException e) {
            if (!ErrorMessages.retryable(e)) {
                throw e;
            }
            d.error(e);
            if (d.ask(d.t("text.retryOrQuit")).equalsIgnoreCase("q")) {
                try {
                    logOut();
                } catch (ApiException down) {
                    d.error(down); // the session ends by itself after its idle time
                }
                throw new Quit();
            }
            return false;
        }
        if (!detailsShown) {
            detailsShown = true;
            Me me = session.me();
            d.heading(d.t("account.general"));
            d.say("  " + d.t("general.displayName") + ": " + me.displayName());
            d.say("  " + d.t("general.username") + ": " + me.username());
            d.say("  " + d.t("general.email") + ": " + me.email());
            d.say("  " + d.t("general.phone") + ": " + me.maskedPhone());
            d.say("  " + d.t("general.affiliation") + ": " + me.affiliation());
        }
        return true;
    }

    /** The user's signed-in sessions, this one marked, and the choice to end the others. */
    private void sessions() throws IOException, ApiException {
        List<SessionInfo> sessions = session.sessions().complete();
        d.heading(d.t("sessions.title"));
        for (SessionInfo s : sessions) {
            d.say("  " + (s.current() ? "* " : "  ") + d.t(s.current() ? "sessions.this" : "sessions.other",
                    s.address() == null ? d.t("sessions.unknownPlace") : s.address(), dates.format(s.created()),
                    dates.format(s.lastUsed())));
        }
        if (sessions.stream().allMatch(SessionInfo::current)) {
            return;
        }
        d.say(d.t("text.sessionsMenu"));
        if (d.ask("> ").equalsIgnoreCase("e")) {
            var done = session.endOtherSessions().complete();
            d.say(d.t("sessions.ended", done.ended()));
        }
    }

    /** The token list and one choice. */
    private void choose() throws IOException, ApiException {
        List<Token> tokens = session.tokens();
        d.heading(d.t("account.tokens"));
        if (tokens.isEmpty()) {
            d.say("  " + d.t("tokens.none"));
        }
        for (int i = 0; i < tokens.size(); i++) {
            Token tk = tokens.get(i);
            d.say("  " + (i + 1) + ". " + tk.name() + "  [" + d.t("status." + tk.status()) + "]");
        }
        d.say(d.t("text.tokenMenu", appName));
        String choice = d.ask("> ");
        if (choice.equalsIgnoreCase("n")) {
            session.move(Move.NEW_TOKEN);
        } else if (choice.equalsIgnoreCase("h")) {
            session.move(Move.REGISTER_HARDWARE);
        } else if (choice.equalsIgnoreCase("s")) {
            sessions();
        } else if (choice.equalsIgnoreCase("q")) {
            logOut();
            throw new Quit(); // the terminal's way of closing the window
        } else if (choice.matches("\\d+") && Integer.parseInt(choice) >= 1
                && Integer.parseInt(choice) <= tokens.size()) {
            token(tokens.get(Integer.parseInt(choice) - 1));
        }
    }

    /** Ends the session on the server, then says so. */
    private void logOut() throws ApiException {
        session.logOut().complete();
        d.say(d.t("signin.loggedOut"));
    }

    /** A token's dates and the actions its status allows, as the window's card shows them. */
    private void token(Token tk) throws IOException, ApiException {
        d.say("");
        d.say(tk.name() + "  [" + d.t("status." + tk.status()) + "]");
        d.say("  " + d.t("token.start") + ": " + Flow.date(tk.created(), dates, d.rb));
        d.say("  " + d.t("token.expires") + ": " + Flow.date(tk.expires(), dates, d.rb));
        d.say("  " + d.t("token.activated") + ": " + Flow.date(tk.activated(), dates, d.rb));
        d.say("  " + d.t("token.lastLogin") + ": " + Flow.date(tk.lastUsed(), dates, d.rb));
        if (tk.replayedAt() != null) {
            d.say("  ! " + d.t("token.replayed", dates.format(tk.replayedAt())));
        }
        String menu = Flow.textMenu(tk.status(), d.rb);
        if (menu == null) {
            return; // revoked: nothing left to do
        }
        d.say(menu);
        Flow.TokenAction action = Flow.byLetter(tk.status(), d.ask("> ").strip());
        if (action == null) {
            return; // Enter, or a letter this status does not offer
        }
        String[] input = switch (action) {
            case FINISH -> {
                session.finishPending(tk);
                yield null;
            }
            case RENAME -> new String[] {d.ask(d.t("dialog.rename.field") + ": ")};
            case SYNCHRONIZE -> {
                d.say(d.t("dialog.resync.text", tk.name()));
                yield new String[] {d.askCode(d.t("dialog.resync.code1") + ": "),
                        d.askCode(d.t("dialog.resync.code2") + ": ")};
            }
            case REVOKE, REMOVE -> {
                d.say(d.t("dialog.revoke.header", tk.name()) + " " + d.t("dialog.revoke.text"));
                yield d.ask(d.t("text.confirm")).equalsIgnoreCase(d.t("text.yes")) ? new String[0] : null;
            }
            default -> new String[0];
        };
        if (input != null) {
            d.say("* " + d.t(action.doneKey, session.act(action, tk, input).complete().name()));
        }
    }
}
