package se.lu.lunarc.otp.app;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.lu.lunarc.otp.api.CreatedToken;
import se.lu.lunarc.otp.api.ErrorCode;
import se.lu.lunarc.otp.api.Token;
import se.lu.lunarc.otp.app.EnrollmentSteps.Move;
import se.lu.lunarc.otp.app.EnrollmentSteps.Step;
import se.lu.lunarc.otp.client.ApiException;
import se.lu.lunarc.otp.testing.TestServer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The one session both clients present, driven here as the terminal drives it (send and take on one thread)
 * against the real backend: its request chains, what it keeps between steps, and when the new key is forgotten.
 */
class EnrollmentSessionTest {
    @TempDir
    Path dir;
    TestServer server;
    ClientHolder holder;
    EnrollmentSession session;
    /** The keys the session said it forgot, in order. */
    final List<String> forgotten = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(dir);
        holder = new ClientHolder(new ClientSettings(server.server().baseUri(), null, Duration.ofSeconds(3),
                Duration.ofSeconds(5), "Pocket Pass", null, Locale.ENGLISH, Duration.ofMinutes(5)));
        session = new EnrollmentSession(holder, () -> { });
        session.onKeyForgotten(forgotten::add);
    }

    @AfterEach
    void stop() throws Exception {
        holder.close();
        server.close();
    }

    private void signIn() throws Exception {
        char[] password = "alice-pw".toCharArray();
        session.signIn("alice", password, session.humanCheck().complete()).complete();
        assertThat(password).as("the request wipes the password it sent").containsOnly('\0');
        assertThat(session.step()).isEqualTo(Step.SMS_CODE);
        session.submitCode(server.lastSmsCode("alice")).complete();
    }

    @Test
    void anAcceptedCodeBringsTheAccountAndItsTokensAndForgetsTheSignIn() throws Exception {
        server.enrolled("alice", "Old phone");
        signIn();
        assertThat(session.step()).isEqualTo(Step.ACCOUNT);
        assertThat(session.signedIn()).isTrue();
        assertThat(session.login()).as("the sign-in is spent").isNull();
        assertThat(session.me().username()).isEqualTo("alice");
        assertThat(session.tokens()).extracting(Token::name).containsExactly("Old phone");
    }

    @Test
    void theNewKeyIsKeptForItsQrCodeAndActivationAndForgottenWhereverTheEnrollmentEnds() throws Exception {
        signIn();
        session.move(Move.NEW_TOKEN);
        CreatedToken created = session.createToken("Phone").complete();
        String secret = created.enrollment().secret();
        assertThat(session.step()).isEqualTo(Step.QR);
        assertThat(session.newToken()).isEqualTo(created);

        session.move(Move.DONE);
        ApiException wrong = catchThrowableOfType(ApiException.class, () -> session.activate("000000").complete());
        assertThat(session.failed(wrong).next()).as("a wrong code: the same step again").isEqualTo(Step.ACTIVATE);
        assertThat(session.move(Move.BACK)).as("the key is still on hand: back to the QR code").isEqualTo(Step.QR);
        assertThat(session.newToken()).isNotNull();
        assertThat(forgotten).isEmpty();

        session.move(Move.CANCEL);
        assertThat(session.step()).isEqualTo(Step.ACCOUNT);
        assertThat(session.newToken()).isNull();
        assertThat(forgotten).as("told once, with the key").containsExactly(secret);

        // a pending token finished from the list: its key was shown long ago, nothing to forget or go back to
        Token pending = session.refreshTokens().complete().get(0);
        assertThat(pending.status()).isEqualTo("pending");
        session.finishPending(pending);
        assertThat(session.activating()).isEqualTo(pending);
        var activated = session.activate(server.codeNow(created)).complete();
        assertThat(activated.token().status()).isEqualTo("active");
        assertThat(session.step()).isEqualTo(Step.ACCOUNT);
        assertThat(session.tokens()).extracting(Token::status).containsExactly("active");
        assertThat(forgotten).hasSize(1);

        // logging out during an enrollment forgets its key and the user
        session.move(Move.NEW_TOKEN);
        String second = session.createToken("Tablet").complete().enrollment().secret();
        session.logOut().complete();
        assertThat(session.step()).isEqualTo(Step.SIGN_IN);
        assertThat(forgotten).containsExactly(secret, second);
        assertThat(session.me()).isNull();
        assertThat(session.tokens()).isEmpty();
    }

    @Test
    void aSessionEndedOnTheServerTakesTheUserBackToTheSignInWithNothingKept() throws Exception {
        signIn();
        session.move(Move.NEW_TOKEN);
        String secret = session.createToken("Phone").complete().enrollment().secret();
        holder.get().logout(); // ended elsewhere: the next request finds no session
        ApiException expired = catchThrowableOfType(ApiException.class, () -> session.activate("123456").complete());
        assertThat(expired.is(ErrorCode.SESSION_EXPIRED)).isTrue();
        assertThat(session.failed(expired).next()).isEqualTo(Step.SIGN_IN);
        assertThat(session.step()).isEqualTo(Step.SIGN_IN);
        assertThat(forgotten).containsExactly(secret);
        assertThat(session.me()).isNull();
    }

    @Test
    void aTokenOffersTheActionsOfItsStatusAndTheirAnswersBringTheList() throws Exception {
        CreatedToken created = server.enrolled("alice", "Phone");
        signIn();
        Token active = session.tokens().get(0);
        assertThat(active.id()).isEqualTo(created.token().id());
        assertThatThrownBy(() -> session.act(Flow.TokenAction.REACTIVATE, active))
                .as("nothing is sent for an action the status does not offer")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("active");

        var renamed = session.act(Flow.TokenAction.RENAME, active, "Work phone").complete();
        assertThat(renamed.name()).isEqualTo("Work phone");
        assertThat(session.tokens()).extracting(Token::name).containsExactly("Work phone");
        session.act(Flow.TokenAction.DEACTIVATE, session.tokens().get(0)).complete();
        assertThat(session.tokens()).extracting(Token::status).containsExactly("disabled");

        ResourceBundle en = ResourceBundle.getBundle(Texts.BUNDLE, Locale.ENGLISH);
        ResourceBundle sv = ResourceBundle.getBundle(Texts.BUNDLE, Locale.forLanguageTag("sv"));
        assertThat(Flow.textMenu("disabled", en))
                .isEqualTo("a = Reactivate, e = Edit, s = Synchronize, x = Revoke, Enter = back");
        assertThat(Flow.textMenu("pending", sv)).isEqualTo("f = Slutför aktiveringen, x = Ta bort, Enter = tillbaka");
        assertThat(Flow.textMenu("revoked", en)).isNull();
        assertThat(Flow.byLetter("pending", "X")).isEqualTo(Flow.TokenAction.REMOVE);
        assertThat(Flow.byLetter("active", "f")).isNull();
    }

    @Test
    void anAnswerIsTakenOnTheSessionsThreadOnly() throws Exception {
        Thread owner = Thread.currentThread();
        EnrollmentSession confined = new EnrollmentSession(holder, () -> {
            if (Thread.currentThread() != owner) {
                throw new IllegalStateException("not on the session's thread");
            }
        });
        var request = confined.humanCheck();
        var proof = request.send();
        var elsewhere = new java.util.concurrent.atomic.AtomicReference<Throwable>();
        Thread other = new Thread(() -> {
            try {
                request.take(proof);
            } catch (Throwable refused) {
                elsewhere.set(refused);
            }
        });
        other.start();
        other.join();
        assertThat(elsewhere.get()).isInstanceOf(IllegalStateException.class);
        request.take(proof); // here it is taken
        assertThat(confined.step()).isEqualTo(Step.SIGN_IN);
    }
}
