package se.lu.lunarc.otp.api;

/** Answer to a correct SMS code. The token is a bearer secret: never log it. */
public record SessionStarted(String sessionToken, long expiresInSeconds) {
    @Override
    public String toString() {
        return "SessionStarted[sessionToken=***, expiresInSeconds=" + expiresInSeconds + "]";
    }
}
