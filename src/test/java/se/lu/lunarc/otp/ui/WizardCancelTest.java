package se.lu.lunarc.otp.ui;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.lu.lunarc.otp.testing.LoopbackProxy;
import se.lu.lunarc.otp.testing.TestServer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cancel means cancel: a request belongs to the screen that started it. The answers come late through a proxy,
 * after the user has already left the screen; nothing of them may show, and a token created for nobody is
 * removed.
 */
class WizardCancelTest extends WizardRobot {
    @TempDir
    Path dir;
    TestServer server;
    LoopbackProxy proxy;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(dir);
        proxy = new LoopbackProxy(server.server().baseUri());
        open(settingsFor(proxy.uri(), Locale.ENGLISH));
    }

    @AfterEach
    void stop() throws Exception {
        close();
        proxy.close();
        server.close();
    }

    @Test
    void cancelOnTheNameScreenWhileTheTokenIsBeingCreated() throws Exception {
        signIn(server, "alice");
        nameANewToken("Phone");
        proxy.slowDown("POST", "/api/v1/tokens", Duration.ofSeconds(2));
        clickOn("#next");
        type(javafx.scene.input.KeyCode.ESCAPE); // the screen's Cancel
        waitFor("#tabs");
        Thread.sleep(3000); // the late answer arrives meanwhile
        assertThat(showing("#qr")).as("no QR screen for the cancelled token").isFalse();
        assertThat(showing("#tabs")).isTrue();
        assertThat(wizard.session().newToken()).isNull();
        waitUntil("the cancelled token to be removed", () -> {
            try {
                return server.signedIn("alice").tokens().stream().noneMatch(t -> t.status().equals("pending"));
            } catch (Exception e) {
                return false;
            }
        });
    }

    @Test
    void cancelOnTheActivateScreenWhileTheCodeIsBeingChecked() throws Exception {
        signIn(server, "alice");
        nameANewToken("Phone");
        clickOn("#next");
        waitFor("#qr");
        var uri = se.lu.lunarc.otp.otp.OtpAuthUri.parse(wizard.session().newToken().enrollment().otpauthUri());
        clickOn("#next");
        waitFor("#finish");
        proxy.slowDown("POST", "/api/v1/tokens/[^/]+/activate", Duration.ofSeconds(2));
        clickOn("#code").write(uri.totp().code(uri.secret(), server.clock.instant()));
        clickOn("#finish");
        type(javafx.scene.input.KeyCode.ESCAPE); // the screen's Cancel: back to the QR code
        waitFor("#qr");
        Thread.sleep(3000);
        assertThat(showing("#qr")).as("still where the user went").isTrue();
        assertThat(showing("#tabs")).as("no token list with a success the user cancelled").isFalse();
    }

    @Test
    void backOnTheCodeScreenWhileTheCodeIsBeingChecked() throws Exception {
        toTheCodeScreen("alice", "alice" + TestServer.PASSWORD_SUFFIX);
        proxy.slowDown("POST", "/api/v1/login/[^/]+/code", Duration.ofSeconds(2));
        clickOn("#code").write(smsCode(server, "alice"));
        type(javafx.scene.input.KeyCode.ESCAPE); // the screen's Back
        waitFor("#username");
        Thread.sleep(3000);
        assertThat(showing("#tabs")).as("the account view of a sign-in the user went back from").isFalse();
        assertThat(showing("#username")).isTrue();
    }

    @Test
    void backOnTheCodeScreenWhileANewCodeIsBeingSent() throws Exception {
        toTheCodeScreen("alice", "alice" + TestServer.PASSWORD_SUFFIX);
        // the 30 s before a new code may be asked for pass on both sides
        server.clock.advance(Duration.ofSeconds(31));
        onFx(() -> {
            wizard.state().setCodeSentAt(java.time.Instant.now().minusSeconds(31));
            return null;
        });
        waitUntil("Resend to be enabled", () -> !lookup("#resend").query().isDisabled());
        proxy.slowDown("POST", "/api/v1/login/[^/]+/resend", Duration.ofSeconds(2));
        clickOn("#resend");
        type(javafx.scene.input.KeyCode.ESCAPE); // the screen's Back
        waitFor("#username");
        Thread.sleep(3000); // the new code's answer arrives meanwhile
        assertThat(showing("#username")).as("still on Sign in, where the user went").isTrue();
        assertThat(showing("#sentTo")).as("no code screen brought back by the late answer").isFalse();
        assertThat(onFx(() -> wizard.session().login())).as("no sign-in kept for the late answer").isNull();
        assertThat(bannerText()).doesNotContain("new code was sent");
    }
}
