package se.lu.lunarc.otp.api;

/**
 * RFC 9457 problem details, with the API's stable {@code code} and the optional hints a client shows the user.
 */
public record Problem(String type, String title, int status, String detail, String code,
                      Long retryAfterSeconds, Integer attemptsLeft) {

    public static Problem of(int status, String code, String title, String detail) {
        return new Problem("urn:lunarc-otp:problem:" + code, title, status, detail, code, null, null);
    }

    public Problem withRetryAfter(long seconds) {
        return new Problem(type, title, status, detail, code, seconds, attemptsLeft);
    }

    public Problem withAttemptsLeft(int left) {
        return new Problem(type, title, status, detail, code, retryAfterSeconds, left);
    }
}
