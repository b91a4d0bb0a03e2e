package se.lu.lunarc.otp.otp;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import com.eatthepath.otp.UncheckedNoSuchAlgorithmException;

import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * RFC 6238 time-based codes (java-otp computes them) addressed by time step {@code floor(t / period)}.
 * The step is explicit so that callers can apply windows, drift offsets and replay rules.
 */
public final class Totp {
    /** What every authenticator app honours: SHA-1, 6 digits, 30 seconds. */
    public static final Totp STANDARD = new Totp("SHA1", 6, 30);

    private final String algorithm;
    private final int digits;
    private final int periodSeconds;

    public Totp(String algorithm, int digits, int periodSeconds) {
        this.algorithm = algorithm;
        this.digits = digits;
        this.periodSeconds = periodSeconds;
    }

    public String algorithm() { return algorithm; }
    public int digits() { return digits; }
    public int periodSeconds() { return periodSeconds; }

    public long step(Instant time) {
        return Math.floorDiv(time.getEpochSecond(), periodSeconds);
    }

    /** The code for one time step, zero-padded to {@link #digits()}. */
    public String code(byte[] secret, long step) {
        try {
            // java-otp's generator holds a Mac; one per call keeps this thread-safe
            var generator = new TimeBasedOneTimePasswordGenerator(Duration.ofSeconds(periodSeconds), digits,
                    "Hmac" + algorithm);
            return generator.generateOneTimePasswordString(new SecretKeySpec(secret, "Hmac" + algorithm),
                    Instant.ofEpochSecond(step * periodSeconds), Locale.ROOT);
        } catch (UncheckedNoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("TOTP algorithm unavailable: " + algorithm, e);
        }
    }

    public String code(byte[] secret, Instant time) {
        return code(secret, step(time));
    }

    /** Whether {@code candidate} is the code for {@code step}, compared in constant time. */
    public boolean matches(byte[] secret, long step, String candidate) {
        return constantTimeEquals(code(secret, step), candidate);
    }

    public static boolean constantTimeEquals(String expected, String candidate) {
        if (expected == null || candidate == null) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                candidate.getBytes(StandardCharsets.UTF_8));
    }

    /** True for exactly {@link #digits()} ASCII digits. */
    public boolean isWellFormed(String candidate) {
        return candidate != null && candidate.length() == digits && candidate.chars().allMatch(c -> c >= '0' && c <= '9');
    }
}
