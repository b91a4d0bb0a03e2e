package se.lu.lunarc.otp.server.tokens;

import se.lu.lunarc.otp.server.errors.ProblemException;

import se.lu.lunarc.otp.api.ErrorCode;
import se.lu.lunarc.otp.api.TokenNameRule;

import java.util.List;

/** Display names, by {@link TokenNameRule}; uniqueness is checked against the database by the caller. */
public final class TokenNames {
    private TokenNames() {}

    public static String validated(String raw) {
        TokenNameRule broken = TokenNameRule.broken(raw, List.of());
        if (broken != null) {
            throw invalid(switch (broken) {
                case TOO_LONG -> "The name can be at most " + TokenNameRule.MAX_LENGTH + " characters.";
                case CONTROL_CHARACTERS -> "The name cannot contain control characters.";
                default -> "Enter a name for your device.";
            });
        }
        return raw.strip();
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(422, ErrorCode.NAME_INVALID, "Name not allowed", detail);
    }
}
