package se.lu.lunarc.otp.otp;

import com.eatthepath.otp.HmacOneTimePasswordGenerator;
import com.eatthepath.otp.UncheckedNoSuchAlgorithmException;

import javax.crypto.spec.SecretKeySpec;
import java.security.InvalidKeyException;
import java.util.Locale;

/**
 * RFC 4226 event-based codes (java-otp computes them), for hardware tokens that count presses instead of time.
 * The server keeps the next counter it expects; a token pressed without logging in runs ahead, so codes are
 * looked for in a window ahead of that counter, and the counter then moves past the code found.
 */
public final class Hotp {
    private final int digits;

    public Hotp(int digits) {
        if (digits < 6 || digits > 8) {
            throw new IllegalArgumentException("HOTP codes have 6 to 8 digits, not " + digits);
        }
        this.digits = digits;
    }

    public int digits() {
        return digits;
    }

    /** The code for {@code counter}, zero-padded to {@link #digits()}. */
    public String code(byte[] secret, long counter) {
        try {
            // java-otp's generator holds a Mac; one per call keeps this thread-safe
            return new HmacOneTimePasswordGenerator(digits).generateOneTimePasswordString(
                    new SecretKeySpec(secret, "HmacSHA1"), counter, Locale.ROOT);
        } catch (UncheckedNoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA1 unavailable", e);
        }
    }

    /**
     * The counter of {@code candidate} among {@code next} … {@code next + lookAhead - 1}, or -1. Every counter in
     * the window is compared, in constant time, so the time taken does not tell where a code was found.
     */
    public long find(byte[] secret, long next, String candidate, int lookAhead) {
        if (!isWellFormed(candidate)) {
            return -1;
        }
        long found = -1;
        for (long c = next; c < next + lookAhead; c++) {
            if (Totp.constantTimeEquals(code(secret, c), candidate) && found < 0) {
                found = c;
            }
        }
        return found;
    }

    /**
     * Resynchronisation: {@code first} and {@code second} must be the codes of two consecutive counters within
     * {@code window} counters from {@code next}. The counter after {@code second}'s, or -1.
     */
    public long resync(byte[] secret, long next, String first, String second, int window) {
        if (!isWellFormed(first) || !isWellFormed(second)) {
            return -1;
        }
        long found = -1;
        String previous = code(secret, next);
        for (long c = next + 1; c < next + window; c++) {
            String current = code(secret, c);
            boolean both = Totp.constantTimeEquals(previous, first) & Totp.constantTimeEquals(current, second);
            if (both && found < 0) {
                found = c + 1;
            }
            previous = current;
        }
        return found;
    }

    /** True for exactly {@link #digits()} ASCII digits. */
    public boolean isWellFormed(String candidate) {
        return candidate != null && candidate.length() == digits
                && candidate.chars().allMatch(ch -> ch >= '0' && ch <= '9');
    }
}
