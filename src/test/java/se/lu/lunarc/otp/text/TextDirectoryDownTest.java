package se.lu.lunarc.otp.text;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.lu.lunarc.otp.app.ClientSettings;
import se.lu.lunarc.otp.server.ServerConfig;
import se.lu.lunarc.otp.testing.Slapd;
import se.lu.lunarc.otp.testing.TestServer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** Text mode when the account directory (a real slapd) is down: it says so, and Enter tries again. */
class TextDirectoryDownTest {
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
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        slapd.close();
    }

    @Test
    void theDirectoryNotAnsweringIsToldAndEnterTriesTheSameSignInAgain() throws Exception {
        ClientSettings settings = new ClientSettings(server.server().baseUri(), null, Duration.ofSeconds(3),
                Duration.ofSeconds(10), "Pocket Pass", null, Locale.ENGLISH, Duration.ofMinutes(5));
        try (TextSession s = new TextSession(settings, TerminalQr.Style.UNICODE, 100)) {
            slapd.stop();
            s.expect("Username: ");
            s.type("carol");
            s.expect("Password (not shown): ");
            s.type("carol-pw");
            assertThat(s.expect("Press Enter to try again"))
                    .contains("! The account directory is not answering; try again in a minute.");
            slapd.start();
            s.type("");
            assertThat(s.expect("Code from the SMS")).contains("+46 70*** **02");
        }
    }
    @Test
    void anAccountThatCannotBeReadIsToldOnceAndTheUserChoosesToTryAgainOrQuit() throws Exception {
        ClientSettings settings = new ClientSettings(server.server().baseUri(), null, Duration.ofSeconds(3),
                Duration.ofSeconds(10), "Pocket Pass", null, Locale.ENGLISH, Duration.ofMinutes(5));
        try (TextSession s = new TextSession(settings, TerminalQr.Style.UNICODE, 100)) {
            s.expect("Username: ");
            s.type("carol");
            s.expect("Password (not shown): ");
            s.type("carol-pw");
            s.expect("Code from the SMS");
            String code = server.lastSmsCode("carol");
            slapd.stop(); // the code is checked without the directory; the account after it is read from it
            s.type(code);
            String told = s.expect("or type q and Enter to log out and quit: ");
            assertThat(told.split("not answering", -1)).as("said once, then the user is asked").hasSize(2);
            slapd.start();
            s.type("");
            assertThat(s.expect("> ")).contains("Person carol");
            slapd.stop();
            s.type("x"); // any key that is no choice: the list again, read anew (no directory needed for it)
            s.expect("> ");
            s.type("q");
            s.expect("You have logged out.");
            assertThat(s.exitCode()).isZero();
        }
    }
}
