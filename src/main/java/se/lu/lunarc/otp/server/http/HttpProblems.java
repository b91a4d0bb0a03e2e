package se.lu.lunarc.otp.server.http;

import se.lu.lunarc.otp.api.ErrorCode;
import se.lu.lunarc.otp.api.Problem;

/** The problem for an HTTP status that the server itself (Javalin or Jetty) decided, not a service. */
final class HttpProblems {
    private HttpProblems() {}

    static Problem forStatus(int status) {
        return switch (status) {
            case 404 -> Problem.of(404, ErrorCode.NOT_FOUND, "Not found", "There is no such API operation.");
            case 405, 501 -> Problem.of(405, ErrorCode.METHOD_NOT_ALLOWED, "Method not allowed",
                    "This operation does not take that method.");
            case 413 -> Problem.of(413, ErrorCode.BAD_REQUEST, "Request too large", "The request body is too large.");
            case 414 -> Problem.of(414, ErrorCode.BAD_REQUEST, "Request too large", "The request's address is too long.");
            case 431 -> Problem.of(431, ErrorCode.BAD_REQUEST, "Request too large", "The request's headers are too large.");
            case 500 -> Problem.of(500, ErrorCode.INTERNAL_ERROR, "Internal error",
                    "Something went wrong on the server. Try again; if it keeps happening, contact support.");
            default -> Problem.of(status >= 400 && status < 500 ? status : 400, ErrorCode.BAD_REQUEST, "Bad request",
                    "The request was not understood.");
        };
    }
}
