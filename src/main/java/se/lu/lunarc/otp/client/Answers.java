package se.lu.lunarc.otp.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import okhttp3.Response;
import okhttp3.ResponseBody;
import se.lu.lunarc.otp.api.ErrorCode;
import se.lu.lunarc.otp.client.ApiException.Kind;

import java.io.IOException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** What the server answered, read: the value asked for, or the failure as an {@link ApiException}. */
final class Answers {
    /** The most of an answer that is read: a larger one is cut, and does not parse. */
    static final int MAX_BODY = 1 << 20;

    private Answers() {
    }

    /**
     * The answer as {@code type}, or the failure it says: a problem with its code, a server not available, or an
     * answer this program does not understand. No answer's content goes into a message unless it cannot hold a
     * secret.
     */
    static <T> T read(ObjectMapper json, Response response, Class<T> type, String what)
            throws IOException, ApiException {
        ResponseBody body = response.body();
        String contentType = response.header("Content-Type", "");
        byte[] content = body == null ? new byte[0] : readCapped(body);
        String diag = what + " → HTTP " + response.code() + ", " + (contentType.isEmpty() ? "no content type"
                : contentType) + ", " + content.length + " bytes";
        boolean isJson = contentType.startsWith("application/json") || contentType.startsWith("application/problem+json");
        if (response.isSuccessful()) {
            if (type == Void.class) {
                return null;
            }
            if (!isJson) {
                throw badResponse(diag + snippet(content));
            }
            try {
                T value = json.readValue(content, type);
                if (value == null) {
                    throw new IOException("null");
                }
                return value;
            } catch (IOException e) {
                // no snippet: a JSON answer here may hold a session token or a token secret
                throw badResponse(diag);
            }
        }
        Long retryAfter = retryAfter(response.header("Retry-After"));
        if (isJson) {
            try {
                JsonNode p = json.readTree(content);
                if (p != null && p.hasNonNull("code")) {
                    String code = p.get("code").asText();
                    Long ra = p.hasNonNull("retryAfterSeconds") ? Long.valueOf(p.get("retryAfterSeconds").asLong()) : retryAfter;
                    Integer left = p.hasNonNull("attemptsLeft") ? p.get("attemptsLeft").asInt() : null;
                    return throwProblem(response.code(), code, p.path("detail").asText(null), ra, left, diag);
                }
            } catch (IOException garbled) {
                // falls through to the generic answers below
            }
        }
        if (response.code() == 429) {
            return throwProblem(429, ErrorCode.RATE_LIMITED, "Too many requests. Wait a moment and try again.",
                    retryAfter, null, diag);
        }
        if (response.code() == 502 || response.code() == 503 || response.code() == 504) {
            throw new ApiException(Kind.UNREACHABLE, response.code(), null,
                    "The server is not available right now.", retryAfter, null, diag + snippet(content), null);
        }
        throw badResponse(diag + (isJson ? "" : snippet(content)));
    }

    static byte[] readCapped(ResponseBody body) throws IOException {
        var source = body.source();
        source.request(MAX_BODY); // buffers up to the cap, or to the end of a shorter body
        return source.getBuffer().readByteArray(Math.min(MAX_BODY, source.getBuffer().size()));
    }

    static <T> T throwProblem(int status, String code, String detail, Long retryAfter, Integer left,
                                      String diag) throws ApiException {
        throw new ApiException(Kind.PROBLEM, status, code, detail, retryAfter, left, diag, null);
    }

    static ApiException badResponse(String diag) {
        return ApiException.of(Kind.BAD_RESPONSE, "The server gave an answer this program does not understand "
                + "(a proxy or a wrong server address?).", diag, null);
    }

    static String snippet(byte[] content) {
        String text = new String(content, 0, Math.min(content.length, 200), java.nio.charset.StandardCharsets.UTF_8)
                .replaceAll("[\\p{Cntrl}&&[^\n]]", " ").replace('\n', ' ').trim();
        return text.isEmpty() ? "" : ": " + text;
    }

    static Long retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            return Math.max(0, Long.parseLong(header.trim()));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(header.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                return Math.max(0, Duration.between(ZonedDateTime.now(at.getZone()), at).toSeconds());
            } catch (RuntimeException unparsable) {
                return null;
            }
        }
    }
}
