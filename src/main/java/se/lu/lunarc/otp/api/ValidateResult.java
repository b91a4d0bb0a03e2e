package se.lu.lunarc.otp.api;

/** Answer to the cluster login's validate call; {@code reason} says why a code was rejected. */
public record ValidateResult(String result, String reason) {
    public static final String ACCEPT = "accept";
    public static final String REJECT = "reject";

    public boolean accepted() {
        return ACCEPT.equals(result);
    }
}
