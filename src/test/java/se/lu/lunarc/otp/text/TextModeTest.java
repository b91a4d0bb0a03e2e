package se.lu.lunarc.otp.text;

import se.lu.lunarc.otp.client.ApiException;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.lu.lunarc.otp.otp.OtpAuthUri;
import se.lu.lunarc.otp.otp.Totp;
import se.lu.lunarc.otp.testing.HardwareFobs;
import se.lu.lunarc.otp.testing.TestServer;
import se.lu.lunarc.otp.app.ClientSettings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** `lunarc-otp text` against the real backend, through its stdin and stdout. */
class TextModeTest {
    @TempDir
    Path dir;
    TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(dir);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    ClientSettings settings() {
        return new ClientSettings(server.server().baseUri(), null, Duration.ofSeconds(3), Duration.ofSeconds(5),
                "Pocket Pass", null, Locale.ENGLISH, Duration.ofMinutes(5));
    }

    void signIn(TextSession s) throws Exception {
        s.expect("Username: ");
        s.type("alice");
        s.expect("Password (not shown): ");
        s.type("alice-pw");
        s.expect("Code from the SMS");
        s.type(server.lastSmsCode("alice"));
        s.expect("> ");
    }

    /** Signs in, asks for a new token called {@code name}, and returns what is shown up to the code prompt. */
    String newTokenScreen(TextSession s, String name) throws Exception {
        signIn(s);
        s.type("n");
        s.expect("Enter a display name for your device (empty: back to the list): ");
        s.type(name);
        return s.expect("First code from the app");
    }

    /** Turns the half-block QR code in the output back into pixels (each character: two module rows). */
    static String decodeHalfBlocks(String output) throws Exception {
        List<String> rows = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (line.startsWith(TerminalQr.BLACK_ON_WHITE)) {
                rows.add(line.substring(TerminalQr.BLACK_ON_WHITE.length(), line.length() - TerminalQr.RESET.length()));
            }
        }
        int scale = 4;
        int w = rows.get(0).length();
        int h = rows.size() * 2;
        int[] px = new int[w * scale * h * scale];
        for (int r = 0; r < rows.size(); r++) {
            for (int x = 0; x < w; x++) {
                char c = rows.get(r).charAt(x);
                boolean top = c == '█' || c == '▀';
                boolean bottom = c == '█' || c == '▄';
                paint(px, w * scale, x, 2 * r, top, scale);
                paint(px, w * scale, x, 2 * r + 1, bottom, scale);
            }
        }
        return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(
                new RGBLuminanceSource(w * scale, h * scale, px)))).getText();
    }

    private static void paint(int[] px, int stride, int mx, int my, boolean dark, int scale) {
        for (int dy = 0; dy < scale; dy++) {
            for (int dx = 0; dx < scale; dx++) {
                px[(my * scale + dy) * stride + mx * scale + dx] = dark ? 0xFF000000 : 0xFFFFFFFF;
            }
        }
    }

    @Test
    void theUserSeesTheirSessionsAndEndsTheOthers() throws Exception {
        var elsewhere = server.signedInFrom("alice", "127.0.0.5");
        try (TextSession s = new TextSession(settings(), TerminalQr.Style.UNICODE, 100)) {
            signIn(s);
            s.type("s");
            String listed = s.expect("> ");
            assertThat(listed).contains("Signed-in sessions", "* This session: from 127.0.0.1, since ",
                    "  From 127.0.0.5, since ", "e = end the other sessions, Enter = back");
            s.type("e");
            assertThat(s.expect("> ")).contains("Ended 1 other session.");
            ApiException ended = catchThrowableOfType(elsewhere::sessions, ApiException.class);
            assertThat(ended).as("the session elsewhere has ended").isNotNull();
            assertThat(ended.status()).isEqualTo(401);
            s.type("s");
            assertThat(s.expect("> ")).contains("* This session: from 127.0.0.1").doesNotContain("From 127.0.0.5")
                    .doesNotContain("e = end the other sessions");
        }
    }

    @Test
    void aReplayedCodeIsShownOnTheTokenAtTheNextSignIn() throws Exception {
        var token = server.enrolled("alice", "Phone");
        String code = server.codeNow(token);
        server.client().validate(server.serviceKey(), "alice", code);
        assertThat(server.client().validate(server.serviceKey(), "alice", code).reason()).isEqualTo("code_replayed");
        try (TextSession s = new TextSession(settings(), TerminalQr.Style.UNICODE, 100)) {
            signIn(s);
            s.type("1");
            assertThat(s.expect("> ")).contains("! A code from this token was used a second time on",
                    "revoke this token and contact support");
        }
    }

    @Test
    void wholeEnrollmentInTheTerminalWithTheQrDecodedFromTheText() throws Exception {
        try (TextSession s = new TextSession(settings(), TerminalQr.Style.UNICODE, 100)) {
            s.expect("Username: ");
            s.type("alice");
            s.expect("Password (not shown): ");
            s.type("wrong");
            String refused = s.expect("Username: ");
            assertThat(refused).contains("Solving the \"I am a human\" check automatically", "Wrong username or password");
            s.type("alice");
            s.expect("Password (not shown): ");
            s.type("alice-pw");
            String sent = s.expect("Code from the SMS");
            assertThat(sent).contains("We sent a code to +46 70*** **01.", "Valid for 5 minutes.");
            String right = server.lastSmsCode("alice");
            s.type(right.equals("000000") ? "111111" : "000000");
            assertThat(s.expect("Code from the SMS")).contains("That code is not correct. 4 tries left.");
            s.type(right);
            String account = s.expect("> ");
            assertThat(account).contains("Name: User alice", "Username: alice", "E-mail: alice@example.org",
                    "Mobile phone: +46 70*** **01", "Affiliation: Lund University", "You have no tokens yet");

            s.type("n");
            s.expect("Enter a display name for your device (empty: back to the list): ");
            s.type("   "); // nothing: back to the list, the name step's way out
            s.expect("> ");
            s.type("n");
            s.expect("Enter a display name for your device (empty: back to the list): ");
            s.type("Terminal phone");
            String qr = s.expect("First code from the app");
            String uriText = decodeHalfBlocks(qr);
            OtpAuthUri uri = OtpAuthUri.parse(uriText);
            assertThat(uri.account()).isEqualTo("alice");
            Matcher key = Pattern.compile("Key: ([A-Z2-7 ]+)").matcher(qr);
            assertThat(key.find()).isTrue();
            assertThat(key.group(1).replace(" ", "")).isEqualTo(uri.secretBase32());
            assertThat(key.group(1)).matches("([A-Z2-7]{4} )*[A-Z2-7]{1,4}");
            assertThat(qr).contains("1. Start the Pocket Pass app", "TOTP", "SHA-1", "6 digits", "30 seconds");
            // no code is echoed: the line after the prompt stays empty
            s.type(uri.totp().code(uri.secret(), server.clock.instant()));
            String done = s.expect("> ");
            assertThat(done).contains("\u001b[J", "(The QR code and key were cleared from the screen.)",
                    "Pocket Pass activated successfully: \"Terminal phone\" is active.", "1. Terminal phone  [Active]");

            // the token's actions: rename, deactivate, reactivate, synchronize, revoke
            s.type("1");
            assertThat(s.expect("> ")).contains("d = Deactivate, e = Edit, s = Synchronize, x = Revoke, Enter = back", "Expires:");
            s.type("e");
            s.expect("Name: ");
            s.type("Work phone");
            assertThat(s.expect("> ")).contains("The token is now called \"Work phone\".");
            s.type("1");
            s.expect("> ");
            s.type("d");
            assertThat(s.expect("> ")).contains("1. Work phone  [Deactivated]");
            s.type("1");
            s.expect("> ");
            s.type("a");
            assertThat(s.expect("> ")).contains("1. Work phone  [Active]");
            server.clock.advance(Duration.ofSeconds(90));
            long step = uri.totp().step(server.clock.instant());
            s.type("1");
            s.expect("> ");
            s.type("s");
            s.expect("First code: ");
            s.type(uri.totp().code(uri.secret(), step - 1));
            s.expect("Next code: ");
            s.type(uri.totp().code(uri.secret(), step));
            assertThat(s.expect("> ")).contains("Token \"Work phone\" is synchronized.");
            s.type("1");
            s.expect("> ");
            s.type("x");
            assertThat(s.expect("Type yes to confirm: ")).contains("Revoke \"Work phone\"?");
            s.type("yes");
            assertThat(s.expect("> ")).contains("1. Work phone  [Revoked]");
            s.type("q");
            s.expect("You have logged out.");
            assertThat(s.exitCode()).isZero();
            assertThat(s.output()).doesNotContain("alice-pw").doesNotContain(right + "\n");

            Path transcript = Path.of("target", "text-mode-transcript.txt");
            Files.createDirectories(transcript.getParent());
            Files.writeString(transcript, s.output());
        }
    }

    @Test
    void aKeyFobIsRegisteredInTheTerminalAndThenLogsIn() throws Exception {
        byte[] seed = "a fob's seed, twenty".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Totp fob = new Totp("SHA1", 6, 30);
        HardwareFobs.importInto(server, dir, HardwareFobs.write(dir.resolve("fobs.pskc"), seed, "FOB-0001"));
        try (TextSession s = new TextSession(settings(), TerminalQr.Style.UNICODE, 100)) {
            signIn(s);
            s.type("h");
            assertThat(s.expect("Serial number printed on the token (empty = back): ")).contains("Register hardware token");
            s.type("FOB-0001");
            s.expect("Code the token shows now, not shown: ");
            String right = fob.code(seed, server.clock.instant());
            s.type(right.equals("000000") ? "111111" : "000000");
            s.expect("Display name (empty = \"Hardware token FOB-0001\"): ");
            s.type("");
            assertThat(s.expect("Serial number printed on the token (empty = back): "))
                    .contains("! The serial number and the code do not match a hardware token you can register.")
                    .doesNotContain("tries left");
            s.type("FOB-0001");
            s.expect("Code the token shows now, not shown: ");
            s.type(right);
            s.expect("Display name (empty = \"Hardware token FOB-0001\"): ");
            s.type("");
            assertThat(s.expect("> ")).contains("* \"Hardware token FOB-0001\" is registered and active",
                    "1. Hardware token FOB-0001  [Active]");
            s.type("q");
            s.expect("You have logged out.");
        }
        server.clock.advance(Duration.ofSeconds(30));
        assertThat(server.client().validate(server.serviceKey(), "alice", fob.code(seed, server.clock.instant()))
                .accepted()).isTrue();
    }

    @Test
    void tooNarrowATerminalGetsTheKeyInsteadOfABrokenPicture() throws Exception {
        try (TextSession s = new TextSession(settings(), TerminalQr.Style.UNICODE, 30)) {
            String qr = newTokenScreen(s, "Phone");
            assertThat(qr).contains("The terminal is too narrow for the QR code").contains("Key: ")
                    .doesNotContain(TerminalQr.BLACK_ON_WHITE);
            s.type("c");
            assertThat(s.expect("> ")).contains("is pending", "1. Phone  [Pending activation]");
        }
    }

    @Test
    void asciiQrForTerminalsWithoutUnicode() throws Exception {
        try (TextSession s = new TextSession(settings(), TerminalQr.Style.ASCII, 120)) {
            String qr = newTokenScreen(s, "Phone");
            assertThat(qr).contains("##").doesNotContain("█");
            for (String line : qr.split("\n")) {
                if (line.contains(TerminalQr.BLACK_ON_BLACK) || line.startsWith(TerminalQr.BLACK_ON_WHITE)) {
                    assertThat(line.replaceAll("\u001b\\[[0-9;]*m", "")).matches("[# ]+");
                }
            }
        }
    }
    /** The user's sessions as the store keeps them. */
    private long sessionsOf(String user) throws Exception {
        try (var db = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("lunarc-otp.db"));
             var p = db.prepareStatement("SELECT count(*) FROM sessions WHERE username = ?")) {
            p.setString(1, user);
            try (var r = p.executeQuery()) {
                return r.getLong(1);
            }
        }
    }

    @Test
    void endOfInputWhileSignedInEndsTheSessionOnTheServerAsQWould() throws Exception {
        try (TextSession s = new TextSession(settings(), TerminalQr.Style.UNICODE, 100)) {
            signIn(s);
            assertThat(sessionsOf("alice")).isEqualTo(1);
            assertThat(s.exitCode()).as("Ctrl-D").isZero();
        }
        assertThat(sessionsOf("alice")).as("the session ended with the terminal").isZero();
    }

    @Test
    void theNameStepHasAWayBackToTheListAtTheTokenCapToo() throws Exception {
        var alice = server.signedIn("alice");
        for (int i = 1; i <= 5; i++) {
            alice.createToken("Device " + i);
        }
        try (TextSession s = new TextSession(settings(), TerminalQr.Style.UNICODE, 100)) {
            signIn(s);
            s.type("n");
            s.expect("(empty: back to the list): ");
            s.type("");
            assertThat(s.expect("> ")).contains("5. Device 5");
            s.type("q");
            s.expect("You have logged out.");
        }
    }
}
