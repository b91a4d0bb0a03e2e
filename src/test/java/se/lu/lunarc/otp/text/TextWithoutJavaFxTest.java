package se.lu.lunarc.otp.text;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.lu.lunarc.otp.Main;
import se.lu.lunarc.otp.testing.TestServer;

import java.io.File;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Text mode is for SSH sessions on machines that may have no JavaFX at all: it must sign in and show the account
 * with the JavaFX jars off the class path (so nothing in text/ or app/ may reach for them).
 */
class TextWithoutJavaFxTest {
    @TempDir
    Path dir;

    @Test
    void textModeSignsInWithoutJavaFxOnTheClassPath() throws Exception {
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.contains("javafx") && !e.contains("openjfx") && !e.contains("testfx"))
                .collect(Collectors.joining(File.pathSeparator));
        assertThat(classPath).doesNotContain("javafx");
        try (TestServer server = TestServer.start(dir)) {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", classPath, Main.class.getName(), "text", "--server", server.baseUrl(), "--lang", "en")
                    .redirectErrorStream(true).start();
            try {
                OutputStream in = p.getOutputStream();
                InputStream out = p.getInputStream();
                StringBuilder seen = new StringBuilder();
                await(out, seen, "Username: ");
                in.write("alice\nalice-pw\n".getBytes(StandardCharsets.UTF_8));
                in.flush();
                await(out, seen, "Code from the SMS");
                in.write((server.lastSmsCode("alice") + "\n").getBytes(StandardCharsets.UTF_8));
                in.flush();
                await(out, seen, "You have no tokens yet");
                in.write("q\n".getBytes(StandardCharsets.UTF_8));
                in.close();
                assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
                assertThat(seen.toString()).contains("Username: alice").doesNotContain("NoClassDefFoundError");
            } finally {
                p.destroyForcibly();
            }
        }
    }

    /** Reads the program's output until {@code marker} shows (or fails after 20 s, with what was seen). */
    private static void await(InputStream out, StringBuilder seen, String marker) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (seen.indexOf(marker) < 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no \"" + marker + "\" in: " + seen);
            }
            if (out.available() > 0) {
                byte[] b = new byte[out.available()];
                int n = out.read(b);
                seen.append(new String(b, 0, n, StandardCharsets.UTF_8));
            } else {
                Thread.sleep(20);
            }
        }
    }
}
