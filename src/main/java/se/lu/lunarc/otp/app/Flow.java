package se.lu.lunarc.otp.app;

import se.lu.lunarc.otp.api.ErrorCode;
import se.lu.lunarc.otp.client.ApiException;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.ResourceBundle;

/**
 * The enrollment's decisions, made once for the window and the terminal, which only present them: what a
 * failure means for the step it happened in, which actions a token's status allows, when a failure's details are
 * worth showing, how a date that never happened reads.
 */
public final class Flow {
    private Flow() {}

    /** After a failed SMS code: try another code, or this sign-in is over and starts again from the password. */
    public enum AfterCodeFailure { TRY_AGAIN, START_AGAIN }

    public static AfterCodeFailure afterCodeFailure(ApiException e) {
        // expired, out of tries, out of resends: no code can finish this sign-in any more
        return e.is(ErrorCode.CODE_EXPIRED) || e.is(ErrorCode.TOO_MANY_ATTEMPTS) ? AfterCodeFailure.START_AGAIN
                : AfterCodeFailure.TRY_AGAIN;
    }

    /** After a failed first code for a new token: try another code, or this activation is over. */
    public enum AfterActivationFailure { TRY_AGAIN, ENDED }

    public static AfterActivationFailure afterActivationFailure(ApiException e) {
        return e.is(ErrorCode.ENROLLMENT_EXPIRED) || e.is(ErrorCode.TOO_MANY_ATTEMPTS) || e.is(ErrorCode.TOKEN_NOT_FOUND)
                || e.is(ErrorCode.TOKEN_STATE) || e.is(ErrorCode.SESSION_EXPIRED)
                ? AfterActivationFailure.ENDED : AfterActivationFailure.TRY_AGAIN;
    }

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

    /** A token's date as both clients show it: the date, or "Never" for one that has not happened. */
    public static String date(Instant when, DateTimeFormatter format, ResourceBundle rb) {
        return when == null ? rb.getString("token.never") : format.format(when);
    }
}
