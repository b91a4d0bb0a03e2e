package se.lu.lunarc.otp.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.lu.lunarc.otp.api.CreatedToken;
import se.lu.lunarc.otp.api.Token;
import se.lu.lunarc.otp.client.EnrollmentClient;
import se.lu.lunarc.otp.otp.OtpAuthUri;
import se.lu.lunarc.otp.server.store.Database;
import se.lu.lunarc.otp.testing.TestServer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class PersistenceTest {
    @TempDir
    Path dir;

    @Test
    void tokensAndTheirStatesSurviveARestartAndTheDatabaseHoldsNoSecret() throws Exception {
        List<CreatedToken> created;
        try (TestServer server = TestServer.start(dir)) {
            EnrollmentClient c = server.signedIn("alice");
            CreatedToken active = c.createToken("Active one");
            c.activate(active.token().id(), server.codeNow(active));
            CreatedToken disabled = c.createToken("Disabled one");
            c.activate(disabled.token().id(), server.codeNow(disabled));
            c.disable(disabled.token().id());
            CreatedToken pending = c.createToken("Pending one");
            CreatedToken revoked = c.createToken("Revoked one");
            c.revoke(revoked.token().id());
            created = List.of(active, disabled, pending, revoked);

            server.restart();
            server.clock.advance(Duration.ofSeconds(30));
            EnrollmentClient after = server.signedIn("alice");
            assertThat(after.tokens()).extracting(Token::name, Token::status).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("Active one", "active"),
                    org.assertj.core.groups.Tuple.tuple("Disabled one", "disabled"),
                    org.assertj.core.groups.Tuple.tuple("Pending one", "pending"),
                    org.assertj.core.groups.Tuple.tuple("Revoked one", "revoked"));
            // the secret was decrypted with the key file after the restart
            assertThat(after.validate(server.serviceKey(), "alice", server.codeNow(active)).result()).isEqualTo("accept");
            assertThat(after.activate(pending.token().id(), server.codeNow(pending)).status()).isEqualTo("active");
        }

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("secret.key"))))
                .isEqualTo("rw-------");
        try (Database db = Database.open(dir.resolve("lunarc-otp.db"))) {
            assertThat(db.schemaVersion()).isEqualTo(9);
        }
        List<Path> dbFiles;
        try (Stream<Path> files = Files.list(dir)) {
            dbFiles = files.filter(p -> p.getFileName().toString().startsWith("lunarc-otp.db")).toList();
        }
        assertThat(dbFiles).isNotEmpty();
        for (Path f : dbFiles) {
            byte[] raw = Files.readAllBytes(f);
            String asText = new String(raw, StandardCharsets.ISO_8859_1);
            for (CreatedToken t : created) {
                byte[] secret = OtpAuthUri.parse(t.enrollment().otpauthUri()).secret();
                assertThat(asText).as(f + " holds no Base32 secret").doesNotContain(t.enrollment().secret());
                assertThat(asText).as(f + " holds no hex secret")
                        .doesNotContainIgnoringCase(HexFormat.of().formatHex(secret));
                assertThat(indexOf(raw, secret)).as(f + " holds no raw secret").isEqualTo(-1);
            }
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
