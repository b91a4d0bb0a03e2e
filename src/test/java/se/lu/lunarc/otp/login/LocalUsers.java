package se.lu.lunarc.otp.login;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Unix accounts the test creates for sshd (it logs in only users it can find) and removes afterwards. */
final class LocalUsers implements AutoCloseable {
    private final List<String> created = new ArrayList<>();

    /** Creates {@code name} without a home folder; with a Unix password when {@code password} is not null. */
    void add(String name, String password) throws IOException, InterruptedException {
        remove(name);
        Sshd.run(List.of("useradd", "--no-create-home", "--home-dir", "/nonexistent", "--shell", "/bin/sh",
                "--comment", "lunarc-otp test user", name));
        created.add(name);
        if (password != null) {
            Process p = new ProcessBuilder("chpasswd").redirectErrorStream(true).start();
            try (OutputStream in = p.getOutputStream()) {
                in.write((name + ":" + password + "\n").getBytes(StandardCharsets.UTF_8));
            }
            p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("chpasswd failed for " + name);
            }
        }
    }

    private static void remove(String name) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("userdel", name).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        p.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        for (String name : created) {
            remove(name);
        }
    }
}
