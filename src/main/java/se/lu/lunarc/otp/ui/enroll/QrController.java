package se.lu.lunarc.otp.ui.enroll;

import javafx.animation.PauseTransition;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ToggleButton;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.VBox;
import javafx.util.Duration;
import se.lu.lunarc.otp.api.Enrollment;
import se.lu.lunarc.otp.app.EnrollmentSteps.Move;
import se.lu.lunarc.otp.ui.Navigator;
import se.lu.lunarc.otp.ui.ScreenController;
import se.lu.lunarc.otp.ui.WizardState;
import se.lu.lunarc.otp.ui.common.QrCodeView;

import java.text.MessageFormat;
import java.util.ResourceBundle;

/**
 * Step 5: the QR code beside the app's steps, and the key as text for those who cannot scan. Both are covered
 * after a while on screen (5 minutes unless configured); Close keeps the token pending.
 */
public final class QrController implements ScreenController {
    private final WizardState state;
    private final Navigator nav;
    private final PauseTransition coverTimer;

    @FXML private ResourceBundle resources;
    @FXML private QrCodeView qr;
    @FXML private VBox covered;
    @FXML private ToggleButton showKey;
    @FXML private VBox keyBox;
    @FXML private Label key;
    @FXML private Label settings;
    @FXML private Label steps;
    @FXML private Button next;

    public QrController(WizardState state, Navigator nav) {
        this.state = state;
        this.nav = nav;
        this.coverTimer = new PauseTransition(Duration.millis(state.settings.qrVisibleFor().toMillis()));
    }

    @FXML
    private void initialize() {
        Enrollment e = state.session.newToken().enrollment();
        steps.setText(MessageFormat.format(resources.getString("qr.steps"), state.settings.appName()) + "\n"
                + resources.getString("qr.stepsThen"));
        qr.setAccessibleText(resources.getString("qr.accessible"));
        settings.setText(MessageFormat.format(resources.getString("qr.settings"), e.algorithm().replace("SHA1", "SHA-1"),
                e.digits(), e.period(), e.issuer(), e.account()));
        keyBox.visibleProperty().bind(showKey.selectedProperty());
        keyBox.managedProperty().bind(showKey.selectedProperty());
        coverTimer.setOnFinished(ev -> cover(true));
        show();
    }

    /** The key in groups of four, as apps that take it typed show it. */
    static String grouped(String secret) {
        return secret.replaceAll("(.{4})(?!$)", "$1 ");
    }

    private void show() {
        Enrollment e = state.session.newToken().enrollment();
        String secret = e.secret();
        qr.setContent(e.otpauthUri());
        key.setText(grouped(secret));
        // spelled out for a screen reader, and covered with the rest
        key.setAccessibleText(MessageFormat.format(resources.getString("qr.key.accessible"),
                String.join(" ", secret.split(""))));
        cover(false);
        coverTimer.playFromStart();
    }

    private void cover(boolean on) {
        if (on) {
            qr.clear();
            key.setText("");
            key.setAccessibleText(null);
            showKey.setSelected(false);
        }
        qr.setVisible(!on);
        covered.setVisible(on);
        covered.setManaged(on);
        showKey.setDisable(on);
    }

    @FXML
    private void showAgain() {
        show();
    }

    @FXML
    private void copyKey() {
        ClipboardContent c = new ClipboardContent();
        c.putString(state.session.newToken().enrollment().secret());
        Clipboard.getSystemClipboard().setContent(c);
    }

    @Override
    public void onShow() {
        next.requestFocus();
    }

    @Override
    public void onHide() {
        coverTimer.stop();
        qr.clear();
        key.setText("");
        key.setAccessibleText(null);
    }

    @FXML
    private void next() {
        nav.move(Move.DONE);
    }

    @FXML
    private void close() {
        String name = state.session.newToken().token().name();
        state.flash(WizardState.Flash.Kind.INFO, MessageFormat.format(resources.getString("qr.closedPending"), name));
        nav.moveWithFreshTokens(Move.CANCEL);
    }
}
