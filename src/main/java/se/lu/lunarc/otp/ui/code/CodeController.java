package se.lu.lunarc.otp.ui.code;

import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.TextFormatter;
import javafx.util.Duration;
import se.lu.lunarc.otp.api.Me;
import se.lu.lunarc.otp.api.Token;
import se.lu.lunarc.otp.client.ApiException;
import se.lu.lunarc.otp.app.ErrorMessages;
import se.lu.lunarc.otp.app.FollowUp;
import se.lu.lunarc.otp.app.EnrollmentSteps.Move;
import se.lu.lunarc.otp.ui.Navigator;
import se.lu.lunarc.otp.ui.ScreenController;
import se.lu.lunarc.otp.ui.WizardState;
import se.lu.lunarc.otp.ui.common.Banner;

import java.text.MessageFormat;
import java.time.Instant;
import java.util.List;
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

    /** The account after a code was accepted: what could be read; the rest the account screen reads itself. */
    record SignedIn(Me me, List<Token> tokens) {}

    @FXML
    private void initialize() {
        banner.init(resources);
        sentTo.setText(MessageFormat.format(resources.getString("code.sentTo"), state.login().sms().maskedPhone()));
        int length = state.login().sms().codeLength();
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
        long left = Math.max(0, state.login().sms().expiresInSeconds() - since);
        validity.setText(left > 0
                ? MessageFormat.format(resources.getString("code.validFor"), left / 60, String.format("%02d", left % 60))
                : resources.getString("code.expired"));
        long wait = state.login().sms().resendAfterSeconds() - since;
        boolean noMore = state.login().sms().resendAfterSeconds() < 0;
        resend.setDisable(noMore || wait > 0 || state.tasks.isBusy());
        resend.setText(noMore ? resources.getString("code.noMoreResends") : wait > 0
                ? MessageFormat.format(resources.getString("code.resendIn"), wait) : resources.getString("code.resend"));
    }

    private void submit() {
        String entered = code.getText();
        String loginId = state.login().loginId(); // read here, on the FX thread: the work runs on another
        banner.clear();
        state.tasks.run(() -> {
            var client = state.client.get();
            client.submitCode(loginId, entered);
            // signed in: from here a failure is the follow-up's, retried on its own and then by the account
            // screen's Retry, never the code's (which is spent)
            try {
                return new SignedIn(FollowUp.read(client::me), FollowUp.read(client::tokens));
            } catch (ApiException unread) {
                return new SignedIn(null, null);
            }
        }, signedIn -> {
            state.setMe(signedIn.me());
            state.setTokens(signedIn.tokens());
            state.setLogin(null);
            nav.move(Move.DONE);
        }, this::failed);
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
        String loginId = state.login().loginId();
        state.tasks.run(() -> state.client.get().resend(loginId), sms -> {
            state.setLogin(new se.lu.lunarc.otp.api.LoginStarted(loginId, sms));
            state.setCodeSentAt(Instant.now());
            banner.info(MessageFormat.format(resources.getString("code.resent"), sms.maskedPhone()));
            tick();
            code.requestFocus();
        }, this::failed);
    }

    @FXML
    private void back() {
        state.setLogin(null);
        nav.move(Move.BACK);
    }
}
