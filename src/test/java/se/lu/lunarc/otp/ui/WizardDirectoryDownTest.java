package se.lu.lunarc.otp.ui;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.lu.lunarc.otp.server.ServerConfig;
import se.lu.lunarc.otp.testing.Slapd;
import se.lu.lunarc.otp.testing.TestServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The window when the account directory (a real slapd) is down at sign-in: the message says so, the password is
 * kept, and Retry signs in once the directory is back.
 */
class WizardDirectoryDownTest extends WizardRobot {
    @TempDir
    Path dir;
    Slapd slapd;
    TestServer server;

    @BeforeEach
    void start() throws Exception {
        slapd = Slapd.start(dir.resolve("slapd"));
        slapd.add(new Slapd.Person("carol", "carol-pw", "070-174 06 02", true));
        ServerConfig.Users users = slapd.users(dir, null);
        server = TestServer.start(dir.resolve("server"), c -> c.withUsers(users));
        open(settingsFor(server.server().baseUri(), Locale.ENGLISH));
    }

    @AfterEach
    void stop() throws Exception {
        close();
        server.close();
        slapd.close();
    }

    @Test
    void theDirectoryNotAnsweringIsToldWithRetryWhichSignsInOnceItIsBack() throws Exception {
        slapd.stop();
        typeCredentials("carol", "carol-pw");
        clickOn("#proceed");
        waitForBanner("not answering");
        assertThat(bannerText()).isEqualTo("The account directory is not answering; try again in a minute.");
        assertThat(showing(".banner-retry")).as("Retry offered").isTrue();
        screenshot("2c-directory-down");
        assertThat(onFx(() -> ((se.lu.lunarc.otp.ui.common.SecretField) lookup("#password").query()).secretLength()))
                .as("the password is kept for Retry").isEqualTo("carol-pw".length());

        slapd.start();
        clickOn(".banner-retry");
        waitFor("#sentTo");
        assertThat(text("#sentTo")).isEqualTo("We sent a code to +46 70*** **02.");
        assertThat(Files.readString(server.config.sms().file())).contains("\"to\":\"+46701740602\"");
    }
    @Test
    void aCodeAcceptedWhileTheDirectoryIsDownSignsInAndRetryReadsOnlyTheAccount() throws Exception {
        toTheCodeScreen("carol", "carol-pw");
        String code = smsCode(server, "carol");
        slapd.stop(); // the code is checked without the directory; the account after it is read from it
        clickOn("#code").write(code);
        // the code was accepted: the account screen, saying what could not be read, and Retry for that alone
        waitFor("#tabs");
        waitForBanner("not answering");
        assertThat(bannerText()).isEqualTo("The account directory is not answering; try again in a minute.");
        assertThat(showing(".banner-retry")).as("Retry offered").isTrue();

        slapd.start();
        clickOn(".banner-retry");
        waitUntil("the account shown, the banner says " + bannerText(), () -> text("#username").equals("carol"));
        assertThat(text("#displayName")).isEqualTo("Person carol");
        assertThat(bannerText()).as("no code_expired, no new sign-in").isEmpty();
        assertThat(Files.readAllLines(server.config.sms().file())).as("one SMS in all").hasSize(1);
    }
}
