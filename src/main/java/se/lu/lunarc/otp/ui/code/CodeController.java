package se.lu.lunarc.otp.ui.code;

import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.TextFormatter;
import javafx.util.Duration;
import se.lu.lunarc.otp.client.ApiException;
import se.lu.lunarc.otp.app.ErrorMessages;
import se.lu.lunarc.otp.app.EnrollmentSteps.Move;
import se.lu.lunarc.otp.ui.Navigator;
import se.lu.lunarc.otp.ui.ScreenController;
import se.lu.lunarc.otp.ui.WizardState;
import se.lu.lunarc.otp.ui.common.Banner;

import java.text.MessageFormat;
import java.time.Instant;
import java.util.ResourceBundle;

/** Step 2: the SMS code. Submits by itself when full; resend after the announced wait; Back to sign-in. */
public final class CodeController implements ScreenController {
    private final WizardState state;
    private final Navigator nav;
    private final Timeline ticker = new Timeline(new KeyFrame(Duration.seconds(1), e -> tick()));

    @FXML private ResourceBundle resources;
    @FXML private Label sentTo;
    @FXML private TextField code;
    @FXML private Label validity;
    @FXML private Button resend;
    @FXML private Banner banner;

    public CodeController(WizardState state, Navigator nav) {
        this.state = state;
        this.nav = nav;
    }

    @FXML
    private void initialize() {
        banner.init(resources);
        sentTo.setText(MessageFormat.format(resources.getString("code.sentTo"), state.session.login().sms().maskedPhone()));
        int length = state.session.login().sms().codeLength();
        code.setTextFormatter(new TextFormatter<String>(c ->
                c.getControlNewText().matches("\\d{0," + length + "}") ? c : null));
        code.setPrefColumnCount(length + 2);
        code.textProperty().addListener((o, a, b) -> {
            if (b.length() == length) {
                submit();
            }
        });
        ticker.setCycleCount(Timeline.INDEFINITE);
        ticker.play();
        tick();
    }

    @Override
    public void onShow() {
        code.requestFocus();
    }

    @Override
    public void onHide() {
        ticker.stop();
        code.clear();
    }

    private long secondsSinceSent() {
        return java.time.Duration.between(state.codeSentAt(), Instant.now()).toSeconds();
    }

    private void tick() {
        long since = secondsSinceSent();
        var sms = state.session.login().sms();
        long left = Math.max(0, sms.expiresInSeconds() - since);
        validity.setText(left > 0
                ? MessageFormat.format(resources.getString("code.validFor"), left / 60, String.format("%02d", left % 60))
                : resources.getString("code.expired"));
        long wait = sms.resendAfterSeconds() - since;
        boolean noMore = sms.resendAfterSeconds() < 0;
        resend.setDisable(noMore || wait > 0 || state.tasks.isBusy());
        resend.setText(noMore ? resources.getString("code.noMoreResends") : wait > 0
                ? MessageFormat.format(resources.getString("code.resendIn"), wait) : resources.getString("code.resend"));
    }

    private void submit() {
        banner.clear();
        // once the code is accepted, a failed read of the account is the account screen's to retry
        nav.send(state.session.submitCode(code.getText()), signedIn -> { }, this::failed);
    }

    private void failed(ApiException e) {
        code.clear();
        if (nav.leftAfter(e)) {
            return;
        }
        banner.error(ErrorMessages.text(resources, e), null, null);
        code.requestFocus();
    }

    @FXML
    private void resend() {
        banner.clear();
        nav.send(state.session.resend(), sms -> {
            state.setCodeSentAt(Instant.now());
            banner.info(MessageFormat.format(resources.getString("code.resent"), sms.maskedPhone()));
            tick();
            code.requestFocus();
        }, this::failed);
    }

    @FXML
    private void back() {
        nav.move(Move.BACK);
    }
}
