package se.lu.lunarc.otp.client;

/**
 * Every way a call can fail, typed so the UI can say what happened and what to do. The message never holds
 * request content; {@link #diagnostics()} holds copyable details for support (status, content type, a snippet of
 * an unexpected answer).
 */
public final class ApiException extends Exception {
    public enum Kind {
        /** The server answered with a problem+json: see {@link #code()}. */
        PROBLEM,
        /** Could not connect (server down, wrong address, DNS, proxy). */
        UNREACHABLE,
        /** Connected, but no answer in time. */
        TIMEOUT,
        /** The TLS handshake failed: certificate not trusted or wrong host. */
        TLS,
        /** An answer that is not API v1: HTML, garbage, truncated or wrongly typed JSON. */
        BAD_RESPONSE,
        /** The configured URL is not allowed (plain http:// to a host other than loopback). */
        INSECURE_URL,
        /** A fault in this program, not in the server or network. */
        INTERNAL
    }

    private final Kind kind;
    private final int status;
    private final String code;
    private final String detail;
    private final Long retryAfterSeconds;
    private final Integer attemptsLeft;
    private final String diagnostics;

    ApiException(Kind kind, int status, String code, String detail, Long retryAfterSeconds, Integer attemptsLeft,
                 String diagnostics, Throwable cause) {
        super(kind + (code != null ? " " + code : "") + (status > 0 ? " (HTTP " + status + ")" : "")
                + (detail != null ? ": " + detail : ""), cause);
        this.kind = kind;
        this.status = status;
        this.code = code;
        this.detail = detail;
        this.retryAfterSeconds = retryAfterSeconds;
        this.attemptsLeft = attemptsLeft;
        this.diagnostics = diagnostics;
    }

    static ApiException of(Kind kind, String detail, String diagnostics, Throwable cause) {
        return new ApiException(kind, 0, null, detail, null, null, diagnostics, cause);
    }

    private static final java.security.SecureRandom INCIDENTS = new java.security.SecureRandom();

    /**
     * A fault of this program, carried to the UI like any other failure. It gets a short incident id, logged with
     * the stack trace, so that what the user reads out to support finds the log entry.
     */
    public static ApiException internal(Throwable cause) {
        String incident = String.format("%08X", INCIDENTS.nextInt());
        org.slf4j.LoggerFactory.getLogger(ApiException.class).error("incident {}: unexpected failure", incident, cause);
        return of(Kind.INTERNAL, "Something went wrong in this program (incident " + incident + ").",
                "incident " + incident + ": " + cause.getClass().getName(), cause);
    }

    /** The incident id of an {@link Kind#INTERNAL} failure, as logged; null for any other. */
    public String incident() {
        return kind == Kind.INTERNAL && diagnostics != null && diagnostics.startsWith("incident ")
                ? diagnostics.substring(9, 17) : null;
    }

    public Kind kind() { return kind; }
    /** HTTP status, or 0 when there was no answer. */
    public int status() { return status; }
    /** The problem's stable code ({@code ErrorCode}), or null when {@link #kind()} is not PROBLEM. */
    public String code() { return code; }
    /** The server's human explanation, or ours. */
    public String detail() { return detail; }
    /** Seconds to wait before trying again, from the problem or the Retry-After header; null when not said. */
    public Long retryAfterSeconds() { return retryAfterSeconds; }
    public Integer attemptsLeft() { return attemptsLeft; }
    public String diagnostics() { return diagnostics; }

    public boolean is(String problemCode) {
        return problemCode.equals(code);
    }
}
