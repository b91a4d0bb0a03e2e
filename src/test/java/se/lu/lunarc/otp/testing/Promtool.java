package se.lu.lunarc.otp.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Prometheus's own checker ({@code promtool}, from Debian's {@code prometheus}), run on a file or on stdin. */
public record Promtool(int exit, String output) {
    public static Promtool run(String stdin, String... args) throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of("/usr/bin/promtool"))) {
            throw new IllegalStateException("promtool is not installed: apt-get install prometheus (.ci/run does)");
        }
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("promtool did not finish: " + command);
        }
        return new Promtool(p.exitValue(), out);
    }
}
