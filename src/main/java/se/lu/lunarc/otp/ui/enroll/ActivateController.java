package se.lu.lunarc.otp.ui.enroll;

import se.lu.lunarc.otp.app.Flow;
import se.lu.lunarc.otp.app.EnrollmentSteps.Move;

import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.TextField;
import javafx.scene.control.TextFormatter;
import se.lu.lunarc.otp.app.ErrorMessages;
import se.lu.lunarc.otp.ui.Navigator;
import se.lu.lunarc.otp.ui.ScreenController;
import se.lu.lunarc.otp.ui.WizardState;
import se.lu.lunarc.otp.ui.common.Banner;

import java.text.MessageFormat;
import java.util.ResourceBundle;

/** Step 6: the first code from the app; only then is the token active. */
public final class ActivateController implements ScreenController {
    private final WizardState state;
    private final Navigator nav;

    @FXML private ResourceBundle resources;
    @FXML private TextField code;
    @FXML private Button finish;
    @FXML private Banner banner;

    public ActivateController(WizardState state, Navigator nav) {
        this.state = state;
        this.nav = nav;
    }

    @FXML
    private void initialize() {
        banner.init(resources);
        code.setTextFormatter(new TextFormatter<String>(c -> c.getControlNewText().matches("\\d{0,6}") ? c : null));
        finish.disableProperty().bind(code.textProperty().length().lessThan(6).or(state.tasks.busyProperty()));
    }

    @Override
    public void onShow() {
        code.requestFocus();
    }

    @Override
    public void onHide() {
        code.clear();
    }

    @FXML
    private void finish() {
        if (finish.isDisable()) {
            return;
        }
        banner.clear();
        nav.send(state.session.activate(code.getText()), done -> state.flash(WizardState.Flash.Kind.SUCCESS,
                MessageFormat.format(resources.getString("activate.success"), state.settings.appName(),
                        done.token().name())), e -> {
            code.clear();
            if (nav.leftAfter(e)) {
                return;
            }
            banner.error(ErrorMessages.text(resources, e), Flow.showDetails(e) ? e.diagnostics() : null, null);
            code.requestFocus();
        });
    }

    @FXML
    private void cancel() {
        // back to the QR code while it is still on hand; else to the token list, where the token stays pending
        nav.move(Move.BACK);
    }
}
