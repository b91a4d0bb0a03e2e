package se.lu.lunarc.otp.ui;

import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TabPane;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.lu.lunarc.otp.otp.OtpAuthUri;
import se.lu.lunarc.otp.testing.TestServer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The enrollment through the window, one step per test so that a failure names its step, against the real
 * backend on loopback. Each test signs in as a user would; a test of a later step gets there through the earlier
 * ones, or finds its token already made on the server.
 */
class WizardFlowTest extends WizardRobot {
    @TempDir
    Path dir;
    TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(dir);
        open(settingsFor(server.server().baseUri(), Locale.ENGLISH));
    }

    @AfterEach
    void stop() throws Exception {
        close();
        server.close();
    }

    String cardStatus() {
        return lookup(".token-card .token-status").queryAs(Label.class).getText();
    }

    void openCardActions() {
        clickOn((Node) lookup(".token-card .titled-pane > .title").query());
    }

    @Test
    void signInOpensTheAccountWithTheGeneralTab() throws Exception {
        assertThat(stage.getTitle()).isEqualTo("Register OTP Authenticator");
        assertThat(lookup("#username").query().isFocused()).as("focus starts in Username").isTrue();
        screenshot("1-sign-in");
        signIn(server, "alice");
        assertThat(text("#displayName")).isEqualTo("User alice");
        assertThat(text("#username")).isEqualTo("alice");
        assertThat(text("#email")).isEqualTo("alice@example.org");
        assertThat(text("#phone")).isEqualTo("+46 70*** **01");
        assertThat(text("#affiliation")).isEqualTo("Lund University");
        screenshot("3-account-general");
    }

    @Test
    void theNameIsCheckedBeforeAnythingIsSent() throws Exception {
        signIn(server, "alice");
        interact(() -> lookup("#tabs").queryAs(TabPane.class).getSelectionModel().select(1));
        assertThat(text("#activateNew")).isEqualTo("Activate Pocket Pass");
        clickOn("#activateNew");
        waitFor("#name");
        screenshot("4-name");
        clickOn("#next");
        assertThat(text("#problem")).as("told inline, before anything is sent").isEqualTo("Enter a name.");
        assertThat(showing("#name")).isTrue();
        clickOn("#name").write("x".repeat(65));
        assertThat(text("#problem")).isEqualTo("The name can be at most 64 characters.");
        eraseText(65);
        write("My phone");
        assertThat(text("#problem")).isEmpty();
        assertThat(server.signedIn("alice").tokens()).as("nothing created while naming").isEmpty();
    }

    /** Names a new token and shows its QR code; returns what the screen's QR code says, read from its pixels. */
    private String onTheQrScreen(String name) throws Exception {
        signIn(server, "alice");
        nameANewToken(name);
        clickOn("#next");
        waitFor("#qr");
        return decodeQrFromScreen();
    }

    @Test
    void theQrCodeOnScreenIsTheOneTheServerIssued() throws Exception {
        String decoded = onTheQrScreen("My phone");
        assertThat(decoded).isEqualTo(wizard.session().newToken().enrollment().otpauthUri());
        OtpAuthUri uri = OtpAuthUri.parse(decoded);
        assertThat(uri.issuer()).isEqualTo("LUNARC");
        assertThat(uri.account()).isEqualTo("alice");
        screenshot("5-qr");
        clickOn("#showKey");
        assertThat(text("#key").replace(" ", "")).isEqualTo(uri.secretBase32());
        assertThat(text("#key")).matches("([A-Z2-7]{4} )*[A-Z2-7]{1,4}");
        assertThat(text("#settings")).contains("TOTP", "SHA-1", "6 digits", "30 seconds", "LUNARC", "alice");
        screenshot("5b-qr-key");
        assertThat(server.signedIn("alice").tokens()).extracting(t -> t.status()).containsExactly("pending");
    }

    @Test
    void theFirstCodeFromTheAppActivatesTheToken() throws Exception {
        OtpAuthUri uri = OtpAuthUri.parse(onTheQrScreen("My phone"));
        clickOn("#next");
        waitFor("#finish");
        screenshot("6-activate");
        clickOn("#code").write(uri.totp().code(uri.secret(), server.clock.instant()));
        clickOn("#finish");
        waitForBanner("activated successfully");
        assertThat(bannerText()).contains("Pocket Pass activated successfully", "My phone");
        assertThat(wizard.session().newToken()).as("the secret is dropped when the enrollment ends").isNull();
        assertThat(cardStatus()).isEqualTo("Active");
        // the card shows its dates without opening More, as the web portal does
        assertThat(lookup(".token-card .token-dates").query().isVisible()).isTrue();
        assertThat(lookup(".token-card .token-dates .label").queryAllAs(Label.class)).extracting(Label::getText)
                .contains("Start", "Expires", "Activated", "Last login");
        assertThat(lookup(".token-card .titled-pane").queryAs(javafx.scene.control.TitledPane.class).isExpanded())
                .as("actions wait under More").isFalse();
        screenshot("7-activated");
        assertThat(server.signedIn("alice").tokens()).extracting(t -> t.status()).containsExactly("active");
    }

    @Test
    void anActiveTokenIsRenamedDeactivatedReactivatedSynchronizedAndRevoked() throws Exception {
        var created = server.enrolled("alice", "My phone");
        OtpAuthUri uri = OtpAuthUri.parse(created.enrollment().otpauthUri());
        signIn(server, "alice");
        interact(() -> lookup("#tabs").queryAs(TabPane.class).getSelectionModel().select(1));
        assertThat(cardStatus()).isEqualTo("Active");

        // Edit (rename)
        openCardActions();
        screenshot("8-token-more");
        clickOn(".token-edit");
        waitFor("#rename-field");
        doubleClickOn("#rename-field").eraseText(20).write("Work phone");
        type(KeyCode.ENTER);
        waitForBanner("Work phone");
        assertThat(text(".token-card .token-name")).isEqualTo("Work phone");

        // Deactivate, then Reactivate
        openCardActions();
        clickOn(".token-deactivate");
        waitUntil("status Deactivated", () -> cardStatus().equals("Deactivated"));
        openCardActions();
        clickOn(".token-reactivate");
        waitUntil("status Active", () -> cardStatus().equals("Active"));

        // Synchronize with two consecutive codes
        server.clock.advance(Duration.ofSeconds(90));
        long step = uri.totp().step(server.clock.instant());
        openCardActions();
        clickOn(".token-synchronize");
        waitFor("#resync-code1");
        clickOn("#resync-code1").write(uri.totp().code(uri.secret(), step - 1));
        clickOn("#resync-code2").write(uri.totp().code(uri.secret(), step));
        type(KeyCode.ENTER);
        waitForBanner("synchronized");

        // Revoke, with a confirmation that names the token
        openCardActions();
        clickOn(".token-revoke");
        waitUntil("the confirmation", () -> lookup(".dialog-pane").tryQuery().isPresent());
        assertThat(lookup(".dialog-pane .header-panel .label").queryAs(Label.class).getText()).contains("Work phone");
        Node revoke = lookup(".dialog-pane .button").queryAll().stream()
                .filter(b -> ((Button) b).getText().replace("_", "").equals("Revoke")).findFirst().orElseThrow();
        clickOn(revoke);
        waitUntil("status Revoked", () -> cardStatus().equals("Revoked"));
        assertThat(server.signedIn("alice").tokens()).extracting(t -> t.status()).containsExactly("revoked");
    }

    @Test
    void logOutReturnsToSignInKeepingOnlyTheUsername() throws Exception {
        signIn(server, "alice");
        clickOn((Node) lookup(".header .button").query());
        waitFor("#proceed");
        assertThat(bannerText()).contains("logged out");
        assertThat(text("#username")).isEqualTo("alice");
        assertThat(text("#password")).isEmpty();
        assertThat(wizard.session().me()).isNull();
    }
}
