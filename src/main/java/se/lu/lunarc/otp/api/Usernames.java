package se.lu.lunarc.otp.api;

import java.util.regex.Pattern;

/**
 * What a username can be: 1–64 characters of the POSIX portable set (letters, digits, '.', '_', '-'), not
 * starting with '-' or '.', as Unix accounts and directory uids are. Checked once at the edge, before a name is
 * stored, counted, rate-limited or audited, so an attacker's megabyte "username" goes nowhere.
 */
public final class Usernames {
    public static final int MAX_LENGTH = 64;
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0," + (MAX_LENGTH - 1) + "}");

    private Usernames() {}

    /**
     * The name with its case folded, for counting attempts before the directory has said whose account a name is:
     * {@code Bob} and {@code BOB} must not each get their own tries. Valid names are ASCII, so this is exact.
     */
    public static String folded(String username) {
        return username.toLowerCase(java.util.Locale.ROOT);
    }

    public static boolean isValid(String username) {
        return username != null && username.length() <= MAX_LENGTH && VALID.matcher(username).matches();
    }
}
