package se.lu.lunarc.otp.ui;

import io.javalin.Javalin;
import javafx.scene.Node;
import javafx.scene.control.TextArea;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.lu.lunarc.otp.server.ServerConfig;
import se.lu.lunarc.otp.testing.TestServer;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** Each failure the user can meet shows a banner saying what happened and what to do, and loses nothing. */
class WizardErrorsTest extends WizardRobot {
    @TempDir
    Path dir;
    TestServer server;
    Javalin fake;

    @AfterEach
    void stop() throws Exception {
        close();
        if (server != null) {
            server.close();
        }
        if (fake != null) {
            fake.stop();
        }
    }

    void openOn(ServerConfig.Limits limits) throws Exception {
        server = TestServer.start(dir, limits, 0);
        open(settingsFor(server.server().baseUri(), Locale.ENGLISH));
    }

    @Test
    void wrongPasswordKeepsTheUsernameAndClearsThePassword() throws Exception {
        openOn(null);
        typeCredentials("alice", "not-it");
        clickOn("#proceed");
        waitForBanner("Wrong username or password");
        assertThat(text("#username")).isEqualTo("alice");
        assertThat(text("#password")).isEmpty();
        screenshot("2b-sign-in-wrong-password");
        // the human check is solved again by itself: typing the right password is enough
        clickOn("#password").write("alice-pw");
        waitUntil("Proceed to be enabled", () -> !lookup("#proceed").query().isDisabled());
        clickOn("#proceed");
        waitFor("#sentTo");
    }

    @Test
    void wrongAndExpiredSmsCodes() throws Exception {
        openOn(null);
        typeCredentials("alice", "alice-pw");
        clickOn("#proceed");
        waitFor("#sentTo");
        assertThat(text("#sentTo")).isEqualTo("We sent a code to +46 70*** **01.");
        assertThat(text("#resend")).matches("Send a new code \\(\\d+ s\\)");
        assertThat(lookup("#resend").query().isDisabled()).isTrue();
        screenshot("2-code");
        String right = smsCode(server, "alice");
        clickOn("#code").write(right.equals("000000") ? "111111" : "000000");
        waitForBanner("not correct");
        assertThat(bannerText()).contains("4 tries left");
        assertThat(text("#code")).isEmpty();
        server.clock.advance(Duration.ofMinutes(6));
        write(right);
        // no code can finish this sign-in any more: the wizard itself goes back to Sign in and says why
        waitFor("#proceed");
        waitForBanner("expired");
        assertThat(bannerText()).contains("Sign in again for a new code.");
        assertThat(text("#username")).isEqualTo("alice");
    }

    @Test
    void tooManyAttemptsSaysHowLongToWait() throws Exception {
        openOn(new ServerConfig.Limits(new ServerConfig.Limit(1, 600), null, null, null, null, null, 0, 0));
        typeCredentials("alice", "nope");
        clickOn("#proceed");
        waitForBanner("Wrong username or password");
        clickOn("#password").write("alice-pw");
        waitUntil("Proceed to be enabled", () -> !lookup("#proceed").query().isDisabled());
        clickOn("#proceed");
        waitForBanner("Too many attempts");
        assertThat(bannerText()).matches("Too many attempts\\. Wait \\d+ seconds and try again\\.");
    }

    @Test
    void anExpiredSessionReturnsToSignInKeepingTheUsername() throws Exception {
        openOn(null);
        signIn(server, "alice");
        server.clock.advance(Duration.ofMinutes(16));
        nameANewToken("Phone");
        clickOn("#next");
        waitFor("#proceed");
        assertThat(bannerText()).isEqualTo("Your session has ended. Sign in again.");
        assertThat(text("#username")).isEqualTo("alice");
    }

    @Test
    void anUnreachableServerOffersRetry() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        open(settingsFor(URI.create("http://127.0.0.1:" + port), Locale.ENGLISH));
        clickOn("#human");
        waitForBanner("cannot be reached");
        assertThat(lookup(".banner .button").queryAll().stream().filter(Node::isVisible)
                .map(b -> ((javafx.scene.control.Button) b).getText().replace("_", ""))).contains("Retry");
        assertThat(lookup("#human").queryAs(javafx.scene.control.CheckBox.class).isSelected()).isFalse();
        screenshot("9-unreachable");
    }

    @Test
    void anUnexpectedAnswerHasCopyableDetails() throws Exception {
        fake = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.routes.get("/api/v1/human-check", ctx -> ctx.contentType("text/html").result("<html>Proxy error</html>"));
        }).start("127.0.0.1", 0);
        open(settingsFor(URI.create("http://127.0.0.1:" + fake.port()), Locale.ENGLISH));
        clickOn("#human");
        waitForBanner("unexpected answer");
        Node details = lookup(".banner .button").queryAll().stream().filter(Node::isVisible)
                .filter(b -> ((javafx.scene.control.Button) b).getText().replace("_", "").equals("Details"))
                .findFirst().orElseThrow();
        clickOn(details);
        String shown = lookup(".banner .text-area").queryAs(TextArea.class).getText();
        assertThat(shown).contains("GET /api/v1/human-check", "text/html", "Proxy error");
    }
}
