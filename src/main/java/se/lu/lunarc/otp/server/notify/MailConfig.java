package se.lu.lunarc.otp.server.notify;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;

/**
 * The {@code mail:} block: the SMTP server the notifications go through. {@code starttls: required} (the default)
 * refuses to send unless the server offers STARTTLS and its certificate is trusted (the JDK's CAs, or only
 * {@code caFile} when given) for {@code host}; {@code none} is for a relay on this host only. {@code username}
 * and {@code passwordFile} log in when the server asks for it.
 */
public record MailConfig(String host, int port, String starttls, String from, String username, Path passwordFile,
                         Path caFile, int timeoutSeconds) {
    public MailConfig {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("mail.host is required: the SMTP server (or remove the mail block)");
        }
        if (from == null || from.isBlank()) {
            throw new IllegalArgumentException("mail.from is required: the sender address users see");
        }
        port = port <= 0 ? 587 : port;
        starttls = starttls == null ? "required" : starttls;
        if (!starttls.equals("required") && !starttls.equals("none")) {
            throw new IllegalArgumentException("mail.starttls must be required or none, not " + starttls);
        }
        if (starttls.equals("none") && !loopback(host)) {
            throw new IllegalArgumentException("mail.starttls: none sends users' addresses in the clear: it is for "
                    + "a relay on this host only (localhost), not " + host + "; use required");
        }
        if ((username == null) != (passwordFile == null)) {
            throw new IllegalArgumentException("mail: username and passwordFile go together");
        }
        timeoutSeconds = timeoutSeconds <= 0 ? 10 : timeoutSeconds;
    }

    private static boolean loopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    public MailConfig resolvedAgainst(Path base) {
        return new MailConfig(host, port, starttls, from, username,
                passwordFile == null ? null : base.resolve(passwordFile), caFile == null ? null : base.resolve(caFile),
                timeoutSeconds);
    }
}
