package se.lu.lunarc.otp.ui;

import org.junit.jupiter.api.Test;
import se.lu.lunarc.otp.Main;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code lunarc-otp --startup-probe} opens Sign in, reports its first frame and exits, without the network. */
class StartupProbeTest {
    @Test
    void probeReportsTheFirstFrameAndExitsEvenWithAnUnreachableServer() throws Exception {
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dglass.platform=Monocle", "-Dmonocle.platform=Headless", "-Dprism.order=sw",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--startup-probe", "--server", "https://unreachable.invalid:9"))
                .redirectErrorStream(true).start();
        boolean ended = p.waitFor(60, TimeUnit.SECONDS);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!ended) {
            p.destroyForcibly();
        }
        assertThat(ended).as(out).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).containsPattern("(?m)^startup-probe: first frame \\d+ ms after JVM start$");
        assertThat(out).containsPattern("(?m)^startup-probe: heap used [0-9.]+ MiB, resident .+$");
    }
}
