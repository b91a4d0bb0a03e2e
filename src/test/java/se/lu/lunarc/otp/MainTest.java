package se.lu.lunarc.otp;

import org.junit.jupiter.api.Test;

import java.util.Map;
import se.lu.lunarc.otp.testing.StandardError;

import static org.assertj.core.api.Assertions.assertThat;

class MainTest {
    @Test
    void aWindowNeedsADisplay() {
        String platform = System.getProperty("glass.platform");
        System.clearProperty("glass.platform");
        try {
            assertThat(Main.hasDisplay(Map.of())).isFalse();
            assertThat(Main.hasDisplay(Map.of("DISPLAY", ""))).isFalse();
            assertThat(Main.hasDisplay(Map.of("DISPLAY", ":1"))).isTrue();
            assertThat(Main.hasDisplay(Map.of("WAYLAND_DISPLAY", "wayland-0"))).isTrue();
        } finally {
            if (platform != null) {
                System.setProperty("glass.platform", platform);
            }
        }
    }

    @Test
    void settingsThatCannotBeUsedStopTheTextVersionWithWhereAndWhat() throws Exception {
        StandardError.Run run = StandardError.capture(() -> se.lu.lunarc.otp.Cli.commandLine().execute("text", "--server",
                "otp.lunarc.example"));
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.printed()).contains("the command line: server: \"otp.lunarc.example\" is not an address")
                .doesNotContain("\tat ");
    }
}
