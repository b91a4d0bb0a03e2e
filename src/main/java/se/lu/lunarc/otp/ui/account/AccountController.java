package se.lu.lunarc.otp.ui.account;

import se.lu.lunarc.otp.app.Flow;

import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.layout.VBox;
import se.lu.lunarc.otp.api.SessionInfo;
import se.lu.lunarc.otp.api.Token;
import se.lu.lunarc.otp.client.ApiException;
import se.lu.lunarc.otp.app.ErrorMessages;
import se.lu.lunarc.otp.app.EnrollmentSteps.Move;
import se.lu.lunarc.otp.ui.Navigator;
import se.lu.lunarc.otp.ui.ScreenController;
import se.lu.lunarc.otp.ui.WizardState;
import se.lu.lunarc.otp.ui.common.Banner;

import java.text.MessageFormat;
import java.util.List;
import java.util.ResourceBundle;

/** Step 3: the General tab (who you are) and the Tokens tab (cards, actions, "Activate Pocket Pass"). */
public final class AccountController implements ScreenController, TokenCard.Actions {
    private final WizardState state;
    private final Navigator nav;

    @FXML private ResourceBundle resources;
    @FXML private TabPane tabs;
    @FXML private Tab tokensTab;
    @FXML private Label displayName;
    @FXML private Label username;
    @FXML private Label email;
    @FXML private Label phone;
    @FXML private Label affiliation;
    @FXML private Label anyApp;
    @FXML private Button activateNew;
    @FXML private Button registerHardware;
    @FXML private VBox cards;
    @FXML private Banner banner;
    @FXML private VBox sessionList;
    @FXML private Button endOthers;
    @FXML private Button retrySessions;

    public AccountController(WizardState state, Navigator nav) {
        this.state = state;
        this.nav = nav;
    }

    @FXML
    private void initialize() {
        banner.init(resources);
        showMe();
        activateNew.setText(MessageFormat.format(resources.getString("tokens.activate"), state.settings.appName()));
        anyApp.setText(MessageFormat.format(resources.getString("tokens.anyApp"), state.settings.appName()));
        activateNew.disableProperty().bind(state.tasks.busyProperty());
        registerHardware.disableProperty().bind(state.tasks.busyProperty());
        endOthers.setDisable(true);
        loadSessions();
        if (state.session.tokens() != null) {
            showTokens(state.session.tokens());
        }
        WizardState.Flash flash = state.takeFlash();
        if (flash != null) {
            tabs.getSelectionModel().select(tokensTab);
        }
        show(flash);
        if (state.session.me() == null || state.session.tokens() == null) {
            // the step before succeeded but its follow-up reads did not, even retried: read them here
            loadWhatIsMissing(flash);
        }
    }

    /** What the step before had to say (null: nothing). */
    private void show(WizardState.Flash flash) {
        if (flash == null) {
            banner.clear();
            return;
        }
        switch (flash.kind()) {
            case SUCCESS -> banner.success(flash.text());
            case ERROR -> banner.error(flash.text(), null, null);
            case INFO -> banner.info(flash.text());
        }
    }

    private void showMe() {
        var me = state.session.me();
        displayName.setText(me == null ? "…" : orDash(me.displayName()));
        username.setText(me == null ? "…" : me.username());
        email.setText(me == null ? "…" : orDash(me.email()));
        phone.setText(me == null ? "…" : orDash(me.maskedPhone()));
        affiliation.setText(me == null ? "…" : orDash(me.affiliation()));
    }

    /**
     * Reads the account and the list, each retried on its own; on failure says so beside what the step before
     * said ({@code flash}), with Retry.
     */
    private void loadWhatIsMissing(WizardState.Flash flash) {
        nav.send(state.session.readAccount(), loaded -> {
            showMe();
            showTokens(loaded.tokens());
            show(flash);
        }, e -> {
            if (nav.leftAfter(e)) {
                return;
            }
            String message = ErrorMessages.text(resources, e);
            banner.error(flash == null ? message : flash.text() + "\n" + message,
                    Flow.showDetails(e) ? e.diagnostics() : null, () -> loadWhatIsMissing(flash));
        });
    }

    /** Reads the user's sessions quietly (the General tab's list); a failure offers Retry there, not in the banner. */
    @FXML
    private void loadSessions() {
        retrySessions.setVisible(false);
        retrySessions.setManaged(false);
        state.tasks.background(() -> state.session.sessions().send(), this::showSessions, e -> {
            sessionList.getChildren().setAll(new Label(ErrorMessages.text(resources, e)));
            endOthers.setDisable(true);
            retrySessions.setVisible(true);
            retrySessions.setManaged(true);
        });
    }

    private void showSessions(List<SessionInfo> sessions) {
        java.time.format.DateTimeFormatter fmt = WizardState.dateTimeFormat(state.locale.get());
        sessionList.getChildren().clear();
        for (SessionInfo s : sessions) {
            String from = s.address() == null ? resources.getString("sessions.unknownPlace") : s.address();
            Label row = new Label(MessageFormat.format(resources.getString(s.current() ? "sessions.this"
                    : "sessions.other"), from, fmt.format(s.created()), fmt.format(s.lastUsed())));
            row.setWrapText(true);
            row.setId("session-" + s.id());
            row.setFocusTraversable(true); // read out one by one with the keyboard
            row.setAccessibleText(row.getText());
            sessionList.getChildren().add(row);
        }
        endOthers.setDisable(sessions.stream().allMatch(SessionInfo::current));
    }

    @FXML
    private void endOthers() {
        banner.clear();
        endOthers.setDisable(true);
        nav.send(state.session.endOtherSessions(), done -> {
            showSessions(done.sessions());
            banner.success(MessageFormat.format(resources.getString("sessions.ended"), done.ended()));
        }, e -> {
            failed(e);
            loadSessions();
        });
    }

    @Override
    public void onShow() {
        tabs.requestFocus();
    }

    private static String orDash(String s) {
        return s == null || s.isBlank() ? "—" : s;
    }

    private void showTokens(List<Token> tokens) {
        cards.getChildren().clear();
        if (tokens.isEmpty()) {
            Label none = new Label(resources.getString("tokens.none"));
            none.setWrapText(true);
            cards.getChildren().add(none);
        }
        for (Token t : tokens) {
            cards.getChildren().add(new TokenCard(t, resources, state.locale.get(), this));
        }
    }

    @FXML
    private void activateNew() {
        nav.move(Move.NEW_TOKEN);
    }

    @FXML
    private void registerHardware() {
        nav.move(Move.REGISTER_HARDWARE);
    }

    /** Runs one token action (the list comes with it), then shows the list and says what happened. */
    private void act(Flow.TokenAction action, Token t, String... input) {
        banner.clear();
        nav.send(state.session.act(action, t, input), acted -> {
            showTokens(acted.tokens());
            banner.success(MessageFormat.format(resources.getString(action.doneKey), acted.name()));
        }, this::failed);
    }

    private void failed(ApiException e) {
        if (nav.leftAfter(e)) {
            return;
        }
        String message = ErrorMessages.text(resources, e);
        banner.error(message, Flow.showDetails(e) ? e.diagnostics() : null, null);
        if (e.is("token_not_found")) {
            // the list is stale (removed elsewhere): show what is there now, keeping the message
            nav.send(state.session.refreshTokens(), tokens -> {
                showTokens(tokens);
                banner.error(message, null, null);
            }, f -> { });
        }
    }

    private TokenDialogs dialogs() {
        return new TokenDialogs(resources, tabs.getScene().getWindow());
    }

    /** The card's button for {@code action} was pressed: asks what the action needs, then runs it. */
    @Override
    public void chosen(Flow.TokenAction action, Token t) {
        switch (action) {
            case DEACTIVATE, REACTIVATE -> act(action, t);
            case RENAME -> dialogs().rename(t).ifPresent(name -> act(action, t, name));
            case SYNCHRONIZE -> dialogs().resync(t).ifPresent(codes -> act(action, t, codes));
            case REVOKE, REMOVE -> {
                if (dialogs().confirmRevoke(t)) {
                    act(action, t);
                }
            }
            case FINISH -> nav.finishPending(t);
        }
    }
}
