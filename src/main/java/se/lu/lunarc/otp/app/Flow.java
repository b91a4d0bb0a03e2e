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
        DEACTIVATE("token.deactivate", "d"), REACTIVATE("token.reactivate", "a"), RENAME("token.edit", "e"),
        SYNCHRONIZE("token.synchronize", "s"), REVOKE("token.revoke", "x"), FINISH("token.finish", "f"),
        REMOVE("token.remove", "x");

        /** The label's key in the bundles. */
        public final String key;
        /** The letter that chooses it in text mode. */
        public final String letter;

        TokenAction(String key, String letter) {
            this.key = key;
            this.letter = letter;
        }
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
