package se.lu.lunarc.otp.ui;

import se.lu.lunarc.otp.api.Token;
import se.lu.lunarc.otp.app.EnrollmentSession;
import se.lu.lunarc.otp.app.EnrollmentSteps;
import se.lu.lunarc.otp.app.EnrollmentSteps.Move;
import se.lu.lunarc.otp.app.EnrollmentSteps.Step;
import se.lu.lunarc.otp.app.ErrorMessages;

import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import javafx.scene.layout.BorderPane;
import se.lu.lunarc.otp.client.ApiException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Consumer;

/**
 * Shows one screen at a time in the window's frame, each loaded from its FXML with the controller factory. Which
 * screen comes next, and which requests a step sends, is not decided here but by the {@link EnrollmentSession},
 * which the terminal presents too: this sends its requests on the network thread and shows the step they lead to.
 */
public final class Navigator {
    private final BorderPane frame;
    private final WizardState state;
    private final EnrollmentSession session;
    private Step page;
    private ScreenController controller;
    private Consumer<Step> listener = p -> { };

    public Navigator(BorderPane frame, WizardState state) {
        this.frame = frame;
        this.state = state;
        this.session = state.session;
    }

    public Step page() {
        return page;
    }

    public boolean signedIn() {
        return session.signedIn();
    }

    public void onPageChange(Consumer<Step> l) {
        this.listener = l;
    }

    private static String fxml(Step step) {
        return switch (step) {
            case SIGN_IN -> "signin/SignIn.fxml";
            case SMS_CODE -> "code/Code.fxml";
            case ACCOUNT -> "account/Account.fxml";
            case NAME -> "enroll/Name.fxml";
            case QR -> "enroll/Qr.fxml";
            case ACTIVATE -> "enroll/Activate.fxml";
            case HARDWARE -> "enroll/Hardware.fxml";
        };
    }

    /** The user did {@code move} on the current screen: shows the screen the flow says comes next. */
    public void move(Move move) {
        if (page != session.step()) {
            return; // the flow has already left this screen (a failure is taking it elsewhere): a stale move
        }
        go(session.move(move));
    }

    /** From the token list: finish the activation of a pending token. */
    public void finishPending(Token pending) {
        if (page == session.step()) {
            go(session.finishPending(pending));
        }
    }

    /**
     * Sends a request of the current screen on the network thread unless one is running; its answer is taken by
     * the session, handed to {@code answered} while the screen is still shown (to leave a message for the next),
     * and then the step it leads to is shown. Returns whether it was sent.
     */
    public <R> boolean send(EnrollmentSession.Request<R> request, Consumer<R> answered,
                            Consumer<ApiException> failed) {
        return send(request, answered, failed, abandoned -> { });
    }

    /** Like {@link #send}; an answer that arrives after its screen was left goes to {@code abandoned}. */
    public <R> boolean send(EnrollmentSession.Request<R> request, Consumer<R> answered,
                            Consumer<ApiException> failed, Consumer<R> abandoned) {
        return state.tasks.run(request::send, answer -> {
            request.take(answer);
            answered.accept(answer);
            if (session.step() != page) {
                go(session.step());
            }
        }, failed, abandoned);
    }

    /** The first screen: the session's, which is the sign-in. */
    public void start() {
        go(session.step());
    }

    private void go(Step next) {
        if (controller != null) {
            controller.onHide();
        }
        // what the old screen asked for is no longer wanted on the new one
        state.tasks.leaveScreen();
        FXMLLoader loader = new FXMLLoader(Navigator.class.getResource(fxml(next)), state.bundle());
        loader.setControllerFactory(type -> {
            try {
                return type.getConstructor(WizardState.class, Navigator.class).newInstance(state, this);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("controller " + type.getName(), e);
            }
        });
        Parent root;
        try {
            root = loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        page = next;
        controller = loader.getController();
        frame.setCenter(root);
        // skins now: a ScrollPane attaches its content only with its skin, and the focus below needs it attached
        root.applyCss();
        // focus moves to the new screen at once (its onShow picks the control): left to itself, the scene would
        // later hand the removed node's focus to a neighbour such as the header's Log out
        root.requestFocus();
        controller.onShow();
        listener.accept(next);
    }

    /** Reloads the current screen, e.g. after the language changed. */
    public void reload() {
        go(page);
    }

    /**
     * A request of the current screen failed: when the flow says that no other try can succeed here, shows the
     * step where the user can go on, with the failure's message, and returns true. False: the screen shows the
     * failure itself and lets the user try again.
     */
    public boolean leftAfter(ApiException e) {
        EnrollmentSteps.AfterFailure after = session.failed(e);
        if (after.stays(page)) {
            return false;
        }
        String message = ErrorMessages.text(state.bundle(), e)
                + (after.startAgain() ? " " + state.bundle().getString("code.startAgain") : "");
        state.flash(WizardState.Flash.Kind.ERROR, message);
        if (after.next() == Step.SIGN_IN) {
            go(Step.SIGN_IN);
        } else {
            withFreshTokens(() -> go(after.next()), f -> go(after.next()));
        }
        return true;
    }

    /**
     * Like {@link #move}, once the token list is fetched again: it shows what became of a token the user left
     * behind (pending, or ended by a failure).
     */
    public void moveWithFreshTokens(Move move) {
        withFreshTokens(() -> move(move), f -> {
            if (!leftAfter(f)) {
                move(move);
            }
        });
    }

    private void withFreshTokens(Runnable then, Consumer<ApiException> failed) {
        EnrollmentSession.Request<List<Token>> refresh = session.refreshTokens();
        state.tasks.run(refresh::send, tokens -> {
            refresh.take(tokens);
            then.run();
        }, failed);
    }

    /** Stops using the current screen: the window is closing. */
    public void close() {
        if (controller != null) {
            controller.onHide();
        }
    }
}
