package se.lu.lunarc.otp.app;

import se.lu.lunarc.otp.client.ApiException;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.ResourceBundle;

/**
 * The enrollment's decisions besides the order of its steps ({@link EnrollmentSteps}), made once for the window
 * and the terminal, which only present them: which actions a token's status allows, when a failure's details are
 * worth showing, how a date that never happened reads.
 */
public final class Flow {
    private Flow() {}

    /** Whether support needs the copyable details: an answer nobody expected, or a fault of this program. */
    public static boolean showDetails(ApiException e) {
        return e.kind() == ApiException.Kind.BAD_RESPONSE || e.kind() == ApiException.Kind.INTERNAL;
    }

    /** What can be done with a token, by its status, in the order both clients offer it. */
    public enum TokenAction {
        DEACTIVATE("token.deactivate", "d", "tokens.disabled"), REACTIVATE("token.reactivate", "a", "tokens.enabled"),
        RENAME("token.edit", "e", "tokens.renamed"), SYNCHRONIZE("token.synchronize", "s", "tokens.resynced"),
        REVOKE("token.revoke", "x", "tokens.revoked"), FINISH("token.finish", "f", null),
        REMOVE("token.remove", "x", "tokens.revoked");

        /** The label's key in the bundles. */
        public final String key;
        /** The letter that chooses it in text mode. */
        public final String letter;
        /** The key of what is said once it is done, naming the token; null for FINISH, which is a step. */
        public final String doneKey;

        TokenAction(String key, String letter, String doneKey) {
            this.key = key;
            this.letter = letter;
            this.doneKey = doneKey;
        }
    }

    /** The action of this status that {@code letter} chooses in text mode, or null. */
    public static TokenAction byLetter(String status, String letter) {
        return actions(status).stream().filter(a -> a.letter.equalsIgnoreCase(letter)).findFirst().orElse(null);
    }

    /**
     * Text mode's menu for a token of this status, from the same actions as the window's card: "d = Deactivate,
     * e = Edit, …, Enter = back"; null when nothing can be done (a revoked token).
     */
    public static String textMenu(String status, ResourceBundle rb) {
        List<TokenAction> offered = actions(status);
        if (offered.isEmpty()) {
            return null;
        }
        StringBuilder menu = new StringBuilder();
        for (TokenAction a : offered) {
            menu.append(a.letter).append(" = ").append(rb.getString(a.key).replace("_", "")).append(", ");
        }
        return menu.append(rb.getString("text.enterBack")).toString();
    }

    public static List<TokenAction> actions(String status) {
        return switch (status) {
            case "active" -> List.of(TokenAction.DEACTIVATE, TokenAction.RENAME, TokenAction.SYNCHRONIZE,
                    TokenAction.REVOKE);
            case "disabled" -> List.of(TokenAction.REACTIVATE, TokenAction.RENAME, TokenAction.SYNCHRONIZE,
                    TokenAction.REVOKE);
            case "pending" -> List.of(TokenAction.FINISH, TokenAction.REMOVE);
            case "expired" -> List.of(TokenAction.REMOVE);
            default -> List.of(); // revoked: nothing left to do
        };
    }

    /** The name a hardware token gets unless the user chooses another: "Hardware token SERIAL", in their language. */
    public static String hardwareTokenName(ResourceBundle rb, String serial) {
        return java.text.MessageFormat.format(rb.getString("hardware.defaultName"), serial.strip());
    }

    /** A token's date as both clients show it: the date, or "Never" for one that has not happened. */
    public static String date(Instant when, DateTimeFormatter format, ResourceBundle rb) {
        return when == null ? rb.getString("token.never") : format.format(when);
    }
}
