package se.lu.lunarc.otp.server.http;

import java.util.function.BiConsumer;

/**
 * Headers on every answer, Javalin's and Jetty's own alike. The API's answers carry session tokens and TOTP
 * secrets, so nothing may be cached; none of them is a page, so browsers get nothing to run, frame or sniff.
 */
final class SecurityHeaders {
    private SecurityHeaders() {}

    /** Sets the headers through {@code header}; with {@code tls}, HSTS too. */
    static void apply(BiConsumer<String, String> header, boolean tls) {
        header.accept("Cache-Control", "no-store");
        header.accept("X-Content-Type-Options", "nosniff");
        header.accept("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
        header.accept("Referrer-Policy", "no-referrer");
        if (tls) {
            header.accept("Strict-Transport-Security", "max-age=31536000");
        }
    }
}
