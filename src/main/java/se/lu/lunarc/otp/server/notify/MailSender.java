package se.lu.lunarc.otp.server.notify;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import se.lu.lunarc.otp.server.secrets.ConfigFiles;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Instant;
import java.util.Date;
import java.util.Properties;

/**
 * Sends one plain-text e-mail through the configured SMTP server with Jakarta Mail (Eclipse Angus): STARTTLS
 * required and the server's name checked against its certificate unless {@code starttls: none} (localhost only),
 * every wait bounded by {@code timeoutSeconds}.
 */
final class MailSender {
    private final MailConfig config;
    private final Session session;
    private final String password;

    MailSender(MailConfig config) throws IOException, GeneralSecurityException {
        this.config = config;
        Properties p = new Properties();
        p.put("mail.smtp.host", config.host());
        p.put("mail.smtp.port", Integer.toString(config.port()));
        String millis = Integer.toString(config.timeoutSeconds() * 1000);
        p.put("mail.smtp.connectiontimeout", millis);
        p.put("mail.smtp.timeout", millis);
        p.put("mail.smtp.writetimeout", millis);
        if (config.starttls().equals("required")) {
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true");
            p.put("mail.smtp.ssl.checkserveridentity", "true");
            p.put("mail.smtp.ssl.protocols", "TLSv1.3 TLSv1.2");
            if (config.caFile() != null) {
                p.put("mail.smtp.ssl.socketFactory", trusting(config).getSocketFactory());
            }
        }
        if (config.username() != null) {
            p.put("mail.smtp.auth", "true");
            this.password = ConfigFiles.readString(config.passwordFile(), "mail.passwordFile").strip();
        } else {
            this.password = null;
        }
        this.session = Session.getInstance(p);
    }

    /** An SSL context that trusts only the certificates in {@code caFile} (PEM). */
    private static SSLContext trusting(MailConfig config) throws IOException, GeneralSecurityException {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(config.caFile())) {
            int n = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trusted.setCertificateEntry("ca-" + n++, c);
            }
            if (n == 0) {
                throw new IOException("mail.caFile " + config.caFile() + " holds no PEM certificate");
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        return tls;
    }

    void send(String to, String subject, String text, Instant at) throws MessagingException {
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress(config.from(), true));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress(to, true)); // strict: no header injection
        m.setSubject(subject, "UTF-8");
        m.setText(text, "UTF-8");
        m.setSentDate(Date.from(at));
        if (config.username() != null) {
            Transport.send(m, config.username(), password);
        } else {
            Transport.send(m);
        }
    }
}
