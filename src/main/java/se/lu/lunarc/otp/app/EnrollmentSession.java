package se.lu.lunarc.otp.app;

import se.lu.lunarc.otp.api.CreatedToken;
import se.lu.lunarc.otp.api.HumanProof;
import se.lu.lunarc.otp.api.LoginStarted;
import se.lu.lunarc.otp.api.Me;
import se.lu.lunarc.otp.api.SessionInfo;
import se.lu.lunarc.otp.api.SmsInfo;
import se.lu.lunarc.otp.api.Token;
import se.lu.lunarc.otp.app.EnrollmentSteps.AfterFailure;
import se.lu.lunarc.otp.app.EnrollmentSteps.Move;
import se.lu.lunarc.otp.app.EnrollmentSteps.Step;
import se.lu.lunarc.otp.client.ApiException;
import se.lu.lunarc.otp.client.EnrollmentClient;
import se.lu.lunarc.otp.client.HumanCheckSolver;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * One user's enrollment as the window and the terminal both run it, with no UI in it: which step comes next
 * ({@link EnrollmentSteps}), what each step asks of the server and which reads follow it, what the steps pass on
 * to each other, and how long the new token's key stays in memory. A client asks for a {@link Request}, sends
 * it where it does its network work, hands the answer back with {@link Request#take}, and shows {@link #step()}.
 *
 * <p>Not thread-safe: the session's state is read and changed on one thread (the FX thread, or the terminal's);
 * only {@link Request#send} runs elsewhere, and it reads nothing of the session but what it captured.
 */
public final class EnrollmentSession {
    private final ClientHolder client;
    private final Runnable onOwnerThread;
    private final EnrollmentSteps steps = new EnrollmentSteps();
    private Consumer<String> keyForgotten = secret -> { };

    private LoginStarted login;
    private Me me;
    /** The list as last read; null while it could not be read. */
    private List<Token> tokens = List.of();
    /** The new token and its key: held while the QR code or its activation is on screen, never longer. */
    private CreatedToken newToken;
    /** The pending token the activation finishes (the new one, or one the list offered). */
    private Token activating;

    /**
     * @param onOwnerThread throws when called elsewhere than on the session's thread (the window passes its FX
     *                      thread's check; the terminal, which has one thread, passes nothing that throws)
     */
    public EnrollmentSession(ClientHolder client, Runnable onOwnerThread) {
        this.client = client;
        this.onOwnerThread = onOwnerThread;
    }

    /** Called with the key when it leaves memory, so that what else showed it (clipboard, terminal) forgets it too. */
    public void onKeyForgotten(Consumer<String> whatElse) {
        this.keyForgotten = whatElse;
    }

    public Step step() {
        return steps.step();
    }

    public boolean signedIn() {
        return steps.signedIn();
    }

    public LoginStarted login() {
        return login;
    }

    public Me me() {
        return me;
    }

    /** The token list as last read; null while it could not be read (then {@link #readAccount} reads it). */
    public List<Token> tokens() {
        return tokens;
    }

    public CreatedToken newToken() {
        return newToken;
    }

    public Token activating() {
        return activating;
    }

    /**
     * One step's requests: {@link #send} on any thread (the network), then {@link #take} on the session's with
     * the answer. A failure of {@code send} goes to {@link #failed}.
     */
    public static final class Request<R> {
        private final Send<R> send;
        private final Consumer<R> take;

        private Request(Send<R> send, Consumer<R> take) {
            this.send = send;
            this.take = take;
        }

        public R send() throws ApiException {
            return send.send();
        }

        /** The answer arrived and its screen still waits for it: the session records it and moves on. */
        public void take(R answer) {
            take.accept(answer);
        }

        /** Sends and takes on this thread: the terminal's way. */
        public R complete() throws ApiException {
            R answer = send();
            take(answer);
            return answer;
        }
    }

    private interface Send<R> {
        R send() throws ApiException;
    }

    private <R> Request<R> request(Send<R> send, Consumer<R> take) {
        return new Request<>(send, answer -> {
            onOwnerThread.run();
            take.accept(answer);
        });
    }

    // ---- the steps' requests ------------------------------------------------------------------------------

    /** A solved "I am a human" check for the next sign-in; it moves nothing. */
    public Request<HumanProof> humanCheck() {
        return request(() -> HumanCheckSolver.solve(client.get().humanCheck()), proof -> { });
    }

    /**
     * Sign-in: name, password and a proof; the SMS code is next. The request wipes {@code password} once sent
     * (pass a copy to keep one for another try); a request never sent leaves the wiping to its caller.
     */
    public Request<LoginStarted> signIn(String username, char[] password, HumanProof proof) {
        return request(() -> {
            try {
                return client.get().login(username, password, proof);
            } finally {
                Arrays.fill(password, '\0');
            }
        }, started -> {
            login = started;
            move(Move.DONE);
        });
    }

    /** Another SMS with a new code, for the sign-in on hand. */
    public Request<SmsInfo> resend() {
        String loginId = login.loginId();
        return request(() -> client.get().resend(loginId), sms -> login = new LoginStarted(loginId, sms));
    }

    /** What the code's step finds out: the account and its tokens, each null where they could not be read. */
    public record SignedIn(Me me, List<Token> tokens) {}

    /**
     * The SMS code; once it is accepted the account and its tokens follow, each read retried on its own and
     * left null when it still fails, for {@link #readAccount} to read (the code is spent: never asked again).
     */
    public Request<SignedIn> submitCode(String code) {
        String loginId = login.loginId();
        return request(() -> {
            EnrollmentClient c = client.get();
            c.submitCode(loginId, code);
            return new SignedIn(readOrNull(c::me), readOrNull(c::tokens));
        }, signedIn -> {
            login = null;
            me = signedIn.me();
            tokens = copy(signedIn.tokens());
            move(Move.DONE);
        });
    }

    /** The account (when not read yet) and the token list, each retried on its own ({@link FollowUp}). */
    public Request<SignedIn> readAccount() {
        Me known = me;
        return request(() -> {
            EnrollmentClient c = client.get();
            return new SignedIn(known != null ? known : FollowUp.read(c::me), FollowUp.read(c::tokens));
        }, read -> {
            me = read.me();
            tokens = copy(read.tokens());
        });
    }

    /** A new token by the name chosen; its QR code is next. */
    public Request<CreatedToken> createToken(String name) {
        return request(() -> client.get().createToken(name), created -> {
            newToken = created;
            activating = created.token();
            move(Move.DONE);
        });
    }

    /** Removes a token created for a screen the user had left before the answer came: nobody will activate it. */
    public Request<Void> discard(CreatedToken created) {
        String id = created.token().id();
        return request(() -> {
            client.get().revoke(id);
            return null;
        }, nothing -> { });
    }

    /** What an activation finds out: the token, now active, and the list (null when it could not be read). */
    public record Activated(Token token, List<Token> tokens) {}

    /** The first code from the app; once it is accepted the list follows, and the key is forgotten. */
    public Request<Activated> activate(String code) {
        String id = activating.id();
        return request(() -> {
            EnrollmentClient c = client.get();
            Token active = c.activate(id, code);
            return new Activated(active, readOrNull(c::tokens));
        }, activated -> {
            tokens = copy(activated.tokens());
            move(Move.DONE);
        });
    }

    /** A hardware token by its serial number, its current code and a name; the list follows. */
    public Request<Activated> registerHardware(String serial, String code, String name) {
        return request(() -> {
            EnrollmentClient c = client.get();
            Token registered = c.registerHardwareToken(serial, code, name);
            return new Activated(registered, readOrNull(c::tokens));
        }, registered -> {
            tokens = copy(registered.tokens());
            move(Move.DONE);
        });
    }

    /** What a token action did: the token's name after it, and the list as it is now. */
    public record Acted(String name, List<Token> tokens) {}

    /**
     * One of the actions {@link Flow#actions} offers for the token's status, then the list. {@code input} is what
     * the action asks for: the new name to rename, the two consecutive codes to synchronize.
     */
    public Request<Acted> act(Flow.TokenAction action, Token token, String... input) {
        if (!Flow.actions(token.status()).contains(action) || action == Flow.TokenAction.FINISH) {
            throw new IllegalArgumentException(action + " is not a request for a " + token.status() + " token");
        }
        String id = token.id();
        return request(() -> {
            EnrollmentClient c = client.get();
            String name = switch (action) {
                case DEACTIVATE -> c.disable(id).name();
                case REACTIVATE -> c.enable(id).name();
                case RENAME -> c.rename(id, input[0]).name();
                case SYNCHRONIZE -> c.resync(id, input[0], input[1]).name();
                case REVOKE, REMOVE -> {
                    c.revoke(id);
                    yield token.name();
                }
                case FINISH -> throw new IllegalStateException("not a request");
            };
            return new Acted(name, c.tokens());
        }, acted -> tokens = copy(acted.tokens()));
    }

    /** The token list read again, e.g. to show what became of a token the user left behind. */
    public Request<List<Token>> refreshTokens() {
        return request(() -> client.get().tokens(), read -> tokens = copy(read));
    }

    /** The user's signed-in sessions: this one first, then the others oldest first (ASVS 3.3.3). */
    public Request<List<SessionInfo>> sessions() {
        return request(() -> SignedInSessions.read(client.get()), read -> { });
    }

    /** Ends every session of the user but this one, then reads the list again. */
    public Request<SignedInSessions.EndedOthers> endOtherSessions() {
        return request(() -> SignedInSessions.endOthers(client.get()), done -> { });
    }

    /** Ends the session on the server; the sign-in is next, with nothing of the user kept. */
    public Request<Void> logOut() {
        return request(() -> {
            client.get().logout();
            return null;
        }, nothing -> loggedOut());
    }

    // ---- what the user did -------------------------------------------------------------------------------

    /** The user did {@code move} on the current step; returns the step it leads to. */
    public Step move(Move move) {
        onOwnerThread.run();
        Step next = steps.move(move);
        if (next == Step.SIGN_IN) {
            forgetUser();
        }
        forgetKeyUnlessShown();
        return next;
    }

    /** From the token list: finish a pending token whose key was shown before. */
    public Step finishPending(Token pending) {
        onOwnerThread.run();
        Step next = steps.move(Move.FINISH_PENDING);
        activating = pending;
        return next;
    }

    /**
     * A request of the current step failed: the step the flow goes on from (the same one when another try can
     * succeed), with what the user is to be told besides the failure's message.
     */
    public AfterFailure failed(ApiException e) {
        onOwnerThread.run();
        AfterFailure after = steps.failed(e);
        if (after.next() == Step.SIGN_IN) {
            forgetUser();
        }
        forgetKeyUnlessShown();
        return after;
    }

    /** The session is over whatever the step (logged out, or it ended on the server): back to the sign-in. */
    public void loggedOut() {
        onOwnerThread.run();
        if (steps.signedIn()) {
            steps.move(Move.LOG_OUT);
        } else {
            steps.reset();
        }
        forgetUser();
    }

    /**
     * The program is leaving (window closed, terminal closed, Ctrl-C): ends the session on the server as Log out
     * would, waiting at most {@code atMost}, and forgets everything. Any thread; best effort, since the session
     * ends by itself after its idle time anyway.
     */
    public void endOnLeaving(Duration atMost) {
        EnrollmentClient c = client.ifReady(); // never starts the demo backend just to log out
        if (c != null && c.hasSession()) {
            Thread logout = new Thread(() -> {
                try {
                    c.logout();
                } catch (ApiException unreachable) {
                    // it ends by itself when idle
                }
            }, "lunarc-otp-logout");
            logout.setDaemon(true);
            logout.start();
            try {
                logout.join(atMost.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        steps.reset();
        forgetUser();
    }

    private void forgetUser() {
        login = null;
        me = null;
        tokens = List.of();
        forgetKey();
    }

    /** The key is shown on the QR code and the activation after it only; anywhere else it is gone. */
    private void forgetKeyUnlessShown() {
        Step now = steps.step();
        if (now == Step.QR || now == Step.ACTIVATE) {
            return;
        }
        forgetKey();
    }

    private void forgetKey() {
        CreatedToken gone = newToken;
        newToken = null;
        activating = null;
        if (gone != null) {
            keyForgotten.accept(gone.enrollment().secret());
        }
    }

    private static <T> T readOrNull(FollowUp.Read<T> read) {
        try {
            return FollowUp.read(read);
        } catch (ApiException unread) {
            return null;
        }
    }

    private static List<Token> copy(List<Token> list) {
        return list == null ? null : List.copyOf(list);
    }
}
