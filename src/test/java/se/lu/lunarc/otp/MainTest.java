package se.lu.lunarc.otp;

import org.junit.jupiter.api.Test;

import java.util.Map;

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
}
