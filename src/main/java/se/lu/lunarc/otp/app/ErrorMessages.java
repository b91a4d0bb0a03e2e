package se.lu.lunarc.otp.app;

import se.lu.lunarc.otp.client.ApiException;

import java.text.MessageFormat;
import java.util.ResourceBundle;

/** What to tell the user about a failure, in their language: by problem code, else by kind of failure. */
public final class ErrorMessages {
    private ErrorMessages() {}

    public static String text(ResourceBundle rb, ApiException e) {
        if (e.kind() == ApiException.Kind.PROBLEM) {
            String key = "error." + e.code();
            if (rb.containsKey(key)) {
                long wait = e.retryAfterSeconds() == null ? 0 : e.retryAfterSeconds();
                int left = e.attemptsLeft() == null ? 0 : e.attemptsLeft();
                String text = MessageFormat.format(rb.getString(key), wait, left);
                if (e.attemptsLeft() != null && !"clock_drift".equals(e.code()) && !"code_invalid".equals(e.code())) {
                    text += " " + MessageFormat.format(rb.getString("error.triesLeft"), left);
                }
                return text;
            }
            return e.detail() != null ? e.detail() : rb.getString("error.kind.BAD_RESPONSE");
        }
        if (e.kind() == ApiException.Kind.INTERNAL) {
            return MessageFormat.format(rb.getString("error.kind.INTERNAL"), e.incident());
        }
        return rb.getString("error.kind." + e.kind().name());
    }

    /**
     * A hardware token's registration failed: the server gives one answer for an unknown serial number, a token
     * someone else has and a wrong code, so the message names both things to check, and counts no tries.
     */
    public static String forHardwareToken(ResourceBundle rb, ApiException e) {
        return e.is(se.lu.lunarc.otp.api.ErrorCode.CODE_INVALID) ? rb.getString("hardware.noMatch") : text(rb, e);
    }

    /** Whether trying the same thing again may help (network trouble, a directory down), so the banner offers Retry. */
    public static boolean retryable(ApiException e) {
        return e.kind() == ApiException.Kind.UNREACHABLE || e.kind() == ApiException.Kind.TIMEOUT
                || e.is(se.lu.lunarc.otp.api.ErrorCode.DIRECTORY_UNAVAILABLE)
                || e.is(se.lu.lunarc.otp.api.ErrorCode.SERVICE_UNAVAILABLE);
    }
}
