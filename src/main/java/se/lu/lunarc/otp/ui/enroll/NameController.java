package se.lu.lunarc.otp.ui.enroll;

import se.lu.lunarc.otp.app.Flow;

import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import se.lu.lunarc.otp.api.TokenNameRule;
import se.lu.lunarc.otp.app.ErrorMessages;
import se.lu.lunarc.otp.app.EnrollmentSteps.Move;
import se.lu.lunarc.otp.ui.Navigator;
import se.lu.lunarc.otp.ui.ScreenController;
import se.lu.lunarc.otp.ui.WizardState;
import se.lu.lunarc.otp.ui.common.Banner;

import java.util.ResourceBundle;

/** Step 4: a display name for the device; the server's rules and duplicates are told before Next. */
public final class NameController implements ScreenController {
    private final WizardState state;
    private final Navigator nav;

    @FXML private ResourceBundle resources;
    @FXML private TextField name;
    @FXML private Label problem;
    @FXML private Button next;
    @FXML private Banner banner;

    public NameController(WizardState state, Navigator nav) {
        this.state = state;
        this.nav = nav;
    }

    @FXML
    private void initialize() {
        banner.init(resources);
        name.textProperty().addListener((o, a, b) -> check());
        next.disableProperty().bind(state.tasks.busyProperty());
        problem.setText(""); // no complaint before the user has typed or pressed Next
    }

    @Override
    public void onShow() {
        name.requestFocus();
    }

    /** The name's problem in the user's language, or null when the server will accept it. */
    String problemWith(String raw) {
        TokenNameRule broken = TokenNameRule.broken(raw, TokenNameRule.namesInUse(state.session.tokens()));
        return broken == null ? null : resources.getString(broken.messageKey());
    }

    private boolean check() {
        String p = problemWith(name.getText());
        problem.setText(p == null ? "" : p);
        name.setAccessibleHelp(p);
        return p == null;
    }

    @FXML
    private void next() {
        if (!check()) {
            name.requestFocus();
            return;
        }
        String chosen = name.getText().strip();
        banner.clear();
        nav.send(state.session.createToken(chosen), created -> { }, e -> {
            if (!nav.leftAfter(e)) {
                banner.error(ErrorMessages.text(resources, e), Flow.showDetails(e) ? e.diagnostics() : null, null);
            }
        }, cancelled -> {
            // the user cancelled while the server was creating it: remove the pending token nobody will activate
            state.tasks.detached(state.session.discard(cancelled)::send);
        });
    }

    @FXML
    private void cancel() {
        nav.move(Move.CANCEL);
    }
}
