package se.lu.lunarc.otp.otp;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class TotpTest {
    private static final byte[] SEED_SHA1 = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEED_SHA256 = "12345678901234567890123456789012".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEED_SHA512 =
            "1234567890123456789012345678901234567890123456789012345678901234".getBytes(StandardCharsets.US_ASCII);

    /** RFC 6238 Appendix B: 8-digit codes, 30-second steps. */
    @ParameterizedTest
    @CsvSource({
            "59,          94287082, 46119246, 90693936",
            "1111111109,  07081804, 68084774, 25091201",
            "1111111111,  14050471, 67062674, 99943326",
            "1234567890,  89005924, 91819424, 93441116",
            "2000000000,  69279037, 90698825, 38618901",
            "20000000000, 65353130, 77737706, 47863826"})
    void rfc6238AppendixBVectors(long time, String sha1, String sha256, String sha512) {
        Instant t = Instant.ofEpochSecond(time);
        assertThat(new Totp("SHA1", 8, 30).code(SEED_SHA1, t)).isEqualTo(sha1);
        assertThat(new Totp("SHA256", 8, 30).code(SEED_SHA256, t)).isEqualTo(sha256);
        assertThat(new Totp("SHA512", 8, 30).code(SEED_SHA512, t)).isEqualTo(sha512);
    }

    @Test
    void standardCodesAreTheLastSixDigitsAndStepsAreThirtySeconds() {
        Instant t = Instant.ofEpochSecond(1111111109);
        assertThat(Totp.STANDARD.code(SEED_SHA1, t)).isEqualTo("081804");
        assertThat(Totp.STANDARD.step(Instant.ofEpochSecond(59))).isEqualTo(1);
        assertThat(Totp.STANDARD.step(Instant.ofEpochSecond(60))).isEqualTo(2);
        assertThat(Totp.STANDARD.isWellFormed("081804")).isTrue();
        assertThat(Totp.STANDARD.isWellFormed("81804")).isFalse();
        assertThat(Totp.STANDARD.isWellFormed("08180a")).isFalse();
        assertThat(Totp.STANDARD.matches(SEED_SHA1, Totp.STANDARD.step(t), "081804")).isTrue();
        assertThat(Totp.STANDARD.matches(SEED_SHA1, Totp.STANDARD.step(t) + 1, "081804")).isFalse();
    }

    /** A second, independent implementation agrees: oathtool (installed by .ci/run). */
    @Test
    void oathtoolComputesTheSameCodes() throws Exception {
        // a missing second implementation is a failure to fix, never a silent skip
        assertThat(java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/bin/oathtool")))
                .as("oathtool is not installed: apt-get install oathtool (.ci/run does)").isTrue();
        byte[] secret = new byte[20];
        new java.security.SecureRandom().nextBytes(secret);
        String base32 = OtpAuthUri.base32(secret);
        for (long t : new long[] {59, 1_700_000_000L, 1_764_324_000L, 2_000_000_029L}) {
            Process p = new ProcessBuilder("/usr/bin/oathtool", "--totp", "-b", base32, "-N", "@" + t).start();
            String theirs = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            assertThat(p.waitFor()).isZero();
            assertThat(Totp.STANDARD.code(secret, Instant.ofEpochSecond(t))).as("at " + t).isEqualTo(theirs);
        }
    }

    @Test
    void keyUriFormatRoundTripsAndUsesTheIssuerAsLabelPrefix() {
        OtpAuthUri uri = OtpAuthUri.standard("LUNARC HPC", "anna.s", SEED_SHA1);
        String text = uri.format();
        assertThat(text).isEqualTo("otpauth://totp/LUNARC%20HPC:anna.s?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
                + "&issuer=LUNARC%20HPC&algorithm=SHA1&digits=6&period=30");
        OtpAuthUri back = OtpAuthUri.parse(text);
        assertThat(back.issuer()).isEqualTo("LUNARC HPC");
        assertThat(back.account()).isEqualTo("anna.s");
        assertThat(back.secret()).isEqualTo(SEED_SHA1);
        assertThat(OtpAuthUri.fromBase32("gezd gnbv gy3t qojq gezd gnbv gy3t qojq")).isEqualTo(SEED_SHA1);
    }
}
