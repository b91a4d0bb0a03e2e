package se.lu.lunarc.otp.ui;

import se.lu.lunarc.otp.app.ClientSettings;

import com.google.zxing.ReaderException;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.input.Clipboard;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.lu.lunarc.otp.otp.OtpAuthUri;
import se.lu.lunarc.otp.testing.TestServer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class WizardDemoAndKeyboardTest extends WizardRobot {
    @TempDir
    Path dir;
    TestServer server;

    @AfterEach
    void stop() throws Exception {
        close();
        if (server != null) {
            server.close();
        }
    }

    @Test
    void withNoServerTheDemoRunsInProcessWithBadgeCredentialsAndSmsInbox() throws Exception {
        open(settingsFor(null, Locale.ENGLISH));
        assertThat(showing(".demo-badge")).isTrue();
        assertThat(text(".demo-badge")).isEqualTo("DEMO");
        assertThat(text(".demo-credentials")).isEqualTo("demo / lunarc-demo");
        screenshot("0-demo-sign-in");
        clickOn("#username").write("demo");
        clickOn("#password").write("lunarc-demo");
        clickOn("#human");
        waitUntil("Proceed to be enabled", () -> !lookup("#proceed").query().isDisabled());
        clickOn("#proceed");
        waitFor("#sentTo");
        @SuppressWarnings("unchecked")
        ListView<String> inbox = lookup(".sms-inbox .list-view").queryAs(ListView.class);
        waitUntil("the SMS in the demo inbox", () -> !inbox.getItems().isEmpty());
        Matcher code = Pattern.compile("\\b(\\d{6})\\b").matcher(inbox.getItems().get(0));
        assertThat(code.find()).isTrue();
        screenshot("0-demo-code");
        clickOn("#code").write(code.group(1));
        waitFor("#tabs");
        assertThat(text("#username")).isEqualTo("demo");
        assertThat(text("#displayName")).isEqualTo("Demo User");
    }

    @Test
    void theLanguageSwitchOnSignInTakesEffectAtOnce() throws Exception {
        server = TestServer.start(dir);
        open(settingsFor(server.server().baseUri(), Locale.ENGLISH));
        clickOn("#username").write("alice");
        clickOn("#swedish");
        waitUntil("Swedish texts", () -> stage.getTitle().equals("Registrera OTP-autentiserare"));
        assertThat(lookup(".screen-title").queryAs(Label.class).getText()).isEqualTo("Logga in");
        assertThat(text("#human")).isEqualTo("Jag är en människa");
        assertThat(text("#username")).as("what was typed is kept").isEqualTo("alice");
        screenshot("1-sign-in-sv");
        clickOn("#english");
        waitUntil("English texts", () -> stage.getTitle().equals("Register OTP Authenticator"));
    }

    @Test
    void theWholeFlowByKeyboardAloneWithEveryControlNamed() throws Exception {
        server = TestServer.start(dir);
        open(settingsFor(server.server().baseUri(), Locale.ENGLISH));
        waitForFocus("#username"); // focus starts in Username
        write("alice");
        type(KeyCode.TAB);
        write("alice-pw");
        type(KeyCode.TAB);
        type(KeyCode.SPACE); // "I am a human"
        waitUntil("Proceed to be enabled", () -> !lookup("#proceed").query().isDisabled());
        assertThat(unnamedControls()).isEmpty();
        type(KeyCode.ENTER); // Enter submits from anywhere on the form, the checkbox included
        waitFor("#sentTo");
        assertThat(unnamedControls()).isEmpty();
        waitForFocus("#code");
        write(smsCode(server, "alice")); // the code field has focus, and submits when full
        waitFor("#tabs");
        assertThat(unnamedControls()).isEmpty();
        waitForFocus("#tabs");
        press(KeyCode.CONTROL).type(KeyCode.TAB).release(KeyCode.CONTROL); // to the Tokens tab
        waitUntil("the Tokens tab", () -> showing("#activateNew"));
        type(KeyCode.TAB); // into the tab: "Activate Pocket Pass"
        assertThat(stage.getScene().getFocusOwner().getId()).isEqualTo("activateNew");
        type(KeyCode.SPACE);
        waitFor("#name");
        assertThat(unnamedControls()).isEmpty();
        waitForFocus("#name");
        write("Keyboard phone");
        type(KeyCode.ENTER);
        waitFor("#qr");
        assertThat(unnamedControls()).isEmpty();
        waitForFocus("#next");
        assertThat(lookup("#qr").query().getAccessibleText()).contains("Enter the key");
        String uri = wizard.session().newToken().enrollment().otpauthUri();
        String secret = wizard.session().newToken().enrollment().secret();
        // focus is on Next; back to "Can't scan?", show the key, copy it, then on to Next
        press(KeyCode.SHIFT).type(KeyCode.TAB, 2).release(KeyCode.SHIFT);
        assertThat(stage.getScene().getFocusOwner().getId()).isEqualTo("showKey");
        type(KeyCode.SPACE);
        type(KeyCode.TAB);
        type(KeyCode.SPACE); // Copy
        assertThat(onFx(() -> Clipboard.getSystemClipboard().getString())).isEqualTo(secret);
        type(KeyCode.TAB, 2);
        assertThat(stage.getScene().getFocusOwner().getId()).isEqualTo("next");
        type(KeyCode.ENTER); // Next
        waitFor("#finish");
        assertThat(unnamedControls()).isEmpty();
        waitForFocus("#code");
        OtpAuthUri parsed = OtpAuthUri.parse(uri);
        write(parsed.totp().code(parsed.secret(), server.clock.instant()));
        type(KeyCode.ENTER);
        waitForBanner("activated successfully");
        assertThat(onFx(() -> Clipboard.getSystemClipboard().getString()))
                .as("the clipboard no longer holds the key").isNotEqualTo(secret);
        assertThat(lookup(".token-card .token-status").queryAs(Label.class).getText()).isEqualTo("Active");
    }

    @Test
    void theQrIsCoveredAfterItsTimeAndCanBeShownAgain() throws Exception {
        server = TestServer.start(dir);
        var s = settingsFor(server.server().baseUri(), Locale.ENGLISH);
        open(new ClientSettings(s.server(), null, s.connectTimeout(), s.readTimeout(), s.appName(), null, s.locale(),
                Duration.ofSeconds(2)));
        signIn(server, "alice");
        nameANewToken("Phone");
        clickOn("#next");
        waitFor("#qr");
        clickOn("#showKey");
        waitUntil("the QR to be covered", () -> showing("#covered"));
        assertThat(showing("#qr")).isFalse();
        assertThat(text("#key")).isEmpty();
        assertThat(showAgainAndDecode()).isEqualTo(wizard.session().newToken().enrollment().otpauthUri());

        // Close keeps the token pending and says so; its card can finish the activation later
        clickOn("#showKey");
        String uri = wizard.session().newToken().enrollment().otpauthUri();
        clickOn("Close");
        waitForBanner("pending");
        assertThat(wizard.session().newToken()).isNull();
        assertThat(lookup(".token-card .token-status").queryAs(Label.class).getText()).isEqualTo("Pending activation");
        clickOn(".token-finish");
        waitFor("#finish");
        OtpAuthUri parsed = OtpAuthUri.parse(uri);
        clickOn("#code").write(parsed.totp().code(parsed.secret(), server.clock.instant()));
        clickOn("#finish");
        waitForBanner("activated successfully");
    }


    /**
     * Here the QR is on screen for only 2 s, so a slow machine may cover it again between the wait and the capture.
     * A capture that fails to decode counts only if the QR was still showing afterwards; the cover never lifts by
     * itself, so it was then showing during the capture. Otherwise it is shown again and read again.
     */
    private String showAgainAndDecode() throws Exception {
        for (int attempt = 1; ; attempt++) {
            clickOn("Show again");
            waitFor("#qr");
            try {
                return decodeQrFromScreen();
            } catch (ReaderException e) {
                if (showing("#qr") || attempt == 3) {
                    throw e;
                }
            }
        }
    }
}
