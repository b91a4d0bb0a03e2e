package se.lu.lunarc.otp.server.secrets;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Random identifiers and codes from one SecureRandom. */
public final class Secrets {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {}

    /** {@code bits} of randomness as URL-safe Base64. */
    public static String randomId(int bits) {
        byte[] b = new byte[bits / 8];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    public static String digits(int length) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append((char) ('0' + RANDOM.nextInt(10)));
        }
        return s.toString();
    }

    public static byte[] bytes(int length) {
        byte[] b = new byte[length];
        RANDOM.nextBytes(b);
        return b;
    }

    /** SHA-256 in hex: how bearer tokens are kept in memory, so a heap dump holds no usable token. */
    public static String sha256(String s) {
        return HexFormat.of().formatHex(sha256Bytes(s));
    }

    /** SHA-256 of the UTF-8 bytes: how one-time codes are kept until they are checked (ASVS 2.7.5). */
    public static byte[] sha256Bytes(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
