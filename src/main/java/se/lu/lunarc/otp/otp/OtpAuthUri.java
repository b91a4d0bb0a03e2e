package se.lu.lunarc.otp.otp;

import org.apache.commons.codec.binary.Base32;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The Key Uri Format that authenticator apps scan:
 * {@code otpauth://totp/ISSUER:account?secret=BASE32&issuer=ISSUER&algorithm=SHA1&digits=6&period=30}.
 */
public record OtpAuthUri(String issuer, String account, byte[] secret, String algorithm, int digits, int period) {

    public static OtpAuthUri standard(String issuer, String account, byte[] secret) {
        return new OtpAuthUri(issuer, account, secret, Totp.STANDARD.algorithm(), Totp.STANDARD.digits(),
                Totp.STANDARD.periodSeconds());
    }

    /** Base32 (RFC 4648) without padding, upper case: the form apps accept when typed by hand. */
    public static String base32(byte[] secret) {
        return new Base32().encodeAsString(secret).replace("=", "");
    }

    public static byte[] fromBase32(String text) {
        return new Base32().decode(text.replace(" ", "").toUpperCase(Locale.ROOT));
    }

    public String secretBase32() {
        return base32(secret);
    }

    public String format() {
        return "otpauth://totp/" + encode(issuer) + ":" + encode(account)
                + "?secret=" + secretBase32()
                + "&issuer=" + encode(issuer)
                + "&algorithm=" + algorithm
                + "&digits=" + digits
                + "&period=" + period;
    }

    public Totp totp() {
        return new Totp(algorithm, digits, period);
    }

    public static OtpAuthUri parse(String uri) {
        URI u = URI.create(uri);
        if (!"otpauth".equals(u.getScheme()) || !"totp".equals(u.getHost())) {
            throw new IllegalArgumentException("not an otpauth://totp URI");
        }
        String label = u.getPath().substring(1);
        int colon = label.indexOf(':');
        String account = colon < 0 ? label : label.substring(colon + 1);
        Map<String, String> q = new LinkedHashMap<>();
        for (String pair : u.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                q.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        String secret = q.get("secret");
        if (secret == null) {
            throw new IllegalArgumentException("otpauth URI without secret");
        }
        return new OtpAuthUri(q.getOrDefault("issuer", colon < 0 ? "" : label.substring(0, colon)), account,
                fromBase32(secret), q.getOrDefault("algorithm", "SHA1"),
                Integer.parseInt(q.getOrDefault("digits", "6")), Integer.parseInt(q.getOrDefault("period", "30")));
    }

    private static String encode(String s) {
        // URLEncoder writes form encoding; the label wants %20 for spaces
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public String toString() {
        return "OtpAuthUri[issuer=" + issuer + ", account=" + account + ", secret=***]";
    }
}
