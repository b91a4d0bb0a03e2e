package se.lu.lunarc.otp.ui;


import se.lu.lunarc.otp.app.ClientSettings;

import javafx.scene.Node;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.lu.lunarc.otp.testing.TestServer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** Secrets leave with the user: the key's spoken text with the cover, the clipboard at logout, the session at close. */
class WizardSecretsTest extends WizardRobot {
    @TempDir
    Path dir;
    TestServer server;

    @AfterEach
    void stop() throws Exception {
        close();
        server.close();
    }


    private void toTheQrScreen() {
        signIn(server, "alice");
        nameANewToken("Phone");
        clickOn("#next");
        waitFor("#qr");
    }

    @Test
    void theKeysSpokenTextGoesWithTheCoverAndTheClipboardWithTheLogout() throws Exception {
        server = TestServer.start(dir);
        var s = settingsFor(server.server().baseUri(), Locale.ENGLISH);
        open(new ClientSettings(s.server(), null, s.connectTimeout(), s.readTimeout(), s.appName(), null, s.locale(),
                Duration.ofSeconds(2)));
        toTheQrScreen();
        String secret = wizard.session().newToken().enrollment().secret();
        clickOn("#showKey");
        Node key = lookup("#key").query();
        assertThat(onFx(() -> key.getAccessibleText())).contains(String.join(" ", secret.split("")));
        waitUntil("the QR to be covered", () -> showing("#covered"));
        assertThat(onFx(() -> key.getAccessibleText())).isNull();

        clickOn("Show again");
        waitFor("#qr");
        clickOn("#showKey");
        clickOn("#copy");
        assertThat(onFx(() -> Clipboard.getSystemClipboard().getString())).isEqualTo(secret);
        clickOn("#logout");
        waitFor("#username");
        assertThat(onFx(() -> Clipboard.getSystemClipboard().getString())).isNotEqualTo(secret);

        // what the user copied herself afterwards stays
        interact(() -> {
            ClipboardContent c = new ClipboardContent();
            c.putString("the user's own text");
            Clipboard.getSystemClipboard().setContent(c);
        });
        // Sign in keeps the username after a logout: the password, the check and the code again
        clickOn("#password").write("alice" + TestServer.PASSWORD_SUFFIX);
        clickOn("#human");
        waitUntil("Proceed to be enabled", () -> !lookup("#proceed").query().isDisabled());
        clickOn("#proceed");
        waitFor("#sentTo");
        clickOn("#code").write(smsCode(server, "alice"));
        waitFor("#tabs");
        clickOn("#logout");
        waitFor("#username");
        assertThat(onFx(() -> Clipboard.getSystemClipboard().getString())).isEqualTo("the user's own text");
    }

    @Test
    void thePasswordNeverBecomesTextInTheControl() throws Exception {
        server = TestServer.start(dir);
        open(settingsFor(server.server().baseUri(), Locale.ENGLISH));
        clickOn("#username").write("alice");
        clickOn("#password").write("alice-pX");
        type(javafx.scene.input.KeyCode.BACK_SPACE);
        write("w");
        var field = lookup("#password").queryAs(se.lu.lunarc.otp.ui.common.SecretField.class);
        assertThat(onFx(() -> field.getText())).isEqualTo("\u2022".repeat(8));
        assertThat(onFx(() -> new String(field.password()))).isEqualTo("alice-pw");
        // select all and copy: the clipboard gets nothing of it
        interact(() -> {
            field.selectAll();
            field.copy();
        });
        assertThat(onFx(() -> Clipboard.getSystemClipboard().getString())).isNotEqualTo("alice-pw");
        clickOn("#human");
        waitUntil("Proceed to be enabled", () -> !lookup("#proceed").query().isDisabled());
        clickOn("#proceed");
        waitFor("#sentTo");
        assertThat(onFx(() -> String.valueOf(field.secretLength()))).isEqualTo("0");
    }

    @Test
    void closingTheWindowLogsOut() throws Exception {
        server = TestServer.start(dir);
        open(settingsFor(server.server().baseUri(), Locale.ENGLISH));
        signIn(server, "alice");
        var other = server.signedIn("alice");
        assertThat(other.sessions()).hasSize(2);
        interact(() -> stage.close());
        waitUntil("the window's session to end", () -> {
            try {
                return other.sessions().size() == 1;
            } catch (Exception e) {
                return false;
            }
        });
        assertThat(other.sessions()).singleElement().matches(x -> x.current());
    }
}
