package se.lu.lunarc.otp.server.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.lu.lunarc.otp.api.CreatedToken;
import se.lu.lunarc.otp.server.ServerConfig;
import se.lu.lunarc.otp.server.radius.RadClient;
import se.lu.lunarc.otp.server.users.PasswordHasher;
import se.lu.lunarc.otp.testing.CliRun;
import se.lu.lunarc.otp.testing.Smtp;
import se.lu.lunarc.otp.testing.TestRadius;
import se.lu.lunarc.otp.testing.TestServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Users are told of changes to their authenticators (ASVS 2.2.3) and of a replayed code (2.8.5), by SMS through the
 * file gateway and by e-mail through a real SMTP server (aiosmtpd) over STARTTLS, in their language, at most
 * {@code perUser} times per window.
 */
class NotificationsTest {
    private static final String ALICE_MOBILE = "+46701740601";

    @TempDir
    Path dir;

    /** The texts sent to {@code mobile} that carry no code: the notifications. */
    private static List<String> notificationsTo(TestServer server, String mobile) throws Exception {
        List<String> texts = new ArrayList<>();
        Path outbox = server.config.sms().file();
        if (!Files.exists(outbox)) {
            return texts;
        }
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(outbox)) {
            var m = json.readTree(line);
            if (m.get("to").asText().equals(mobile) && m.get("text").asText().startsWith("LUNARC: ")) {
                texts.add(m.get("text").asText());
            }
        }
        return texts;
    }

    private static List<String> awaitNotifications(TestServer server, String mobile, int n) throws Exception {
        for (int i = 0; i < 100; i++) {
            List<String> now = notificationsTo(server, mobile);
            if (now.size() >= n) {
                return now;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("waited for " + n + " notification(s) to " + mobile + ": "
                + notificationsTo(server, mobile));
    }

    private static String body(MimeMessage m) throws Exception {
        return m.getContent().toString();
    }

    private static String auditOf(TestServer server) throws Exception {
        return Files.readString(server.dir.resolve("audit.jsonl"));
    }

    @Test
    void theUserIsToldOfEachChangeBySmsAndByMailOverStartTls() throws Exception {
        try (Smtp smtp = Smtp.withStartTls(dir.resolve("smtp"))) {
            MailConfig mail = new MailConfig("127.0.0.1", smtp.port, "required", "LUNARC <otp@lunarc.example>", null,
                    null, smtp.caFile, 5);
            NotifyConfig notify = new NotifyConfig("en", true, new ServerConfig.Limit(20, 3600),
                    "support@lunarc.example");
            Path data = dir.resolve("data");
            try (TestServer server = TestServer.start(data, c -> c.withNotifications(notify, mail))) {
                CreatedToken phone = server.enrolled("alice", "Phone");
                List<String> sms = awaitNotifications(server, ALICE_MOBILE, 2);
                assertThat(sms).anyMatch(t -> t.startsWith("LUNARC: an authenticator was added to your account by "
                        + "you (from 127.0.0.1) at 2026-11-28 10:00 UTC. Not you? Contact support@lunarc.example."));
                assertThat(sms).anyMatch(t -> t.startsWith("LUNARC: an authenticator was registered to your "
                        + "account by you (from 127.0.0.1)"));
                assertThat(sms).allMatch(t -> t.length() <= 160, "an SMS each");

                List<MimeMessage> mails = smtp.awaitMessages(2);
                for (MimeMessage m : mails) {
                    assertThat(m.getSubject()).isEqualTo("LUNARC: your authenticators changed");
                    assertThat(m.getAllRecipients()).extracting(Object::toString).containsExactly("alice@example.org");
                    assertThat(m.getFrom()[0].toString()).isEqualTo("LUNARC <otp@lunarc.example>");
                }
                assertThat(body(mails.get(0)) + body(mails.get(1))).contains("was added to your account by you",
                        "was registered to your account by you");

                // the user deactivates it in the wizard, then turns it on again
                var alice = server.signedIn("alice");
                alice.disable(phone.token().id());
                assertThat(awaitNotifications(server, ALICE_MOBILE, 3).get(2))
                        .startsWith("LUNARC: an authenticator on your account was deactivated by you (from 127.0.0.1)");
                smtp.awaitMessages(3);
                alice.enable(phone.token().id());

                // a code used twice: refused, and the holder told
                String code = server.codeNow(phone);
                String key = server.serviceKey();
                assertThat(server.client().validate(key, "alice", code, "10.1.1.1").accepted()).isTrue();
                assertThat(server.client().validate(key, "alice", code, "10.1.1.2").reason())
                        .isEqualTo("code_replayed");
                assertThat(awaitNotifications(server, ALICE_MOBILE, 4).get(3))
                        .startsWith("LUNARC: a code from your authenticator was used a second time and refused at ");
                assertThat(smtp.awaitMessages(4)).anyMatch(m -> {
                    try {
                        return m.getSubject().equals("LUNARC: a code of yours was used twice");
                    } catch (Exception e) {
                        return false;
                    }
                });

                // the helpdesk revokes it with its command: the message says so
                Files.writeString(dir.resolve("users.yaml"), "users:\n  - username: alice\n    mobile: \""
                        + ALICE_MOBILE + "\"\n    email: alice@example.org\n    passwordHash: \""
                        + new PasswordHasher().hash("x".toCharArray()) + "\"\n");
                Path config = dir.resolve("server.yaml");
                Files.writeString(config, "listen: 127.0.0.1:0\ndataDir: data\nusers: {file: users.yaml}\n"
                        + "sms: {type: file, file: " + server.config.sms().file() + "}\n"
                        + "notifications: {language: en, contact: support@lunarc.example}\n"
                        + "mail: {host: 127.0.0.1, port: " + smtp.port + ", from: \"LUNARC <otp@lunarc.example>\", "
                        + "caFile: " + smtp.caFile + "}\n");
                CliRun revoked = CliRun.of(List.of("server", "admin", "tokens", "revoke"), phone.token().id(),
                        "--config", config.toString());
                assertThat(revoked.exit()).as(revoked.err()).isZero();
                assertThat(awaitNotifications(server, ALICE_MOBILE, 5).get(4))
                        .startsWith("LUNARC: an authenticator was revoked from your account by the helpdesk at ");
                smtp.awaitMessages(5);

                // the administrator's check that both channels work
                CliRun test = CliRun.of(List.of("server", "admin", "notify-test"), "alice", "--config",
                        config.toString());
                assertThat(test.exit()).as(test.err()).isZero();
                assertThat(test.out()).contains("Test notification to alice: change=test by=helpdesk sent=sms,mail");
                assertThat(awaitNotifications(server, ALICE_MOBILE, 6).get(5))
                        .startsWith("LUNARC: a test of the messages that tell you when your authenticators change");
                smtp.awaitMessages(6);

                String audit = auditOf(server);
                assertThat(audit).contains("\"event\":\"user_notified\"", "change=added by=user sent=sms,mail",
                        "change=deactivated by=user sent=sms,mail", "change=replayed", "change=revoked by=helpdesk sent=sms,mail")
                        .doesNotContain("LUNARC: an authenticator", "support@lunarc.example");
            }
        }
    }

    @Test
    void mailIsNotSentInTheClearToAServerWithoutStartTlsButSmsStillIs() throws Exception {
        try (Smtp plain = Smtp.plain(dir.resolve("smtp"))) {
            MailConfig required = new MailConfig("127.0.0.1", plain.port, "required", "otp@lunarc.example", null,
                    null, null, 5);
            try (TestServer server = TestServer.start(dir.resolve("a"),
                    c -> c.withNotifications(new NotifyConfig(null, null, null, null), required))) {
                server.enrolled("alice", "Phone");
                awaitNotifications(server, ALICE_MOBILE, 2);
                for (int i = 0; i < 50 && !auditOf(server).contains("failed=mail"); i++) {
                    Thread.sleep(100);
                }
                assertThat(auditOf(server)).contains("\"event\":\"user_notification_failed\"", "sent=sms failed=mail");
                assertThat(plain.messages()).as("nothing went out in the clear").isEmpty();
            }
            // a relay on this host may be plain, if the administrator says so
            MailConfig local = new MailConfig("127.0.0.1", plain.port, "none", "otp@lunarc.example", null, null,
                    null, 5);
            try (TestServer server = TestServer.start(dir.resolve("b"),
                    c -> c.withNotifications(new NotifyConfig(null, null, null, null), local))) {
                server.enrolled("alice", "Phone");
                assertThat(plain.awaitMessages(2)).hasSize(2);
            }
        }
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> new MailConfig("smtp.example.org", 25,
                "none", "otp@lunarc.example", null, null, null, 5)))
                .hasMessageContaining("for a relay on this host only");
    }

    @Test
    void messagesPerUserAreCappedSoNobodyCanFloodAPhone() throws Exception {
        NotifyConfig twoAnHour = new NotifyConfig(null, null, new ServerConfig.Limit(2, 3600), null);
        try (TestServer server = TestServer.start(dir.resolve("data"), c -> c.withNotifications(twoAnHour, null))) {
            CreatedToken phone = server.enrolled("alice", "Phone"); // two messages: added, registered
            awaitNotifications(server, ALICE_MOBILE, 2);
            String key = server.serviceKey();
            String code = server.codeNow(phone);
            server.client().validate(key, "alice", code, "10.1.1.1");
            for (int i = 0; i < 5; i++) {
                assertThat(server.client().validate(key, "alice", code, "10.1.1.1").reason())
                        .isEqualTo("code_replayed");
            }
            for (int i = 0; i < 50 && auditOf(server).split("user_notification_throttled", -1).length < 6; i++) {
                Thread.sleep(100);
            }
            assertThat(auditOf(server).split("\"event\":\"user_notification_throttled\"", -1)).hasSize(6);
            assertThat(notificationsTo(server, ALICE_MOBILE)).hasSize(2);
        }
    }

    @Test
    void anSmsFallbackLoginIsToldInTheSitesLanguage() throws Exception {
        NotifyConfig swedish = new NotifyConfig("sv", null, null, "LUNARC:s support");
        try (TestServer server = TestServer.start(dir.resolve("data"), 1, c -> c.withNotifications(swedish, null));
             TestRadius radius = TestRadius.start(server, "challenge", ServerConfig.Radius.SMS, false)) {
            RadClient asked = RadClient.send(radius.port, radius.secret, "User-Name = user00",
                    "User-Password = user00-pw");
            assertThat(asked.received()).isEqualTo("Access-Challenge");
            RadClient accepted = RadClient.send(radius.port, radius.secret, "User-Name = user00",
                    "User-Password = " + server.lastSmsCode("user00"), "State = " + asked.attribute("State"));
            assertThat(accepted.received()).isEqualTo("Access-Accept");
            assertThat(awaitNotifications(server, "+46701740610", 1).get(0))
                    .startsWith("LUNARC: du loggade in med en kod som skickades per sms 2026-11-28 10:00 UTC.")
                    .endsWith("Inte du? Kontakta LUNARC:s support.");
        }
    }
}
