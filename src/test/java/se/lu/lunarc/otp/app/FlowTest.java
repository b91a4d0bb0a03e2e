package se.lu.lunarc.otp.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.lu.lunarc.otp.client.ApiException;
import se.lu.lunarc.otp.client.EnrollmentClient;
import se.lu.lunarc.otp.client.HumanCheckSolver;
import se.lu.lunarc.otp.testing.TestServer;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The decisions both clients take from one place, checked against the real backend's answers. */
class FlowTest {
    @TempDir
    Path dir;

    @Test
    void failuresMeanTheSameInTheWindowAndTheTerminal() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            EnrollmentClient c = server.client();
            var started = c.login("alice", "alice-pw".toCharArray(), HumanCheckSolver.solve(c.humanCheck()));
            String wrong = server.lastSmsCode("alice").equals("000000") ? "111111" : "000000";
            ApiException once = catchThrowableOfType(ApiException.class, () -> c.submitCode(started.loginId(), wrong));
            assertThat(Flow.afterCodeFailure(once)).isEqualTo(Flow.AfterCodeFailure.TRY_AGAIN);
            for (int i = 0; i < 3; i++) {
                catchThrowableOfType(ApiException.class, () -> c.submitCode(started.loginId(), wrong));
            }
            ApiException last = catchThrowableOfType(ApiException.class, () -> c.submitCode(started.loginId(), wrong));
            assertThat(Flow.afterCodeFailure(last)).isEqualTo(Flow.AfterCodeFailure.START_AGAIN);

            var second = c.login("alice", "alice-pw".toCharArray(), HumanCheckSolver.solve(c.humanCheck()));
            server.clock.advance(Duration.ofMinutes(6));
            ApiException expired = catchThrowableOfType(ApiException.class,
                    () -> c.submitCode(second.loginId(), "123456"));
            assertThat(Flow.afterCodeFailure(expired)).isEqualTo(Flow.AfterCodeFailure.START_AGAIN);

            EnrollmentClient s = server.signedIn("alice");
            var created = s.createToken("Phone");
            ApiException badFirst = catchThrowableOfType(ApiException.class,
                    () -> s.activate(created.token().id(), server.codeAt(created, 5)));
            assertThat(Flow.afterActivationFailure(badFirst)).isEqualTo(Flow.AfterActivationFailure.TRY_AGAIN);
            server.clock.advance(Duration.ofMinutes(11));
            EnrollmentClient s2 = server.signedIn("alice");
            ApiException tooLate = catchThrowableOfType(ApiException.class,
                    () -> s2.activate(created.token().id(), server.codeNow(created)));
            assertThat(Flow.afterActivationFailure(tooLate)).isEqualTo(Flow.AfterActivationFailure.ENDED);
            assertThat(Flow.showDetails(tooLate)).isFalse();
            assertThat(Flow.showDetails(ApiException.internal(new IllegalStateException()))).isTrue();
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
