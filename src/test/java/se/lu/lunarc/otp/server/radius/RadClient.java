package se.lu.lunarc.otp.server.radius;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** FreeRADIUS's radclient and radtest (freeradius-utils), run as a NAS would use them, with their output. */
public record RadClient(String output, int exitCode) {
    public static RadClient send(int port, String secret, String... attributes) throws IOException, InterruptedException {
        List<String> command = List.of("radclient", "-x", "-r", "1", "-t", "2", "127.0.0.1:" + port, "auth", secret);
        return run(command, String.join(",", attributes) + "\n");
    }

    public static RadClient radtest(String user, String password, int port, String secret)
            throws IOException, InterruptedException {
        return run(List.of("radtest", "-t", "pap", user, password, "127.0.0.1:" + port, "0", secret), "");
    }

    private static RadClient run(List<String> command, String stdin) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(command.get(0) + " did not finish");
        }
        return new RadClient(out, p.exitValue());
    }

    /** The kind of answer radclient received and verified: Access-Accept, -Reject, -Challenge; or null. */
    public String received() {
        Matcher m = Pattern.compile("Received (Access-\\w+)").matcher(output);
        return m.find() ? m.group(1) : null;
    }

    /** An attribute of the answer as radclient prints it, e.g. {@code State} → {@code 0x…}. */
    public String attribute(String name) {
        int from = output.indexOf("Received ");
        Matcher m = Pattern.compile("^\\s*" + Pattern.quote(name) + " = (.*)$", Pattern.MULTILINE)
                .matcher(from < 0 ? "" : output.substring(from));
        return m.find() ? m.group(1).trim() : null;
    }
}
