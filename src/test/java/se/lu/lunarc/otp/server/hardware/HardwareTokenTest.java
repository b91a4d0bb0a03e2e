package se.lu.lunarc.otp.server.hardware;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.lu.lunarc.otp.api.Token;
import se.lu.lunarc.otp.client.ApiException;
import se.lu.lunarc.otp.client.EnrollmentClient;
import se.lu.lunarc.otp.otp.Hotp;
import se.lu.lunarc.otp.otp.Totp;
import se.lu.lunarc.otp.server.ServerConfig;
import se.lu.lunarc.otp.server.radius.RadClient;
import se.lu.lunarc.otp.testing.CliRun;
import se.lu.lunarc.otp.testing.HardwareFobs;
import se.lu.lunarc.otp.testing.TestRadius;
import se.lu.lunarc.otp.testing.TestServer;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Hardware tokens end to end against the real backend: seeds imported with the command, registered by users over
 * HTTP with the code the token shows, then logging in through {@code /validate} and RADIUS, with codes computed
 * from the seeds (RFC 6030's HOTP example token, and a TOTP fob).
 */
class HardwareTokenTest {
    static final byte[] RFC_SECRET = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    static final byte[] FOB_SECRET = "a fob's seed, twenty".getBytes(StandardCharsets.US_ASCII);
    static final Hotp HOTP8 = new Hotp(8);

    @TempDir
    Path dir;

    private Path config;

    private TestServer siteWithImportedTokens() throws Exception {
        TestServer server = TestServer.start(dir.resolve("data"), null, 1); // alice and user00
        config = dir.resolve("server.yaml");
        Files.writeString(config, "listen: 127.0.0.1:0\ndataDir: data\nusers: {file: users.yaml}\n");
        Path hotp = dir.resolve("event-tokens.pskcxml");
        try (InputStream in = getClass().getResourceAsStream("rfc6030-figure3.pskcxml")) {
            Files.write(hotp, in.readAllBytes());
        }
        Path fobs = HardwareFobs.write(dir.resolve("fobs.pskc"), FOB_SECRET, "FOB-0001", "FOB-0002");
        for (Path file : List.of(hotp, fobs)) {
            CliRun imported = CliRun.of(List.of("server", "tokens", "import"), file.toString(), "--config",
                    config.toString());
            assertThat(imported.exit()).as(imported.err()).isZero();
        }
        return server;
    }

    private static ApiException refused(ThrowingCall call) {
        ApiException e = catchThrowableOfType(call::run, ApiException.class);
        assertThat(e).as("refused").isNotNull();
        return e;
    }

    interface ThrowingCall {
        void run() throws Exception;
    }

    @Test
    void aUserRegistersAnEventTokenAndLogsInWithIt() throws Exception {
        try (TestServer server = siteWithImportedTokens()) {
            EnrollmentClient alice = server.signedIn("alice");
            ApiException unknown = refused(() -> alice.registerHardwareToken("NO-SUCH-SERIAL", HOTP8.code(RFC_SECRET, 0)));
            ApiException wrongCode = refused(() -> alice.registerHardwareToken("987654321", "00000000"));
            assertThat(unknown.code()).isEqualTo("code_invalid");
            assertThat(wrongCode.code()).isEqualTo(unknown.code());
            assertThat(wrongCode.getMessage()).as("one answer for both").isEqualTo(unknown.getMessage());

            Token registered = alice.registerHardwareToken(" 987654321 ", HOTP8.code(RFC_SECRET, 0));
            assertThat(registered.name()).isEqualTo("Hardware token 987654321");
            assertThat(registered.status()).isEqualTo("active");
            assertThat(registered.type()).isEqualTo("hotp");
            assertThat(alice.tokens()).extracting(Token::name).contains("Hardware token 987654321");

            // someone else with the same serial number, and even a right code, gets the same answer
            EnrollmentClient other = server.signedIn("user00");
            ApiException taken = refused(() -> other.registerHardwareToken("987654321", HOTP8.code(RFC_SECRET, 1)));
            assertThat(taken.getMessage()).isEqualTo(unknown.getMessage());

            String key = server.serviceKey();
            EnrollmentClient bridge = server.client();
            assertThat(bridge.validate(key, "alice", HOTP8.code(RFC_SECRET, 1)).accepted()).isTrue();
            assertThat(bridge.validate(key, "alice", HOTP8.code(RFC_SECRET, 1)).reason()).isEqualTo("code_replayed");
            assertThat(bridge.validate(key, "alice", HOTP8.code(RFC_SECRET, 5)).accepted())
                    .as("three presses without logging in: within the look-ahead").isTrue();
            assertThat(bridge.validate(key, "alice", HOTP8.code(RFC_SECRET, 3)).accepted())
                    .as("a code behind the counter").isFalse();
            assertThat(bridge.validate(key, "alice", HOTP8.code(RFC_SECRET, 17)).accepted())
                    .as("beyond the look-ahead of 10").isFalse();

            // resync after many presses: two consecutive codes within 100
            Token synced = alice.resync(registered.id(), HOTP8.code(RFC_SECRET, 60), HOTP8.code(RFC_SECRET, 61));
            assertThat(synced.status()).isEqualTo("active");
            assertThat(bridge.validate(key, "alice", HOTP8.code(RFC_SECRET, 61)).accepted()).as("spent by resync")
                    .isFalse();
            assertThat(bridge.validate(key, "alice", HOTP8.code(RFC_SECRET, 62)).accepted()).isTrue();

            // and over RADIUS, as the cluster's login asks (the site's PAM checked the password)
            try (TestRadius radius = TestRadius.start(server, ServerConfig.RadiusClient.OTP_ONLY,
                    ServerConfig.Radius.REJECT, false)) {
                RadClient login = RadClient.send(radius.port, radius.secret, "User-Name = alice",
                        "User-Password = " + HOTP8.code(RFC_SECRET, 63));
                assertThat(login.received()).isEqualTo("Access-Accept");
                RadClient again = RadClient.send(radius.port, radius.secret, "User-Name = alice",
                        "User-Password = " + HOTP8.code(RFC_SECRET, 63));
                assertThat(again.received()).isEqualTo("Access-Reject");
            }
            // concatenated mode: the password, then the 8 digits the event token shows
            try (TestRadius radius = TestRadius.start(server, ServerConfig.RadiusClient.CONCATENATED,
                    ServerConfig.Radius.REJECT, false)) {
                RadClient login = RadClient.send(radius.port, radius.secret, "User-Name = alice",
                        "User-Password = alice-pw" + HOTP8.code(RFC_SECRET, 64));
                assertThat(login.received()).isEqualTo("Access-Accept");
                RadClient wrongPassword = RadClient.send(radius.port, radius.secret, "User-Name = alice",
                        "User-Password = alice-pX" + HOTP8.code(RFC_SECRET, 65));
                assertThat(wrongPassword.received()).isEqualTo("Access-Reject");

                // with a phone app beside it, either length goes, each after the right password only
                var phone = server.enrolled("alice", "Phone");
                server.clock.advance(Duration.ofSeconds(30));
                assertThat(RadClient.send(radius.port, radius.secret, "User-Name = alice",
                        "User-Password = alice-pw" + server.codeNow(phone)).received()).isEqualTo("Access-Accept");
                assertThat(RadClient.send(radius.port, radius.secret, "User-Name = alice",
                        "User-Password = alice-pw" + HOTP8.code(RFC_SECRET, 65)).received()).isEqualTo("Access-Accept");
            }

            String audit = Files.readString(server.dir.resolve("audit.jsonl"));
            assertThat(audit).contains("\"event\":\"hardware_token_registered\"", "serial=987654321",
                    "\"event\":\"hardware_token_register_failed\"", "serial=NO-SUCH-SERIAL");
            assertThat(audit).doesNotContain(HOTP8.code(RFC_SECRET, 0));
        }
    }

    @Test
    void theHelpdeskReturnsATokenToThePoolForTheNextUser() throws Exception {
        try (TestServer server = siteWithImportedTokens()) {
            EnrollmentClient alice = server.signedIn("alice");
            Token first = alice.registerHardwareToken("987654321", HOTP8.code(RFC_SECRET, 0));
            String key = server.serviceKey();
            assertThat(server.client().validate(key, "alice", HOTP8.code(RFC_SECRET, 1)).accepted()).isTrue();

            CliRun unassign = CliRun.of(List.of("server", "admin", "tokens", "unassign"), "987654321", "--config",
                    config.toString(), "--json");
            assertThat(unassign.exit()).as(unassign.err()).isZero();
            assertThat(unassign.out().strip()).isEqualTo("{\"serial\":\"987654321\",\"wasAssignedTo\":\"alice\"}");
            assertThat(alice.tokens()).filteredOn(t -> t.id().equals(first.id())).extracting(Token::status)
                    .containsExactly("revoked");
            assertThat(server.client().validate(key, "alice", HOTP8.code(RFC_SECRET, 2)).accepted()).isFalse();

            // the next holder: codes alice spent are behind the counter now; the next one registers
            EnrollmentClient next = server.signedIn("user00");
            ApiException spent = refused(() -> next.registerHardwareToken("987654321", HOTP8.code(RFC_SECRET, 1)));
            assertThat(spent.code()).isEqualTo("code_invalid");
            assertThat(next.registerHardwareToken("987654321", HOTP8.code(RFC_SECRET, 2)).status()).isEqualTo("active");

            CliRun unknown = CliRun.of(List.of("server", "admin", "tokens", "unassign"), "NOPE", "--config",
                    config.toString());
            assertThat(unknown.exit()).isEqualTo(1);
            assertThat(unknown.err()).contains("No hardware token with the serial number NOPE");
            assertThat(Files.readString(server.dir.resolve("audit.jsonl")))
                    .contains("\"event\":\"hardware_token_unassigned\"", "serial=987654321 by=");
        }
    }

    @Test
    void aTimeTokenRegistersWithItsCodeAndTriesPerSerialAreLimited() throws Exception {
        try (TestServer server = siteWithImportedTokens()) {
            Totp totp = new Totp("SHA1", 6, 30);
            EnrollmentClient user = server.signedIn("user00");
            ApiException badName = refused(() -> user.registerHardwareToken("FOB-0001",
                    totp.code(FOB_SECRET, server.clock.instant()), "Lab\u0007fob"));
            assertThat(badName.code()).as("a name the rules refuse, before any code is checked").isEqualTo("name_invalid");
            Token fob = user.registerHardwareToken("FOB-0001", totp.code(FOB_SECRET, server.clock.instant()));
            assertThat(fob.name()).as("no name chosen: the serial number's").isEqualTo("Hardware token FOB-0001");
            assertThat(fob.type()).isEqualTo("totp");
            server.clock.advance(Duration.ofSeconds(30));
            assertThat(server.client().validate(server.serviceKey(), "user00",
                    totp.code(FOB_SECRET, server.clock.instant())).accepted()).isTrue();

            // someone trying codes for a serial number: ten tries an hour, whoever makes them
            EnrollmentClient guesser = server.signedIn("alice");
            for (int i = 0; i < 10; i++) {
                String guess = String.format("%06d", i);
                ApiException e = refused(() -> guesser.registerHardwareToken("FOB-0002", guess));
                assertThat(e.code()).as("try " + (i + 1)).isIn("code_invalid", "rate_limited");
            }
            ApiException limited = refused(() -> user.registerHardwareToken("FOB-0002",
                    totp.code(FOB_SECRET, server.clock.instant())));
            assertThat(limited.code()).isEqualTo("rate_limited");
        }
    }
    @Test
    void aSerialRegisteredThisHourAnswersAsManyTriesAsAnUnknownOne() throws Exception {
        try (TestServer server = siteWithImportedTokens()) {
            EnrollmentClient alice = server.signedIn("alice");
            Token fob = alice.registerHardwareToken("FOB-0001",
                    new Totp("SHA1", 6, 30).code(FOB_SECRET, server.clock.instant()));
            alice.rename(fob.id(), "My fob");
            // the helpdesk finds the serial number that unassign takes, whatever the user called the token
            CliRun listed = CliRun.of(List.of("server", "admin"), "tokens", "list", "alice", "--config",
                    config.toString());
            assertThat(listed.out()).contains(fob.id() + "  active    My fob  hardware FOB-0001 (totp, 6 digits)");
            // someone else tries that serial and one nobody has: each takes its 10 tries before the limit
            EnrollmentClient other = server.signedIn("user00");
            for (String serial : List.of("FOB-0001", "NO-SUCH-SERIAL")) {
                int tries = 0;
                ApiException e;
                do {
                    e = refused(() -> other.registerHardwareToken(serial, "000000"));
                    tries++;
                } while (e.code().equals("code_invalid") && tries < 20);
                assertThat(e.code()).isEqualTo("rate_limited");
                assertThat(tries - 1).as("tries answered before the limit, serial " + serial).isEqualTo(10);
                server.clock.advance(Duration.ofMinutes(11)); // past the user's own limit, within the serials'
            }
        }
    }
    /** The site with 8-digit, 60-second TOTP fobs imported, as some vendors make them. */
    private TestServer siteWithSlowFobs(String... serials) throws Exception {
        TestServer server = TestServer.start(dir.resolve("data"), null, 1);
        HardwareFobs.importInto(server, dir, HardwareFobs.write(dir.resolve("slow.pskc"), FOB_SECRET, 8, 60, serials));
        return server;
    }

    @Test
    void anEightDigitSixtySecondFobWhoseClockRanAheadIsResynchronized() throws Exception {
        Totp fob = new Totp("SHA1", 8, 60);
        try (TestServer server = siteWithSlowFobs("SLOW-0001")) {
            EnrollmentClient alice = server.signedIn("alice");
            Token registered = alice.registerHardwareToken("SLOW-0001", fob.code(FOB_SECRET, server.clock.instant()));
            assertThat(registered.digits()).as("the API says how long its codes are").isEqualTo(8);
            assertThat(alice.tokens()).extracting(Token::digits).containsExactly(8);
            // a week in a drawer: its clock is now five minutes ahead, five of its steps
            server.clock.advance(Duration.ofMinutes(10));
            java.time.Instant fobTime = server.clock.instant().plus(Duration.ofMinutes(5));
            String key = server.serviceKey();
            assertThat(server.client().validate(key, "alice", fob.code(FOB_SECRET, fobTime)).reason())
                    .as("too far off to log in").isEqualTo("code_invalid");
            Token synced = alice.resync(registered.id(), fob.code(FOB_SECRET, fobTime),
                    fob.code(FOB_SECRET, fobTime.plusSeconds(60)));
            assertThat(synced.status()).isEqualTo("active");
            server.clock.advance(Duration.ofMinutes(2));
            assertThat(server.client().validate(key, "alice",
                    fob.code(FOB_SECRET, server.clock.instant().plus(Duration.ofMinutes(5)))).accepted())
                    .as("its codes log in again, five minutes ahead").isTrue();
        }
    }

    @Test
    void aFobWhoseClockDriftsStepByStepKeepsLoggingInAsItsOffsetIsLearned() throws Exception {
        Totp fob = new Totp("SHA1", 6, 30);
        try (TestServer server = siteWithImportedTokens()) {
            EnrollmentClient alice = server.signedIn("alice");
            alice.registerHardwareToken("FOB-0001", fob.code(FOB_SECRET, server.clock.instant()));
            String key = server.serviceKey();
            // each day its clock is 30 s further ahead: each login is one step off from the one before
            for (int day = 1; day <= 6; day++) {
                server.clock.advance(Duration.ofDays(1));
                java.time.Instant fobTime = server.clock.instant().plusSeconds(30L * day);
                assertThat(server.client().validate(key, "alice", fob.code(FOB_SECRET, fobTime)).accepted())
                        .as("day %d, the fob %d s ahead", day, 30 * day).isTrue();
            }
        }
    }
}
