package se.lu.lunarc.otp.api;

/** What the phone app needs, shown once as a QR code and as text. Holds the token secret: never log it. */
public record Enrollment(String otpauthUri, String secret, String issuer, String account, String algorithm,
                         int digits, int period, long activateWithinSeconds) {
    @Override
    public String toString() {
        return "Enrollment[issuer=" + issuer + ", account=" + account + ", algorithm=" + algorithm
                + ", digits=" + digits + ", period=" + period + ", secret=***]";
    }
}
