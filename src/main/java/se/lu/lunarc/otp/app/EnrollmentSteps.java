package se.lu.lunarc.otp.app;

import se.lu.lunarc.otp.api.ErrorCode;
import se.lu.lunarc.otp.client.ApiException;

/**
 * The enrollment's steps as one small state machine that the window and the terminal both drive: each client
 * reports what the user did ({@link #move}) or how a request failed ({@link #failed}), and shows the step this
 * answers. Neither client decides the order of the steps itself. Not thread-safe: a client drives it from one
 * thread (the FX thread, or the terminal's).
 */
public final class EnrollmentSteps {
    /** What the user sees: one window screen, or one part of the terminal's dialogue. */
    public enum Step { SIGN_IN, SMS_CODE, ACCOUNT, NAME, QR, ACTIVATE, HARDWARE }

    /** What the user did on a step, or what a step's request answered. */
    public enum Move {
        /** The step's request succeeded, or the user went on (the QR code was scanned). */
        DONE,
        /** One step back, keeping what is still on hand. */
        BACK,
        /** Leave the enrollment for the token list; a pending token stays pending. */
        CANCEL,
        /** From the token list: a new token. */
        NEW_TOKEN,
        /** From the token list: activate a pending token whose key was shown before. */
        FINISH_PENDING,
        /** From the token list: register a hardware token by its serial number and current code. */
        REGISTER_HARDWARE,
        /** The session ended by the user's wish. */
        LOG_OUT
    }

    /**
     * A failure's consequence: stay and try again, or go on to another step with the failure's message;
     * {@code startAgain} when that message should add that the sign-in starts over with a new code.
     */
    public record AfterFailure(Step next, boolean startAgain) {
        public boolean stays(Step current) {
            return next == current;
        }
    }

    private Step step = Step.SIGN_IN;
    /** Whether the new token's key is still on hand, so that Back from Activate can show the QR code again. */
    private boolean keyOnHand;

    public Step step() {
        return step;
    }

    public boolean signedIn() {
        return step != Step.SIGN_IN && step != Step.SMS_CODE;
    }

    /** The step after {@code move} on the current one. A move the current step does not offer is a bug. */
    public Step move(Move move) {
        Step next = switch (step) {
            case SIGN_IN -> move == Move.DONE ? Step.SMS_CODE : null;
            case SMS_CODE -> switch (move) {
                case DONE -> Step.ACCOUNT;
                case BACK, CANCEL -> Step.SIGN_IN;
                default -> null;
            };
            case ACCOUNT -> switch (move) {
                case NEW_TOKEN -> Step.NAME;
                case FINISH_PENDING -> Step.ACTIVATE;
                case REGISTER_HARDWARE -> Step.HARDWARE;
                default -> null;
            };
            case HARDWARE -> switch (move) {
                case DONE, BACK, CANCEL -> Step.ACCOUNT;
                default -> null;
            };
            case NAME -> switch (move) {
                case DONE -> Step.QR;
                case BACK, CANCEL -> Step.ACCOUNT;
                default -> null;
            };
            case QR -> switch (move) {
                case DONE -> Step.ACTIVATE;
                case BACK, CANCEL -> Step.ACCOUNT;
                default -> null;
            };
            case ACTIVATE -> switch (move) {
                case DONE, CANCEL -> Step.ACCOUNT;
                case BACK -> keyOnHand ? Step.QR : Step.ACCOUNT;
                default -> null;
            };
        };
        if (move == Move.LOG_OUT && signedIn()) {
            next = Step.SIGN_IN;
        }
        if (next == null) {
            throw new IllegalStateException(move + " is not a move on " + step);
        }
        keyOnHand = next == Step.QR || (keyOnHand && next == Step.ACTIVATE);
        step = next;
        return next;
    }

    /**
     * The step after a request on the current step failed with {@code e}: the same step when another try can
     * succeed, else the step where the user can go on.
     */
    public AfterFailure failed(ApiException e) {
        AfterFailure after = consequence(step, e);
        if (after.next != step) {
            keyOnHand = false;
            step = after.next;
        }
        return after;
    }

    private static AfterFailure consequence(Step step, ApiException e) {
        if (e.is(ErrorCode.SESSION_EXPIRED) && step != Step.SIGN_IN && step != Step.SMS_CODE) {
            return new AfterFailure(Step.SIGN_IN, false); // its message says to sign in again
        }
        return switch (step) {
            // expired, out of tries, out of resends: no code can finish this sign-in any more
            case SMS_CODE -> e.is(ErrorCode.CODE_EXPIRED) || e.is(ErrorCode.TOO_MANY_ATTEMPTS)
                    ? new AfterFailure(Step.SIGN_IN, true) : new AfterFailure(step, false);
            // no code can finish this activation any more; the token list shows what became of the token
            case ACTIVATE -> e.is(ErrorCode.ENROLLMENT_EXPIRED) || e.is(ErrorCode.TOO_MANY_ATTEMPTS)
                    || e.is(ErrorCode.TOKEN_NOT_FOUND) || e.is(ErrorCode.TOKEN_STATE)
                    ? new AfterFailure(Step.ACCOUNT, false) : new AfterFailure(step, false);
            default -> new AfterFailure(step, false);
        };
    }

    /** Back to the start, whatever the step: the session is over (logged out elsewhere, window reset). */
    public void reset() {
        step = Step.SIGN_IN;
        keyOnHand = false;
    }
}
