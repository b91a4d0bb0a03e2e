package se.lu.lunarc.otp.server.hardware;

import org.junit.jupiter.api.Test;
import se.lu.lunarc.otp.otp.Hotp;
import se.lu.lunarc.otp.otp.Totp;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The example documents of RFC 6030 (plaintext, pre-shared key, PBKDF2) read into seeds whose codes are RFC 4226's;
 * and files with a fault give no seed at all, with a message saying what is wrong.
 */
class PskcTest {
    /** RFC 4226's test secret, which RFC 6030's encrypted examples carry. */
    static final byte[] RFC_SECRET = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    static final Pskc.Unlock FIGURE6_KEY = new Pskc.Unlock.PreSharedKey(
            HexFormat.of().parseHex("12345678901234567890123456789012"));
    static final Pskc.Unlock FIGURE7_PASSPHRASE = new Pskc.Unlock.Passphrase("qwerty".toCharArray());

    private static String figure(String name) throws IOException {
        try (InputStream in = PskcTest.class.getResourceAsStream("rfc6030-" + name + ".pskcxml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static List<Pskc.Seed> read(String document, Pskc.Unlock unlock) throws Exception {
        return Pskc.read(new ByteArrayInputStream(document.getBytes(StandardCharsets.UTF_8)), unlock);
    }

    private static String refusal(String document, Pskc.Unlock unlock) {
        Pskc.Refused refused = catchThrowableOfType(() -> read(document, unlock), Pskc.Refused.class);
        assertThat(refused).as("refused").isNotNull();
        return refused.getMessage();
    }

    @Test
    void figure3PlaintextWithDeviceInfo() throws Exception {
        List<Pskc.Seed> seeds = read(figure("figure3"), new Pskc.Unlock.None());
        assertThat(seeds).hasSize(1);
        Pskc.Seed seed = seeds.get(0);
        assertThat(seed.serial()).isEqualTo("987654321");
        assertThat(seed.manufacturer()).isEqualTo("Manufacturer");
        assertThat(seed.kind()).isEqualTo(Pskc.Kind.HOTP);
        assertThat(seed.digits()).isEqualTo(8);
        assertThat(seed.counter()).isZero();
        assertThat(seed.secret()).isEqualTo(RFC_SECRET);
        assertThat(new Hotp(8).code(seed.secret(), 0)).isEqualTo("84755224"); // RFC 4226 Appendix D, 8 digits
        assertThat(seed.toString()).doesNotContain("12345678901234567890").doesNotContain("[B@");
    }

    @Test
    void figure6PreSharedAesKeyWithItsMacChecked() throws Exception {
        Pskc.Seed seed = read(figure("figure6"), FIGURE6_KEY).get(0);
        assertThat(seed.serial()).isEqualTo("987654321");
        assertThat(seed.secret()).isEqualTo(RFC_SECRET);
        assertThat(new Hotp(8).code(seed.secret(), 1)).isEqualTo("94287082");
    }

    @Test
    void figure7PassphraseThroughPbkdf2() throws Exception {
        Pskc.Seed seed = read(figure("figure7"), FIGURE7_PASSPHRASE).get(0);
        assertThat(seed.serial()).isEqualTo("987654321");
        assertThat(seed.manufacturer()).isEqualTo("TokenVendorAcme");
        assertThat(seed.secret()).isEqualTo(RFC_SECRET);
        assertThat(new Hotp(8).code(seed.secret(), 2)).isEqualTo("37359152");
    }

    @Test
    void aTotpTokenWithItsTimeStep() throws Exception {
        String doc = """
                <?xml version="1.0" encoding="UTF-8"?>
                <KeyContainer Version="1.0" xmlns="urn:ietf:params:xml:ns:keyprov:pskc">
                  <KeyPackage>
                    <DeviceInfo><Manufacturer>Fob maker</Manufacturer><SerialNo>TOTP0001</SerialNo></DeviceInfo>
                    <Key Id="1" Algorithm="urn:ietf:params:xml:ns:keyprov:pskc:totp">
                      <AlgorithmParameters><ResponseFormat Length="6" Encoding="DECIMAL"/></AlgorithmParameters>
                      <Data>
                        <Secret><PlainValue>%s</PlainValue></Secret>
                        <Time><PlainValue>0</PlainValue></Time>
                        <TimeInterval><PlainValue>60</PlainValue></TimeInterval>
                      </Data>
                    </Key>
                  </KeyPackage>
                </KeyContainer>
                """.formatted(Base64.getEncoder().encodeToString(RFC_SECRET));
        Pskc.Seed seed = read(doc, new Pskc.Unlock.None()).get(0);
        assertThat(seed.serial()).isEqualTo("TOTP0001");
        assertThat(seed.kind()).isEqualTo(Pskc.Kind.TOTP);
        assertThat(seed.timeStep()).isEqualTo(60);
        assertThat(seed.digits()).isEqualTo(6);
        // at T = 119 s a 60-second step is step 1, whose code RFC 6238 gives at T = 59 s for 30-second steps
        assertThat(new Totp("SHA1", 6, 60).code(seed.secret(), Instant.ofEpochSecond(119)))
                .isEqualTo(new Totp("SHA1", 6, 30).code(RFC_SECRET, 1));
    }

    @Test
    void aWrongMacImportsNothing() throws Exception {
        String tampered = figure("figure6").replace("Su+NvtQfmvfJzF6bmQiJqoLRExc=", "Tu+NvtQfmvfJzF6bmQiJqoLRExc=");
        assertThat(refusal(tampered, FIGURE6_KEY)).contains("MAC", "does not match");
        // the ciphertext changed instead of the MAC: the same
        String changed = figure("figure6").replace("AAECAwQFBgcICQoLDA0OD+cI", "AAECAwQFBgcICQoLDA0OD+cJ");
        assertThat(refusal(changed, FIGURE6_KEY)).contains("does not match");
    }

    @Test
    void aWrongKeyOrPassphraseImportsNothing() throws Exception {
        String wrongPassphrase = refusal(figure("figure7"), new Pskc.Unlock.Passphrase("qwertz".toCharArray()));
        assertThat(wrongPassphrase).containsAnyOf("passphrase is wrong", "does not match");
        String wrongKey = refusal(figure("figure6"), new Pskc.Unlock.PreSharedKey(
                HexFormat.of().parseHex("12345678901234567890123456789013")));
        assertThat(wrongKey).containsAnyOf("key or passphrase is wrong", "does not match");
        assertThat(refusal(figure("figure6"), new Pskc.Unlock.None())).contains("--key-file");
        assertThat(refusal(figure("figure7"), FIGURE6_KEY)).contains("--passphrase-file");
        assertThat(wrongKey + wrongPassphrase).doesNotContain("12345678901234567890", "qwert");
    }

    @Test
    void aTruncatedFileImportsNothing() throws Exception {
        String whole = figure("figure6");
        String truncated = whole.substring(0, whole.indexOf("<ValueMAC>"));
        assertThat(refusal(truncated, FIGURE6_KEY)).startsWith("not a well-formed PSKC file (line ");
    }

    @Test
    void duplicateSerialsImportNothing() throws Exception {
        String one = figure("figure3");
        String packageXml = one.substring(one.indexOf("<KeyPackage>"), one.indexOf("</KeyPackage>") + 13);
        String twice = one.replace(packageXml, packageXml + "\n" + packageXml);
        assertThat(refusal(twice, new Pskc.Unlock.None())).contains("987654321 appears twice");
    }

    @Test
    void aKeyWithoutASerialNumberOrOfAnotherKindIsRefused() throws Exception {
        assertThat(refusal(figure("figure2"), new Pskc.Unlock.None())).contains("key package 1 has no serial number");
        String pin = figure("figure3").replace("pskc:hotp", "pskc:pin");
        assertThat(refusal(pin, new Pskc.Unlock.None())).contains("only HOTP and TOTP");
    }

    @Test
    void aDoctypeIsNotRead() {
        String xxe = """
                <?xml version="1.0"?>
                <!DOCTYPE KeyContainer [<!ENTITY x SYSTEM "file:///etc/passwd">]>
                <KeyContainer Version="1.0" xmlns="urn:ietf:params:xml:ns:keyprov:pskc">&x;</KeyContainer>
                """;
        assertThat(refusal(xxe, new Pskc.Unlock.None())).startsWith("not a well-formed PSKC file")
                .doesNotContain("root:");
    }
    @Test
    void aPlainSeedSwappedIntoAnEncryptedFileIsRefused() throws Exception {
        // whoever changes the vendor's file on its way replaces the encrypted seed with one they know
        String known = Base64.getEncoder().encodeToString("an attacker's seed!!".getBytes(StandardCharsets.US_ASCII));
        String figure6 = figure("figure6");
        String swapped = figure6.substring(0, figure6.indexOf("<EncryptedValue>")) + "<PlainValue>" + known
                + "</PlainValue>" + figure6.substring(figure6.indexOf("<ValueMAC>"),
                figure6.indexOf("</Secret>")).replaceAll("(?s)<ValueMAC>.*</ValueMAC>", "")
                + figure6.substring(figure6.indexOf("</Secret>"));
        assertThat(refusal(swapped, FIGURE6_KEY)).contains("secret is in plain text",
                "the file is meant to be encrypted");
        // the same with the file's encryption key and MAC taken out too: the administrator gave a key
        String stripped = swapped.replaceAll("(?s)<EncryptionKey>.*</MACMethod>", "");
        assertThat(refusal(stripped, FIGURE6_KEY)).contains("secret is in plain text");
        assertThat(refusal(stripped, FIGURE7_PASSPHRASE)).contains("secret is in plain text");
        // and without any key given or declared, a plaintext file is what it says it is
        assertThat(read(stripped, new Pskc.Unlock.None())).hasSize(1);
    }
}
