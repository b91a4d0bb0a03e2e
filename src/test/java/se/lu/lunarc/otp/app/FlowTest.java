package se.lu.lunarc.otp.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.lu.lunarc.otp.app.EnrollmentSteps.Move;
import se.lu.lunarc.otp.app.EnrollmentSteps.Step;
import se.lu.lunarc.otp.client.ApiException;
import se.lu.lunarc.otp.client.EnrollmentClient;
import se.lu.lunarc.otp.client.HumanCheckSolver;
import se.lu.lunarc.otp.testing.TestServer;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The steps and decisions both clients take from one place, checked against the real backend's answers. */
class FlowTest {
    @TempDir
    Path dir;

    /** A machine moved through {@code moves} from the start. */
    private static EnrollmentSteps at(Move... moves) {
        EnrollmentSteps steps = new EnrollmentSteps();
        for (Move m : moves) {
            steps.move(m);
        }
        return steps;
    }

    @Test
    void theStepsComeInTheGuidesOrderAndBackGoesWhereTheUserCameFrom() {
        EnrollmentSteps steps = new EnrollmentSteps();
        assertThat(steps.step()).isEqualTo(Step.SIGN_IN);
        assertThat(steps.move(Move.DONE)).isEqualTo(Step.SMS_CODE);
        assertThat(steps.signedIn()).isFalse();
        assertThat(steps.move(Move.DONE)).isEqualTo(Step.ACCOUNT);
        assertThat(steps.signedIn()).isTrue();
        assertThat(steps.move(Move.NEW_TOKEN)).isEqualTo(Step.NAME);
        assertThat(steps.move(Move.DONE)).isEqualTo(Step.QR);
        assertThat(steps.move(Move.DONE)).isEqualTo(Step.ACTIVATE);
        assertThat(steps.move(Move.BACK)).as("the key is still on hand").isEqualTo(Step.QR);
        assertThat(steps.move(Move.DONE)).isEqualTo(Step.ACTIVATE);
        assertThat(steps.move(Move.DONE)).isEqualTo(Step.ACCOUNT);

        assertThat(steps.move(Move.FINISH_PENDING)).isEqualTo(Step.ACTIVATE);
        assertThat(steps.move(Move.BACK)).as("a pending token's key was shown long ago: nothing to go back to")
                .isEqualTo(Step.ACCOUNT);

        assertThat(steps.move(Move.REGISTER_HARDWARE)).isEqualTo(Step.HARDWARE);
        assertThat(steps.move(Move.DONE)).as("registered: the list shows it").isEqualTo(Step.ACCOUNT);
        assertThat(at(Move.DONE, Move.DONE, Move.REGISTER_HARDWARE, Move.BACK).step()).isEqualTo(Step.ACCOUNT);

        assertThat(at(Move.DONE, Move.BACK).step()).isEqualTo(Step.SIGN_IN);
        assertThat(at(Move.DONE, Move.DONE, Move.NEW_TOKEN, Move.CANCEL).step()).isEqualTo(Step.ACCOUNT);
        assertThat(at(Move.DONE, Move.DONE, Move.NEW_TOKEN, Move.DONE, Move.CANCEL).step()).isEqualTo(Step.ACCOUNT);
        assertThat(at(Move.DONE, Move.DONE, Move.NEW_TOKEN, Move.DONE, Move.DONE, Move.LOG_OUT).step())
                .isEqualTo(Step.SIGN_IN);
    }

    @Test
    void aMoveTheStepDoesNotOfferIsRefused() {
        assertThatThrownBy(() -> at(Move.NEW_TOKEN)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("NEW_TOKEN").hasMessageContaining("SIGN_IN");
        assertThatThrownBy(() -> at(Move.LOG_OUT)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> at(Move.DONE, Move.DONE, Move.DONE)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void failuresMeanTheSameInTheWindowAndTheTerminal() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            EnrollmentClient c = server.client();
            var started = c.login("alice", "alice-pw".toCharArray(), HumanCheckSolver.solve(c.humanCheck()));
            String wrong = server.lastSmsCode("alice").equals("000000") ? "111111" : "000000";
            EnrollmentSteps code = at(Move.DONE);
            ApiException once = catchThrowableOfType(ApiException.class, () -> c.submitCode(started.loginId(), wrong));
            assertThat(code.failed(once).next()).as("a wrong code: another try").isEqualTo(Step.SMS_CODE);
            for (int i = 0; i < 3; i++) {
                catchThrowableOfType(ApiException.class, () -> c.submitCode(started.loginId(), wrong));
            }
            ApiException last = catchThrowableOfType(ApiException.class, () -> c.submitCode(started.loginId(), wrong));
            assertThat(code.failed(last)).as("out of tries: sign in again for a new code")
                    .isEqualTo(new EnrollmentSteps.AfterFailure(Step.SIGN_IN, true));
            assertThat(code.step()).isEqualTo(Step.SIGN_IN);

            var second = c.login("alice", "alice-pw".toCharArray(), HumanCheckSolver.solve(c.humanCheck()));
            server.clock.advance(Duration.ofMinutes(6));
            ApiException expired = catchThrowableOfType(ApiException.class,
                    () -> c.submitCode(second.loginId(), "123456"));
            assertThat(at(Move.DONE).failed(expired).next()).isEqualTo(Step.SIGN_IN);

            EnrollmentClient s = server.signedIn("alice");
            var created = s.createToken("Phone");
            EnrollmentSteps activate = at(Move.DONE, Move.DONE, Move.NEW_TOKEN, Move.DONE, Move.DONE);
            ApiException badFirst = catchThrowableOfType(ApiException.class,
                    () -> s.activate(created.token().id(), server.codeAt(created, 5)));
            assertThat(activate.failed(badFirst).next()).isEqualTo(Step.ACTIVATE);
            server.clock.advance(Duration.ofMinutes(11));
            EnrollmentClient s2 = server.signedIn("alice");
            ApiException tooLate = catchThrowableOfType(ApiException.class,
                    () -> s2.activate(created.token().id(), server.codeNow(created)));
            assertThat(activate.failed(tooLate)).as("no code can finish it: the token list says what became of it")
                    .isEqualTo(new EnrollmentSteps.AfterFailure(Step.ACCOUNT, false));
            assertThat(activate.move(Move.NEW_TOKEN)).isEqualTo(Step.NAME);
            assertThat(Flow.showDetails(tooLate)).isFalse();
            assertThat(Flow.showDetails(ApiException.internal(new IllegalStateException()))).isTrue();

            s2.logout();
            ApiException ended = catchThrowableOfType(ApiException.class, s2::tokens);
            EnrollmentSteps name = at(Move.DONE, Move.DONE, Move.NEW_TOKEN);
            assertThat(name.failed(ended).next()).as("an ended session, on any signed-in step")
                    .isEqualTo(Step.SIGN_IN);
        }
    }

    @Test
    void eachStatusAllowsItsActionsAndNoOthers() {
        assertThat(Flow.actions("active")).containsExactly(Flow.TokenAction.DEACTIVATE, Flow.TokenAction.RENAME,
                Flow.TokenAction.SYNCHRONIZE, Flow.TokenAction.REVOKE);
        assertThat(Flow.actions("disabled")).contains(Flow.TokenAction.REACTIVATE)
                .doesNotContain(Flow.TokenAction.DEACTIVATE);
        assertThat(Flow.actions("pending")).containsExactly(Flow.TokenAction.FINISH, Flow.TokenAction.REMOVE);
        assertThat(Flow.actions("expired")).containsExactly(Flow.TokenAction.REMOVE);
        assertThat(Flow.actions("revoked")).isEmpty();
    }

    @Test
    void aDateThatNeverHappenedReadsNeverInBothLanguages() {
        var fmt = Texts.dateTimeFormat(Locale.ENGLISH);
        assertThat(Flow.date(null, fmt, Texts.bundle(Locale.ENGLISH))).isEqualTo("Never");
        assertThat(Flow.date(null, fmt, Texts.bundle(Locale.forLanguageTag("sv")))).isEqualTo("Aldrig");
        assertThat(Flow.date(Instant.parse("2026-11-28T10:00:00Z"), fmt, Texts.bundle(Locale.ENGLISH))).contains("2026");
    }
}
