package se.lu.lunarc.otp.ui;

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
import java.util.function.Consumer;

/**
 * Shows one screen at a time in the window's frame, each loaded from its FXML with the controller factory. Which
 * screen comes next is not decided here but by the flow's {@link EnrollmentSteps}, which the terminal drives too.
 */
public final class Navigator {
    private final BorderPane frame;
    private final WizardState state;
    private final EnrollmentSteps steps = new EnrollmentSteps();
    private Step page;
    private ScreenController controller;
    private Consumer<Step> listener = p -> { };

    public Navigator(BorderPane frame, WizardState state) {
        this.frame = frame;
        this.state = state;
    }

    public Step page() {
        return page;
    }

    public boolean signedIn() {
        return steps.signedIn();
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
        if (page != steps.step()) {
            return; // the flow has already left this screen (a failure is taking it elsewhere): a stale move
        }
        go(steps.move(move));
    }

    /** The first screen, or back to it when the session is over whatever the screen. */
    public void start() {
        steps.reset();
        go(Step.SIGN_IN);
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
        if (next == Step.ACCOUNT || next == Step.SIGN_IN) {
            state.endEnrollment(); // the key is shown on QR and Activate only; elsewhere it is gone
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
        EnrollmentSteps.AfterFailure after = steps.failed(e);
        if (after.stays(page)) {
            return false;
        }
        String message = ErrorMessages.text(state.bundle(), e)
                + (after.startAgain() ? " " + state.bundle().getString("code.startAgain") : "");
        state.flash(WizardState.Flash.Kind.ERROR, message);
        if (after.next() == Step.SIGN_IN) {
            state.signedOut();
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
        state.tasks.run(() -> state.client.get().tokens(), tokens -> {
            state.setTokens(tokens);
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
