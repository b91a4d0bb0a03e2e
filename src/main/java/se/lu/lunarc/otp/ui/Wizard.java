package se.lu.lunarc.otp.ui;

import se.lu.lunarc.otp.app.ClientHolder;
import se.lu.lunarc.otp.app.ClientSettings;

import javafx.animation.PauseTransition;
import javafx.geometry.Insets;
import javafx.util.Duration;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.image.Image;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.stage.Stage;
import se.lu.lunarc.otp.ui.common.SmsInbox;

import java.util.ResourceBundle;

/**
 * The window: a header (title, DEMO badge, busy spinner, Log out), the current screen, and in the demo the SMS
 * inbox. Owns the wiring of state, tasks and navigation.
 */
public final class Wizard {
    private final WizardState state;
    private final BorderPane frame = new BorderPane();
    private final Navigator navigator;
    private final Label title = new Label();
    private final Label demoBadge = new Label();
    private final Button logout = new Button();
    private final ProgressIndicator busy = new ProgressIndicator();
    private final PauseTransition demoStart = new PauseTransition(Duration.millis(300));
    private SmsInbox inbox;
    private Stage stage;

    public Wizard(ClientSettings settings) {
        Tasks tasks = new Tasks();
        this.state = new WizardState(settings, new ClientHolder(settings), tasks);
        this.navigator = new Navigator(frame, state);
    }

    public WizardState state() {
        return state;
    }

    /** The enrollment the window presents. */
    public se.lu.lunarc.otp.app.EnrollmentSession session() {
        return state.session;
    }

    public Navigator navigator() {
        return navigator;
    }

    public void show(Stage stage) {
        this.stage = stage;
        title.getStyleClass().add("app-title");
        demoBadge.getStyleClass().add("demo-badge");
        demoBadge.setVisible(state.settings.demo());
        demoBadge.setManaged(state.settings.demo());
        busy.getStyleClass().add("busy");
        busy.setPrefSize(22, 22);
        busy.visibleProperty().bind(state.tasks.busyProperty());
        logout.setId("logout");
        logout.setOnAction(e -> logOut());
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox header = new HBox(10, title, demoBadge, spacer, busy, logout);
        header.setAlignment(Pos.CENTER_LEFT);
        header.setPadding(new Insets(8, 12, 8, 12));
        header.getStyleClass().add("header");
        frame.setTop(header);
        if (state.settings.demo()) {
            inbox = new SmsInbox(state.client::demoMessages);
            inbox.setPadding(new Insets(8));
            frame.setRight(inbox);
            // start the demo backend in the background once the first frames are drawn: Sign in waits for
            // neither, and the backend's start does not compete with the window's
            demoStart.setOnFinished(e -> state.tasks.background(() -> state.client.get(), c -> { }, f -> { }));
        }
        navigator.onPageChange(page -> {
            boolean signedIn = navigator.signedIn();
            logout.setVisible(signedIn);
            logout.setManaged(signedIn);
        });
        state.locale.addListener((o, a, b) -> applyTexts());
        Scene scene = new Scene(frame, 780, 540);
        // Esc means the screen's cancel button even from a field (text fields with a formatter eat Esc)
        scene.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ESCAPE && frame.getCenter() != null) {
                frame.getCenter().lookupAll(".button").stream()
                        .filter(n -> n instanceof Button b && b.isCancelButton() && b.isVisible() && !b.isDisabled())
                        .findFirst().ifPresent(b -> {
                            e.consume();
                            ((Button) b).fire();
                        });
            }
        });
        scene.getStylesheets().add(Wizard.class.getResource("wizard.css").toExternalForm());
        stage.setScene(scene);
        for (int size : new int[] {16, 32, 48, 64, 128, 256}) {
            stage.getIcons().add(new Image(Wizard.class.getResource("icons/lunarc-otp-" + size + ".png").toExternalForm()));
        }
        stage.setMinWidth(560);
        stage.setMinHeight(440);
        stage.setOnHidden(e -> close());
        applyTexts();
        navigator.start();
        stage.show();
        if (state.settings.demo()) {
            demoStart.play();
        }
    }

    private void applyTexts() {
        ResourceBundle rb = state.bundle();
        stage.setTitle(rb.getString("app.title"));
        title.setText(rb.getString("app.title"));
        demoBadge.setText(rb.getString("demo.badge"));
        demoBadge.setAccessibleText(rb.getString("demo.badge.accessible"));
        logout.setText(rb.getString("action.logout"));
        busy.setAccessibleText(rb.getString("busy"));
        if (inbox != null) {
            inbox.init(rb);
        }
    }

    /** Log out: the session's request; when the server cannot be told, the window forgets the session anyway. */
    private void logOut() {
        navigator.send(state.session.logOut(), ok -> saySignedOut(), failure -> {
            state.session.loggedOut();
            saySignedOut();
            navigator.start();
        });
    }

    private void saySignedOut() {
        state.flash(WizardState.Flash.Kind.INFO, state.bundle().getString("signin.loggedOut"));
    }

    private void close() {
        demoStart.stop();
        navigator.close();
        // closing the window ends the session on the server too: best effort, waiting two seconds at most
        state.session.endOnLeaving(java.time.Duration.ofSeconds(2));
        if (inbox != null) {
            inbox.stop();
        }
        state.tasks.shutdown();
        state.client.close();
    }
}
