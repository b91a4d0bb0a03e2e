package se.lu.lunarc.otp.ui.signin;

import se.lu.lunarc.otp.app.Flow;

import se.lu.lunarc.otp.ui.common.SecretField;

import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.VBox;
import se.lu.lunarc.otp.api.HumanProof;
import se.lu.lunarc.otp.api.LoginStarted;
import se.lu.lunarc.otp.client.ApiException;
import se.lu.lunarc.otp.app.ErrorMessages;
import se.lu.lunarc.otp.ui.Navigator;
import se.lu.lunarc.otp.ui.ScreenController;
import se.lu.lunarc.otp.ui.WizardState;
import se.lu.lunarc.otp.ui.common.Banner;

import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.ResourceBundle;

/** Step 1: username, password, "I am a human" (solved in the background), Proceed. */
public final class SignInController implements ScreenController {
    private final WizardState state;
    private final Navigator nav;
    private HumanProof proof;
    private int humanCheckRound;
    /** Retry was pressed before a fresh proof was ready: sign in as soon as it is. */
    private boolean proceedWhenSolved;

    @FXML private ResourceBundle resources;
    @FXML private TextField username;
    @FXML private SecretField password;
    @FXML private CheckBox human;
    @FXML private ProgressIndicator humanBusy;
    @FXML private Label humanDone;
    @FXML private Button proceed;
    @FXML private Banner banner;
    @FXML private VBox demoBox;
    @FXML private ToggleButton english;
    @FXML private ToggleButton swedish;
    @FXML private Label support;

    public SignInController(WizardState state, Navigator nav) {
        this.state = state;
        this.nav = nav;
    }

    @FXML
    private void initialize() {
        banner.init(resources);
        username.setText(state.username());
        String contact = state.settings.support();
        support.setText(contact == null ? "" : java.text.MessageFormat.format(resources.getString("signin.support"), contact));
        support.setVisible(contact != null);
        support.setManaged(contact != null);
        demoBox.setVisible(state.settings.demo());
        demoBox.setManaged(state.settings.demo());
        ToggleGroup languages = new ToggleGroup();
        english.setToggleGroup(languages);
        swedish.setToggleGroup(languages);
        (state.locale.get().getLanguage().equals("sv") ? swedish : english).setSelected(true);
        english.setOnAction(e -> switchLanguage(Locale.ENGLISH, english));
        swedish.setOnAction(e -> switchLanguage(Locale.forLanguageTag("sv"), swedish));
        human.selectedProperty().addListener((o, was, is) -> {
            if (is) {
                solveHumanCheck();
            } else {
                proof = null;
                humanCheckRound++;
                humanBusy.setVisible(false);
                humanDone.setVisible(false);
                updateProceed();
            }
        });
        // Enter submits the form from any of its controls once it can be submitted (a checkbox would toggle)
        human.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ENTER && !proceed.isDisable()) {
                e.consume();
                proceed();
            }
        });
        username.textProperty().addListener((o, a, b) -> updateProceed());
        password.textProperty().addListener((o, a, b) -> updateProceed());
        state.tasks.busyProperty().addListener((o, a, b) -> updateProceed());
        humanBusy.setVisible(false);
        humanDone.setVisible(false);
        updateProceed();
        WizardState.Flash flash = state.takeFlash();
        if (flash != null) {
            if (flash.kind() == WizardState.Flash.Kind.ERROR) {
                banner.error(flash.text(), null, null);
            } else {
                banner.info(flash.text());
            }
        }
    }

    @Override
    public void onShow() {
        (username.getText().isEmpty() ? username : password).requestFocus();
    }

    @Override
    public void onHide() {
        password.clear();
        proof = null;
        humanCheckRound++;
    }

    private void switchLanguage(Locale locale, ToggleButton pressed) {
        pressed.setSelected(true);
        if (!locale.equals(state.locale.get())) {
            state.setUsername(username.getText());
            state.locale.set(locale);
            nav.reload();
        }
    }

    private void solveHumanCheck() {
        int round = ++humanCheckRound;
        proof = null;
        humanBusy.setVisible(true);
        humanDone.setVisible(false);
        updateProceed();
        state.tasks.background(() -> state.session.humanCheck().send(), solved -> {
            if (round != humanCheckRound) {
                return; // unticked or left meanwhile
            }
            proof = solved;
            humanBusy.setVisible(false);
            humanDone.setVisible(true);
            updateProceed();
            if (proceedWhenSolved) {
                proceedWhenSolved = false;
                proceed();
            }
        }, failure -> {
            if (round != humanCheckRound) {
                return;
            }
            humanBusy.setVisible(false);
            human.setSelected(false);
            showFailure(failure, this::tickAgain);
        });
    }

    private void retrySignIn() {
        banner.clear();
        if (proof != null) {
            proceed();
        } else {
            proceedWhenSolved = true;
        }
    }

    private void tickAgain() {
        banner.clear();
        human.setSelected(true);
    }

    private void updateProceed() {
        proceed.setDisable(username.getText().isBlank() || password.secretLength() == 0 || proof == null
                || state.tasks.isBusy());
    }

    @FXML
    private void proceed() {
        if (proceed.isDisable()) {
            return;
        }
        String user = username.getText().trim();
        char[] secret = password.password();
        HumanProof spent = proof;
        proof = null; // a proof is accepted once, whatever the answer
        banner.clear();
        state.setUsername(user);
        boolean started = nav.send(state.session.signIn(user, secret, spent), this::signedIn, failure -> {
            // a failure that trying again can mend (network, directory down) keeps the password for Retry
            boolean again = ErrorMessages.retryable(failure);
            if (!again) {
                password.clear();
            }
            showFailure(failure, again ? this::retrySignIn : null);
            human.setSelected(false);
            human.setSelected(true); // a fresh proof for the next try
            (failure.is("invalid_credentials") ? password : username).requestFocus();
        });
        if (!started) {
            Arrays.fill(secret, '\0');
        }
    }

    private void signedIn(LoginStarted login) {
        state.setCodeSentAt(Instant.now());
    }

    private void showFailure(ApiException e, Runnable retry) {
        banner.error(ErrorMessages.text(resources, e),
                Flow.showDetails(e) ? e.diagnostics() : null,
                ErrorMessages.retryable(e) ? (retry != null ? retry : this::tickAgain) : null);
    }
}
