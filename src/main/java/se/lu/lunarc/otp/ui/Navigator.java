package se.lu.lunarc.otp.ui;

import se.lu.lunarc.otp.app.ErrorMessages;

import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import javafx.scene.layout.BorderPane;
import se.lu.lunarc.otp.api.ErrorCode;
import se.lu.lunarc.otp.client.ApiException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/** Shows one screen at a time in the window's frame, each loaded from its FXML with the controller factory. */
public final class Navigator {
    public enum Page {
        SIGN_IN("signin/SignIn.fxml"), CODE("code/Code.fxml"), ACCOUNT("account/Account.fxml"),
        NAME("enroll/Name.fxml"), QR("enroll/Qr.fxml"), ACTIVATE("enroll/Activate.fxml");

        final String fxml;

        Page(String fxml) {
            this.fxml = fxml;
        }
    }

    private final BorderPane frame;
    private final WizardState state;
    private Page page;
    private ScreenController controller;
    private Consumer<Page> listener = p -> { };

    public Navigator(BorderPane frame, WizardState state) {
        this.frame = frame;
        this.state = state;
    }

    public Page page() {
        return page;
    }

    public void onPageChange(Consumer<Page> l) {
        this.listener = l;
    }

    public void go(Page next) {
        if (controller != null) {
            controller.onHide();
        }
        // what the old screen asked for is no longer wanted on the new one
        state.tasks.leaveScreen();
        FXMLLoader loader = new FXMLLoader(Navigator.class.getResource(next.fxml), state.bundle());
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
     * Failures every screen handles alike: an ended session returns to Sign in with a message. Returns true when
     * it handled {@code e}.
     */
    public boolean handledGlobally(ApiException e) {
        if (e.is(ErrorCode.SESSION_EXPIRED) && page != Page.SIGN_IN && page != Page.CODE) {
            state.signedOut();
            state.flash(WizardState.Flash.Kind.ERROR, ErrorMessages.text(state.bundle(), e));
            go(Page.SIGN_IN);
            return true;
        }
        return false;
    }

    /** Stops using the current screen: the window is closing. */
    public void close() {
        if (controller != null) {
            controller.onHide();
        }
    }
}
