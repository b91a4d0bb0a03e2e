package se.lu.lunarc.otp.api;

import java.util.Collection;

/**
 * The rules for a token's display name, in one place for the server (which enforces them) and the clients
 * (which tell the user before sending): trimmed, 1–64 characters, no control characters, unique per user
 * regardless of case among tokens not revoked.
 */
public enum TokenNameRule {
    EMPTY, TOO_LONG, CONTROL_CHARACTERS, TAKEN;

    public static final int MAX_LENGTH = 64;

    /** The first rule {@code raw} breaks, or null; {@code takenNames} are the user's other names in use. */
    public static TokenNameRule broken(String raw, Collection<String> takenNames) {
        String name = raw == null ? "" : raw.strip();
        if (name.isEmpty()) {
            return EMPTY;
        }
        if (name.codePointCount(0, name.length()) > MAX_LENGTH) {
            return TOO_LONG;
        }
        if (name.codePoints().anyMatch(cp -> Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT)) {
            return CONTROL_CHARACTERS;
        }
        return takenNames.stream().anyMatch(name::equalsIgnoreCase) ? TAKEN : null;
    }

    /** Names of {@code tokens} that a new name may not repeat. */
    public static java.util.List<String> namesInUse(Collection<Token> tokens) {
        if (tokens == null) {
            return java.util.List.of(); // not read yet: the server checks the name anyway
        }
        return tokens.stream().filter(t -> !"revoked".equals(t.status())).map(Token::name).toList();
    }

    /** The message key in the UI bundles. */
    public String messageKey() {
        return switch (this) {
            case EMPTY -> "name.empty";
            case TOO_LONG -> "name.tooLong";
            case CONTROL_CHARACTERS -> "name.control";
            case TAKEN -> "name.taken";
        };
    }
}
