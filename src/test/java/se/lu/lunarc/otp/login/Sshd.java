package se.lu.lunarc.otp.login;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSSH server in the foreground on a loopback port, with a PAM service of its own: sshd names its PAM
 * service after its program name, so it runs through a symlink called {@code lunarc-otp-test-…} and the PAM
 * stack is {@code /etc/pam.d/lunarc-otp-test-…}, removed again by {@link #close}. Keyboard-interactive only.
 */
final class Sshd implements AutoCloseable {
    private final Path pamService;
    private final Process process;
    private final Path log;
    final int port;

    private Sshd(Path pamService, Process process, Path log, int port) {
        this.pamService = pamService;
        this.process = process;
        this.log = log;
        this.port = port;
    }

    static Sshd start(Path dir, List<String> pamAuthLines, List<String> allowUsers) throws Exception {
        String name = "lunarc-otp-test-" + UUID.randomUUID().toString().substring(0, 8);
        Path pamService = Path.of("/etc/pam.d", name);
        List<String> pam = new ArrayList<>(pamAuthLines);
        pam.add("account required pam_permit.so");
        pam.add("session required pam_permit.so");
        pam.add("password required pam_deny.so");
        Files.write(pamService, pam);

        Files.createDirectories(Path.of("/run/sshd"));
        Path hostKey = dir.resolve("ssh_host_ed25519_key");
        run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", hostKey.toString()));
        int port = freeTcpPort();
        Path config = dir.resolve("sshd_config");
        Files.writeString(config, String.join("\n",
                "Port " + port,
                "ListenAddress 127.0.0.1",
                "HostKey " + hostKey,
                "PidFile none",
                "UsePAM yes",
                "KbdInteractiveAuthentication yes",
                "PasswordAuthentication no",
                "PubkeyAuthentication no",
                "AuthenticationMethods keyboard-interactive",
                "PermitRootLogin no",
                "AllowUsers " + String.join(" ", allowUsers),
                "MaxAuthTries 2",
                "UseDNS no",
                "PrintMotd no",
                "StrictModes no",
                "LogLevel VERBOSE",
                "") );
        Path program = dir.resolve(name);
        Files.createSymbolicLink(program, Path.of("/usr/sbin/sshd"));
        Path log = dir.resolve(name + ".log");
        Process p = new ProcessBuilder(program.toString(), "-D", "-e", "-f", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Sshd sshd = new Sshd(pamService, p, log, port);
        sshd.awaitListening();
        return sshd;
    }

    private void awaitListening() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                close();
                throw new IOException("sshd exited: " + log());
            }
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        close();
        throw new IOException("sshd did not listen: " + log());
    }

    String log() throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    static int freeTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
    }

    /** A config file only root may read (pam_radius_auth's, with the shared secret). */
    static void writePrivate(Path file, String content) throws IOException {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, content);
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Files.deleteIfExists(pamService);
    }
}
