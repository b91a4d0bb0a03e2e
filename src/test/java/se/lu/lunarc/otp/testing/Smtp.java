package se.lu.lunarc.otp.testing;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real SMTP server on loopback: Debian's {@code python3-aiosmtpd} (run by the system Python, where apt puts it), delivering into a Maildir that the test reads.
 * With TLS it offers STARTTLS under a certificate made here for 127.0.0.1 and refuses mail before STARTTLS (its
 * default); without, it is a plain relay as on localhost.
 */
public final class Smtp implements AutoCloseable {
    public final int port;
    /** The certificate a client must trust (PEM), or null for the plain server. */
    public final Path caFile;
    private final Path maildir;
    private final Process process;

    private Smtp(int port, Path caFile, Path maildir, Process process) {
        this.port = port;
        this.caFile = caFile;
        this.maildir = maildir;
        this.process = process;
    }

    /** A server that offers STARTTLS and takes no mail without it. */
    public static Smtp withStartTls(Path dir) throws Exception {
        Files.createDirectories(dir);
        Path cert = dir.resolve("smtp-cert.pem");
        Path key = dir.resolve("smtp-key.pem");
        run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key.toString(), "-out", cert.toString()));
        return start(dir, cert, List.of("--tlscert", cert.toString(), "--tlskey", key.toString()));
    }

    /** A plain server, as a relay on localhost is. */
    public static Smtp plain(Path dir) throws Exception {
        Files.createDirectories(dir);
        return start(dir, null, List.of());
    }

    private static Smtp start(Path dir, Path cert, List<String> tls) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path maildir = dir.resolve("maildir-" + port);
        List<String> command = new ArrayList<>(List.of("/usr/bin/python3", "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:" + port,
                "-c", "aiosmtpd.handlers.Mailbox"));
        command.addAll(tls);
        command.add(maildir.toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("aiosmtpd-" + port + ".log").toFile()).start();
        for (int i = 0; i < 100; i++) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return new Smtp(port, cert, maildir, p);
            } catch (IOException notYet) {
                if (!p.isAlive()) {
                    throw new AssertionError("aiosmtpd did not start (apt-get install python3-aiosmtpd): "
                            + Files.readString(dir.resolve("aiosmtpd-" + port + ".log")));
                }
                Thread.sleep(100);
            }
        }
        p.destroy();
        throw new AssertionError("aiosmtpd did not listen on " + port);
    }

    /** The mails delivered so far, oldest first. */
    public List<MimeMessage> messages() throws Exception {
        Path delivered = maildir.resolve("new");
        if (!Files.isDirectory(delivered)) {
            return List.of();
        }
        List<MimeMessage> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(delivered)) {
            for (Path f : files.sorted().toList()) {
                try (InputStream in = Files.newInputStream(f)) {
                    out.add(new MimeMessage(Session.getInstance(new Properties()), in));
                }
            }
        }
        out.sort(java.util.Comparator.comparing(m -> {
            try {
                return m.getSentDate() == null ? new java.util.Date(0) : m.getSentDate();
            } catch (jakarta.mail.MessagingException e) {
                return new java.util.Date(0);
            }
        }));
        return out;
    }

    /** Waits up to 10 s for at least {@code n} mails. */
    public List<MimeMessage> awaitMessages(int n) throws Exception {
        for (int i = 0; i < 100; i++) {
            List<MimeMessage> now = messages();
            if (now.size() >= n) {
                return now;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("waited 10 s for " + n + " mail(s); " + messages().size() + " came");
    }

    private static void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(command.get(0) + " failed: " + out);
        }
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
