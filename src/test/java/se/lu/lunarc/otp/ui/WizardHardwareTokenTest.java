package se.lu.lunarc.otp.ui;

import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.lu.lunarc.otp.api.Token;
import se.lu.lunarc.otp.otp.Totp;
import se.lu.lunarc.otp.testing.HardwareFobs;
import se.lu.lunarc.otp.testing.TestServer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Register hardware token" on the Tokens tab, against the real backend, with key fobs imported by the site's
 * command and their codes computed from the seeds in the vendor's file.
 */
class WizardHardwareTokenTest extends WizardRobot {
    static final byte[] SEED = "a fob's seed, twenty".getBytes(StandardCharsets.US_ASCII);
    static final Totp FOB = new Totp("SHA1", 6, 30);

    @TempDir
    Path dir;
    TestServer server;

    @BeforeEach
    void site() throws Exception {
        server = TestServer.start(dir.resolve("data"));
        HardwareFobs.importInto(server, dir,
                HardwareFobs.write(dir.resolve("fobs.pskc"), SEED, "FOB-0001", "FOB-0002"));
    }

    @AfterEach
    void stop() throws Exception {
        close();
        server.close();
    }

    private void toTheHardwareScreenByKeyboard() {
        waitForFocus("#tabs");
        press(KeyCode.CONTROL).type(KeyCode.TAB).release(KeyCode.CONTROL); // to the Tokens tab
        waitUntil("the Tokens tab", () -> showing("#registerHardware"));
        type(KeyCode.TAB, 2); // past "Activate Pocket Pass"
        assertThat(stage.getScene().getFocusOwner().getId()).isEqualTo("registerHardware");
        type(KeyCode.SPACE);
        waitFor("#serial");
        waitForFocus("#serial");
    }

    @Test
    void aKeyFobIsRegisteredByKeyboardWithItsCodeAndThenLogsIn() throws Exception {
        open(settingsFor(server.server().baseUri(), Locale.ENGLISH));
        signIn(server, "alice");
        toTheHardwareScreenByKeyboard();
        assertThat(unnamedControls()).isEmpty();
        assertThat(lookup("#register").query().isDisabled()).as("nothing entered yet").isTrue();

        write("FOB-0001");
        assertThat(text("#name")).as("the name follows the serial number").isEqualTo("Hardware token FOB-0001");
        type(KeyCode.TAB);
        String right = FOB.code(SEED, server.clock.instant());
        write(right.equals("000000") ? "111111" : "000000");
        type(KeyCode.ENTER);
        waitForBanner("do not match");
        assertThat(bannerText()).contains("Check the number printed on the token").doesNotContain("tries left");
        assertThat(text("#serial")).as("what was typed is kept").isEqualTo("FOB-0001");
        assertThat(text("#code")).as("a refused code is not kept").isEmpty();
        waitForFocus("#code");

        write(right);
        type(KeyCode.TAB);
        press(KeyCode.CONTROL).type(KeyCode.A).release(KeyCode.CONTROL);
        write("Lab fob");
        screenshot("10-hardware-token");
        type(KeyCode.ENTER);
        waitForBanner("registered and active");
        assertThat(bannerText()).contains("\"Lab fob\"");
        assertThat(lookup(".token-card .token-name").queryAs(Label.class).getText()).isEqualTo("Lab fob");
        assertThat(lookup(".token-card .token-status").queryAs(Label.class).getText()).isEqualTo("Active");
        screenshot("10b-hardware-token-registered");

        // the cluster's login, a time step later: the fob's next code is accepted, once
        server.clock.advance(Duration.ofSeconds(30));
        String next = FOB.code(SEED, server.clock.instant());
        assertThat(server.client().validate(server.serviceKey(), "alice", next).accepted()).isTrue();
        assertThat(server.client().validate(server.serviceKey(), "alice", next).reason()).isEqualTo("code_replayed");
        assertThat(server.signedIn("alice").tokens()).extracting(Token::name, Token::type, Token::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("Lab fob", "totp", "active"));
    }

    @Test
    void inSwedishTheDefaultNameIsSwedishAndCancelGoesBackWithNothingRegistered() throws Exception {
        open(settingsFor(server.server().baseUri(), Locale.forLanguageTag("sv")));
        signIn(server, "alice");
        toTheHardwareScreenByKeyboard();
        assertThat(unnamedControls()).isEmpty();
        write("FOB-0002");
        assertThat(text("#name")).isEqualTo("Hårdvarutoken FOB-0002");
        type(KeyCode.ESCAPE); // Avbryt
        waitUntil("the token list", () -> showing("#registerHardware"));
        assertThat(server.signedIn("alice").tokens()).isEmpty();
    }
    @Test
    void anEightDigitTokenIsSynchronizedInTheWindowWithItsEightDigitCodes() throws Exception {
        Totp slow = new Totp("SHA1", 8, 60);
        HardwareFobs.importInto(server, dir, HardwareFobs.write(dir.resolve("slow.pskc"), SEED, 8, 60, "SLOW-0001"));
        server.signedIn("alice").registerHardwareToken("SLOW-0001", slow.code(SEED, server.clock.instant()));
        open(settingsFor(server.server().baseUri(), Locale.ENGLISH));
        signIn(server, "alice");
        clickOn((javafx.scene.Node) lookup(".tab").nth(1).query()); // Tokens
        server.clock.advance(Duration.ofMinutes(10));
        java.time.Instant ahead = server.clock.instant().plus(Duration.ofMinutes(4)); // its clock ran ahead
        clickOn((javafx.scene.Node) lookup(".token-card .titled-pane > .title").query());
        clickOn(".token-synchronize");
        waitFor("#resync-code1");
        String first = slow.code(SEED, ahead);
        clickOn("#resync-code1").write(first);
        assertThat(text("#resync-code1")).as("all eight digits taken").isEqualTo(first);
        server.clock.advance(Duration.ofSeconds(60)); // the user waits for the fob's next code
        clickOn("#resync-code2").write(slow.code(SEED, ahead.plusSeconds(60)));
        type(KeyCode.ENTER);
        waitForBanner("synchronized");
        server.clock.advance(Duration.ofMinutes(1));
        assertThat(server.client().validate(server.serviceKey(), "alice",
                slow.code(SEED, server.clock.instant().plus(Duration.ofMinutes(4)))).accepted()).isTrue();
    }
}
