package se.lu.lunarc.otp.text;

import org.junit.jupiter.api.Test;
import se.lu.lunarc.otp.Main;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Without a display, `lunarc-otp` says so and runs the text version. */
class NoDisplayTest {
    @Test
    void withoutADisplayTheTextVersionStartsAndSaysWhy() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--server", "http://127.0.0.1:9"));
        pb.environment().remove("DISPLAY");
        pb.environment().remove("WAYLAND_DISPLAY");
        Process p = pb.start();
        p.getOutputStream().write("alice\n".getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close(); // then the input ends: it leaves quietly
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(err).contains("no display (DISPLAY is not set): starting the text version");
        assertThat(out).contains("Register OTP Authenticator", "== Sign in ==", "Username: ", "Password (not shown): ");
        assertThat(p.exitValue()).isZero();
    }
}
