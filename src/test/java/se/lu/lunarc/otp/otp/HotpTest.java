package se.lu.lunarc.otp.otp;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HotpTest {
    /** RFC 4226 Appendix D: the secret "12345678901234567890". */
    static final byte[] RFC_SECRET = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    static final String[] RFC_CODES = {"755224", "287082", "359152", "969429", "338314", "254676", "287922",
            "162583", "399871", "520489"};

    @Test
    void rfc4226AppendixDValues() {
        Hotp hotp = new Hotp(6);
        for (int counter = 0; counter < RFC_CODES.length; counter++) {
            assertThat(hotp.code(RFC_SECRET, counter)).as("counter " + counter).isEqualTo(RFC_CODES[counter]);
        }
    }

    /** A second, independent implementation agrees: oathtool (installed by .ci/run). */
    @Test
    void oathtoolComputesTheSameCodes() throws Exception {
        byte[] secret = new byte[20];
        new java.security.SecureRandom().nextBytes(secret);
        for (int digits : new int[] {6, 8}) {
            for (long counter : new long[] {0, 1, 41, 1_000_003L}) {
                Process p = new ProcessBuilder("/usr/bin/oathtool", "--hotp", "-d", Integer.toString(digits), "-c",
                        Long.toString(counter), HexFormat.of().formatHex(secret)).start();
                String theirs = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
                assertThat(p.waitFor()).isZero();
                assertThat(new Hotp(digits).code(secret, counter)).as(digits + " digits at " + counter)
                        .isEqualTo(theirs);
            }
        }
    }

    @Test
    void codesAreFoundInTheWindowAheadOfTheCounterOnly() {
        Hotp hotp = new Hotp(6);
        assertThat(hotp.find(RFC_SECRET, 0, "755224", 10)).isZero();
        assertThat(hotp.find(RFC_SECRET, 0, "520489", 10)).as("nine presses ahead").isEqualTo(9);
        assertThat(hotp.find(RFC_SECRET, 0, "520489", 9)).as("beyond the window").isEqualTo(-1);
        assertThat(hotp.find(RFC_SECRET, 3, "287082", 10)).as("behind the counter: already used").isEqualTo(-1);
        assertThat(hotp.find(RFC_SECRET, 0, "75522", 10)).as("too short").isEqualTo(-1);
        assertThat(hotp.find(RFC_SECRET, 0, "75522a", 10)).isEqualTo(-1);
    }

    @Test
    void resyncTakesTwoConsecutiveCodesWithinTheWiderWindow() {
        Hotp hotp = new Hotp(6);
        // codes 7 and 8 ahead of counter 0: the next counter expected is then 9
        assertThat(hotp.resync(RFC_SECRET, 0, "162583", "399871", 100)).isEqualTo(9);
        assertThat(hotp.resync(RFC_SECRET, 0, "162583", "520489", 100)).as("not consecutive").isEqualTo(-1);
        assertThat(hotp.resync(RFC_SECRET, 0, "399871", "162583", 100)).as("in the wrong order").isEqualTo(-1);
        assertThat(hotp.resync(RFC_SECRET, 0, "162583", "399871", 8)).as("beyond the window").isEqualTo(-1);
        long far = 5_000;
        Hotp eight = new Hotp(8);
        assertThat(eight.resync(RFC_SECRET, far - 60, eight.code(RFC_SECRET, far), eight.code(RFC_SECRET, far + 1),
                100)).isEqualTo(far + 2);
    }

    @Test
    void onlySixToEightDigits() {
        assertThatThrownBy(() -> new Hotp(5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Hotp(9)).isInstanceOf(IllegalArgumentException.class);
    }
}
