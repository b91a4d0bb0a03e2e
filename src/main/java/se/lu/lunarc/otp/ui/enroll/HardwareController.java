package se.lu.lunarc.otp.ui.enroll;

import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.TextFormatter;
import se.lu.lunarc.otp.api.TokenNameRule;
import se.lu.lunarc.otp.app.EnrollmentSteps.Move;
import se.lu.lunarc.otp.app.ErrorMessages;
import se.lu.lunarc.otp.app.Flow;
import se.lu.lunarc.otp.ui.Navigator;
import se.lu.lunarc.otp.ui.ScreenController;
import se.lu.lunarc.otp.ui.WizardState;
import se.lu.lunarc.otp.ui.common.Banner;

import java.text.MessageFormat;
import java.util.ResourceBundle;

/**
 * From the Tokens tab: a hardware token (key fob or card) that support handed out, registered by the serial number
 * printed on it and the code it shows now. Its name follows the serial number until the user edits it.
 */
public final class HardwareController implements ScreenController {
    private final WizardState state;
    private final Navigator nav;
    /** The name this screen last filled in; a name that differs from it was typed by the user and is kept. */
    private String filledName = "";

    @FXML private ResourceBundle resources;
    @FXML private TextField serial;
    @FXML private TextField code;
    @FXML private TextField name;
    @FXML private Label problem;
    @FXML private Button register;
    @FXML private Banner banner;

    public HardwareController(WizardState state, Navigator nav) {
        this.state = state;
        this.nav = nav;
    }

    @FXML
    private void initialize() {
        banner.init(resources);
        // event tokens show 6 or 8 digits
        code.setTextFormatter(new TextFormatter<String>(c -> c.getControlNewText().matches("\\d{0,8}") ? c : null));
        serial.textProperty().addListener((o, a, b) -> {
            if (name.getText().equals(filledName)) {
                filledName = b.isBlank() ? "" : Flow.hardwareTokenName(resources, b);
                name.setText(filledName);
            }
        });
        name.textProperty().addListener((o, a, b) -> check());
        register.disableProperty().bind(Bindings.createBooleanBinding(() -> serial.getText().isBlank(),
                serial.textProperty()).or(code.textProperty().length().lessThan(6)).or(state.tasks.busyProperty()));
        problem.setText("");
    }

    @Override
    public void onShow() {
        serial.requestFocus();
    }

    @Override
    public void onHide() {
        code.clear();
    }

    /** Whether the server will take the name; says why not beside the field. Empty before a serial is typed. */
    private boolean check() {
        TokenNameRule broken = name.getText().isEmpty() && serial.getText().isBlank() ? null
                : TokenNameRule.broken(name.getText(), TokenNameRule.namesInUse(state.session.tokens()));
        String p = broken == null ? null : resources.getString(broken.messageKey());
        problem.setText(p == null ? "" : p);
        name.setAccessibleHelp(p);
        return p == null;
    }

    @FXML
    private void register() {
        if (register.isDisable()) {
            return;
        }
        if (!check()) {
            name.requestFocus();
            return;
        }
        String number = serial.getText().strip();
        String entered = code.getText();
        String chosen = name.getText().strip();
        banner.clear();
        nav.send(state.session.registerHardware(number, entered, chosen), done -> state.flash(
                WizardState.Flash.Kind.SUCCESS,
                MessageFormat.format(resources.getString("hardware.success"), done.token().name())), e -> {
            code.clear();
            if (nav.leftAfter(e)) {
                return;
            }
            banner.error(ErrorMessages.forHardwareToken(resources, e), Flow.showDetails(e) ? e.diagnostics() : null,
                    null);
            code.requestFocus();
        });
    }

    @FXML
    private void cancel() {
        nav.move(Move.CANCEL);
    }
}
