package se.lu.lunarc.otp.server;

import se.lu.lunarc.otp.api.ErrorCode;

/** Display names: trimmed, 1–64 characters, no control characters. */
final class TokenNames {
    static final int MAX_LENGTH = 64;

    private TokenNames() {}

    static String validated(String raw) {
        String name = raw == null ? "" : raw.strip();
        if (name.isEmpty()) {
            throw invalid("Enter a name for your device.");
        }
        if (name.codePointCount(0, name.length()) > MAX_LENGTH) {
            throw invalid("The name can be at most " + MAX_LENGTH + " characters.");
        }
        if (name.codePoints().anyMatch(cp -> Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT)) {
            throw invalid("The name cannot contain control characters.");
        }
        return name;
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(422, ErrorCode.NAME_INVALID, "Name not allowed", detail);
    }
}
