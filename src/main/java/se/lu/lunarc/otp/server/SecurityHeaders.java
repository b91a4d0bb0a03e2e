package se.lu.lunarc.otp.server;

import org.eclipse.jetty.http.HttpFields;

/**
 * Headers on every answer. The API's answers carry session tokens and TOTP secrets, so nothing may be cached;
 * none of them is a page, so browsers get nothing to run, frame or sniff.
 */
final class SecurityHeaders {
    static final String CACHE_CONTROL = "no-store";
    static final String CSP = "default-src 'none'; frame-ancestors 'none'";
    static final String HSTS = "max-age=31536000";

    private SecurityHeaders() {}

    static void apply(HttpFields.Mutable headers) {
        headers.put("Cache-Control", CACHE_CONTROL);
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Content-Security-Policy", CSP);
        headers.put("Referrer-Policy", "no-referrer");
    }
}
