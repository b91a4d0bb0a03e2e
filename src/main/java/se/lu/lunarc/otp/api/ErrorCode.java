package se.lu.lunarc.otp.api;

/** The stable problem codes of API v1 (the {@code code} member of every problem+json answer). */
public final class ErrorCode {
    private ErrorCode() {}

    public static final String BAD_REQUEST = "bad_request";
    public static final String NOT_FOUND = "not_found";
    public static final String METHOD_NOT_ALLOWED = "method_not_allowed";
    public static final String INVALID_CREDENTIALS = "invalid_credentials";
    public static final String HUMAN_CHECK_FAILED = "human_check_failed";
    public static final String CODE_INVALID = "code_invalid";
    public static final String CODE_EXPIRED = "code_expired";
    public static final String TOO_MANY_ATTEMPTS = "too_many_attempts";
    public static final String RATE_LIMITED = "rate_limited";
    public static final String SESSION_EXPIRED = "session_expired";
    public static final String TOKEN_NOT_FOUND = "token_not_found";
    public static final String TOKEN_STATE = "token_state";
    public static final String TOKEN_LIMIT = "token_limit";
    public static final String ENROLLMENT_EXPIRED = "enrollment_expired";
    public static final String NAME_TAKEN = "name_taken";
    public static final String NAME_INVALID = "name_invalid";
    public static final String CLOCK_DRIFT = "clock_drift";
    public static final String SMS_FAILED = "sms_failed";
    public static final String SERVICE_KEY_INVALID = "service_key_invalid";
    public static final String INTERNAL_ERROR = "internal_error";
    public static final String SERVICE_UNAVAILABLE = "service_unavailable";
    /** The account directory (LDAP) did not answer: try again in a minute (503, Retry-After). */
    public static final String DIRECTORY_UNAVAILABLE = "directory_unavailable";
    /** The account has no usable mobile number for the SMS code: only support can fix that (409). */
    public static final String NO_MOBILE_NUMBER = "no_mobile_number";
}
