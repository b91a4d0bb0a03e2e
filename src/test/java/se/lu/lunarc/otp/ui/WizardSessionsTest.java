package se.lu.lunarc.otp.ui;

import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.lu.lunarc.otp.client.ApiException;
import se.lu.lunarc.otp.testing.TestServer;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The General tab lists the user's signed-in sessions (where from, since when, this one marked) and ends the
 * others, by keyboard, against the real server (ASVS 3.3.3).
 */
class WizardSessionsTest extends WizardRobot {
    @TempDir
    Path dir;
    TestServer server;

    @AfterEach
    void stop() throws Exception {
        close();
        server.close();
    }

    private List<String> sessionRows() {
        return lookup("#sessionList").queryAs(javafx.scene.layout.VBox.class).getChildren().stream()
                .map(n -> ((Label) n).getText()).toList();
    }

    @Test
    void theGeneralTabListsTheSessionsAndEndsTheOthers() throws Exception {
        server = TestServer.start(dir);
        var elsewhere = server.signedInFrom("alice", "127.0.0.5");
        open(settingsFor(server.server().baseUri(), Locale.ENGLISH));
        signIn(server, "alice");
        waitUntil("two sessions listed", () -> sessionRows().size() == 2);
        List<String> rows = sessionRows();
        assertThat(rows.get(0)).startsWith("This session: from 127.0.0.1, since ");
        assertThat(rows.get(1)).startsWith("From 127.0.0.5, since ");
        assertThat(onFx(() -> lookup("#endOthers").query().isDisabled())).isFalse();
        assertThat(onFx(() -> lookup("#endOthers").query().getAccessibleText()))
                .isEqualTo("End all your other signed-in sessions");
        assertThat(onFx(this::unnamedControls)).isEmpty();

        // by keyboard: Tab to the button, Space presses it
        Node end = lookup("#endOthers").query();
        for (int i = 0; i < 12 && !onFx(end::isFocused); i++) {
            type(KeyCode.TAB);
        }
        assertThat(onFx(end::isFocused)).as("End the other sessions is reachable with Tab").isTrue();
        type(KeyCode.SPACE);
        waitForBanner("Ended 1 other session.");
        waitUntil("one session listed", () -> sessionRows().size() == 1);
        assertThat(sessionRows().get(0)).startsWith("This session: from 127.0.0.1");
        assertThat(onFx(end::isDisabled)).as("nothing else to end").isTrue();

        ApiException ended = catchThrowableOfType(elsewhere::sessions, ApiException.class);
        assertThat(ended).as("the session elsewhere has ended").isNotNull();
        assertThat(ended.status()).isEqualTo(401);
    }
}
