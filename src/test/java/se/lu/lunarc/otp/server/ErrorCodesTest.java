package se.lu.lunarc.otp.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.function.Executable;
import se.lu.lunarc.otp.api.CreatedToken;
import se.lu.lunarc.otp.api.HumanProof;
import se.lu.lunarc.otp.api.LoginStarted;
import se.lu.lunarc.otp.client.ApiException;
import se.lu.lunarc.otp.client.EnrollmentClient;
import se.lu.lunarc.otp.client.HumanCheckSolver;
import se.lu.lunarc.otp.testing.LoopbackProxy;
import se.lu.lunarc.otp.testing.TestServer;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Every problem code of API v1, produced by the real server and read back by the typed client. */
class ErrorCodesTest {
    @TempDir
    Path dir;
    TestServer server;
    /** In front of the server: every answer the clients got, to hold against the contract. */
    LoopbackProxy proxy;

    /** {@code started}, with the clients it makes going through a recording proxy. */
    TestServer recorded(TestServer started) throws Exception {
        proxy = new LoopbackProxy(started.server().baseUri());
        return started.behind(proxy);
    }

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
            assertThat(se.lu.lunarc.otp.testing.Contract.undeclared(proxy.answers()))
                    .as("statuses the spec does not declare for their operation").isEmpty();
        }
        if (server != null) {
            server.close();
        }
    }

    static ApiException problem(Executable call, int status, String code) {
        ApiException e = catchThrowableOfType(ApiException.class, () -> {
            try {
                call.execute();
            } catch (ApiException ex) {
                throw ex;
            } catch (Throwable t) {
                throw new AssertionError(t);
            }
        });
        assertThat(e).as("expected problem " + code).isNotNull();
        assertThat(e.kind()).isEqualTo(ApiException.Kind.PROBLEM);
        assertThat(e.code()).isEqualTo(code);
        assertThat(e.status()).isEqualTo(status);
        assertThat(e.detail()).isNotBlank().doesNotContain("Exception").doesNotContain("\tat ");
        return e;
    }

    @Test
    void wrongPasswordAndUnknownUserAnswerTheSame() throws Exception {
        server = recorded(TestServer.start(dir));
        EnrollmentClient c = server.client();
        ApiException wrongPw = problem(() -> c.login("alice", "nope".toCharArray(), HumanCheckSolver.solve(c.humanCheck())),
                401, "invalid_credentials");
        ApiException noUser = problem(() -> c.login("mallory", "nope".toCharArray(), HumanCheckSolver.solve(c.humanCheck())),
                401, "invalid_credentials");
        assertThat(noUser.detail()).isEqualTo(wrongPw.detail());
    }

    @Test
    void humanCheckMustBeSolvedFreshAndOnlyOnce() throws Exception {
        server = recorded(TestServer.start(dir));
        EnrollmentClient c = server.client();
        HumanProof proof = HumanCheckSolver.solve(c.humanCheck());
        HumanProof wrongNumber = new HumanProof(proof.algorithm(), proof.challenge(), proof.number() + 1, proof.salt(),
                proof.signature());
        problem(() -> c.login("alice", "alice-pw".toCharArray(), wrongNumber), 400, "human_check_failed");
        problem(() -> c.login("alice", "alice-pw".toCharArray(), null), 400, "human_check_failed");
        c.login("alice", "alice-pw".toCharArray(), proof);
        problem(() -> c.login("alice", "alice-pw".toCharArray(), proof), 400, "human_check_failed");

        HumanProof stale = HumanCheckSolver.solve(c.humanCheck());
        server.clock.advance(Duration.ofMinutes(11));
        problem(() -> c.login("alice", "alice-pw".toCharArray(), stale), 400, "human_check_failed");
    }

    @Test
    void smsCodeWrongExpiredAndTooManyTries() throws Exception {
        server = recorded(TestServer.start(dir));
        EnrollmentClient c = server.client();
        LoginStarted started = c.login("alice", "alice-pw".toCharArray(), HumanCheckSolver.solve(c.humanCheck()));
        String right = server.lastSmsCode("alice");
        String wrong = right.equals("000000") ? "111111" : "000000";
        ApiException first = problem(() -> c.submitCode(started.loginId(), wrong), 422, "code_invalid");
        assertThat(first.attemptsLeft()).isEqualTo(4);
        for (int left = 3; left >= 1; left--) {
            assertThat(problem(() -> c.submitCode(started.loginId(), wrong), 422, "code_invalid").attemptsLeft())
                    .isEqualTo(left);
        }
        problem(() -> c.submitCode(started.loginId(), wrong), 429, "too_many_attempts");
        problem(() -> c.submitCode(started.loginId(), right), 410, "code_expired");

        LoginStarted again = c.login("alice", "alice-pw".toCharArray(), HumanCheckSolver.solve(c.humanCheck()));
        String code = server.lastSmsCode("alice");
        server.clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        problem(() -> c.submitCode(again.loginId(), code), 410, "code_expired");
        problem(() -> c.submitCode("no-such-login-id", code), 410, "code_expired");
    }

    @Test
    void resendWaitsThirtySecondsAndStopsAfterThree() throws Exception {
        server = recorded(TestServer.start(dir));
        EnrollmentClient c = server.client();
        LoginStarted started = c.login("alice", "alice-pw".toCharArray(), HumanCheckSolver.solve(c.humanCheck()));
        server.clock.advance(Duration.ofSeconds(10));
        ApiException early = problem(() -> c.resend(started.loginId()), 429, "rate_limited");
        assertThat(early.retryAfterSeconds()).isEqualTo(20);
        for (int i = 0; i < 3; i++) {
            server.clock.advance(Duration.ofSeconds(30));
            c.resend(started.loginId());
        }
        server.clock.advance(Duration.ofSeconds(30));
        problem(() -> c.resend(started.loginId()), 429, "too_many_attempts");
    }

    @Test
    void loginAttemptsPerUserAreRateLimitedWithRetryAfter() throws Exception {
        var limits = new ServerConfig.Limits(new ServerConfig.Limit(3, 600), null, null, null, null, null, 0, 0);
        server = recorded(TestServer.start(dir, limits, 0));
        EnrollmentClient c = server.client();
        for (int i = 0; i < 3; i++) {
            problem(() -> c.login("alice", "nope".toCharArray(), HumanCheckSolver.solve(c.humanCheck())),
                    401, "invalid_credentials");
        }
        ApiException limited = problem(() -> c.login("alice", "alice-pw".toCharArray(),
                HumanCheckSolver.solve(c.humanCheck())), 429, "rate_limited");
        assertThat(limited.retryAfterSeconds()).isBetween(1L, 600L);
        server.clock.advance(Duration.ofSeconds(601));
        assertThat(c.login("alice", "alice-pw".toCharArray(), HumanCheckSolver.solve(c.humanCheck())).loginId())
                .isNotBlank();
    }

    @Test
    void idleSessionExpiresAfterFifteenMinutes() throws Exception {
        server = recorded(TestServer.start(dir));
        EnrollmentClient c = server.signedIn("alice");
        server.clock.advance(Duration.ofMinutes(14));
        c.tokens(); // activity keeps it open
        server.clock.advance(Duration.ofMinutes(14));
        c.me();
        server.clock.advance(Duration.ofMinutes(15).plusSeconds(1));
        problem(c::tokens, 401, "session_expired");
        assertThat(c.hasSession()).isFalse();
    }

    @Test
    void tokenNameRulesLimitsAndStates() throws Exception {
        server = recorded(TestServer.start(dir));
        EnrollmentClient c = server.signedIn("alice");
        problem(() -> c.createToken("   "), 422, "name_invalid");
        problem(() -> c.createToken("x".repeat(65)), 422, "name_invalid");
        problem(() -> c.createToken("bad\u0007name"), 422, "name_invalid");
        assertThat(c.createToken("ö".repeat(64)).token().name()).hasSize(64);
        CreatedToken phone = c.createToken("Phone");
        problem(() -> c.createToken("phone"), 409, "name_taken");
        CreatedToken tablet = c.createToken("Tablet");
        problem(() -> c.rename(tablet.token().id(), " PHONE "), 409, "name_taken");
        c.createToken("Three");
        c.createToken("Four");
        problem(() -> c.createToken("Six"), 409, "token_limit");
        c.revoke(tablet.token().id());
        c.createToken("Tablet"); // a revoked token frees its slot and its name

        problem(() -> c.activate("00000000-0000-0000-0000-000000000000", "123456"), 404, "token_not_found");
        problem(() -> c.disable(phone.token().id()), 409, "token_state");
        c.activate(phone.token().id(), server.codeNow(phone));
        problem(() -> c.activate(phone.token().id(), server.codeNow(phone)), 409, "token_state");
        problem(() -> c.enable(phone.token().id()), 409, "token_state");

        // another user cannot see or touch alice's token
        server.close();
        server = recorded(TestServer.start(dir.resolve("two"), null, 1));
        EnrollmentClient a = server.signedIn("alice");
        EnrollmentClient other = server.signedIn("user00");
        CreatedToken mine = a.createToken("Mine");
        problem(() -> other.revoke(mine.token().id()), 404, "token_not_found");
        problem(() -> other.activate(mine.token().id(), server.codeNow(mine)), 404, "token_not_found");
    }

    @Test
    void activationCodesWrongDriftedExpiredAndTooMany() throws Exception {
        server = recorded(TestServer.start(dir));
        EnrollmentClient c = server.signedIn("alice");
        CreatedToken t = c.createToken("Phone");
        String id = t.token().id();
        ApiException drift = problem(() -> c.activate(id, server.codeAt(t, 2)), 422, "clock_drift");
        assertThat(drift.detail()).contains("clock");
        problem(() -> c.activate(id, server.codeAt(t, -2)), 422, "clock_drift");
        assertThat(problem(() -> c.activate(id, "12345"), 422, "code_invalid").attemptsLeft()).isEqualTo(2);
        String wrong = server.codeAt(t, 5);
        assertThat(problem(() -> c.activate(id, wrong), 422, "code_invalid").attemptsLeft()).isEqualTo(1);
        assertThat(problem(() -> c.activate(id, wrong), 422, "code_invalid").attemptsLeft()).isEqualTo(0);
        problem(() -> c.activate(id, server.codeNow(t)), 429, "too_many_attempts");

        CreatedToken late = c.createToken("Late");
        server.clock.advance(Duration.ofMinutes(10).plusSeconds(1));
        problem(() -> c.activate(late.token().id(), server.codeNow(late)), 410, "enrollment_expired");
        assertThat(c.tokens()).filteredOn(x -> x.id().equals(late.token().id()))
                .extracting(x -> x.status()).containsExactly("expired");

        CreatedToken ok = c.createToken("Ok");
        assertThat(c.activate(ok.token().id(), server.codeAt(ok, -1)).status())
                .as("one step behind is within the window").isEqualTo("active");
        problem(() -> c.resync(ok.token().id(), "000000", "000001"), 422, "code_invalid");
    }

    @Test
    void activeTokensExpireTwoYearsAfterActivation() throws Exception {
        server = recorded(TestServer.start(dir));
        EnrollmentClient c = server.signedIn("alice");
        CreatedToken t = c.createToken("Phone");
        c.activate(t.token().id(), server.codeNow(t));
        server.clock.advance(Duration.ofDays(730).plusSeconds(60));
        EnrollmentClient later = server.signedIn("alice");
        assertThat(later.tokens()).extracting(x -> x.status()).containsExactly("expired");
        assertThat(later.validate(server.serviceKey(), "alice", server.codeNow(t)).result()).isEqualTo("reject");
    }

    @Test
    void validateNeedsTheServiceKeyAndSlowsWrongCodesDownPerSource() throws Exception {
        server = recorded(TestServer.start(dir));
        EnrollmentClient c = server.signedIn("alice");
        CreatedToken t = c.createToken("Phone");
        c.activate(t.token().id(), server.codeNow(t));
        problem(() -> c.validate("wrong-key", "alice", "123456"), 401, "service_key_invalid");
        String key = server.serviceKey();
        server.clock.advance(Duration.ofSeconds(30));
        String now = server.codeNow(t);
        String wrong = (char) ('0' + (now.charAt(0) - '0' + 5) % 10) + now.substring(1);
        // five free wrong codes, then this source waits a second before its next is checked
        for (int i = 0; i < 5; i++) {
            assertThat(c.validate(key, "alice", wrong, "192.0.2.66").reason()).isEqualTo("code_invalid");
        }
        assertThat(c.validate(key, "alice", now, "192.0.2.66").reason()).isEqualTo("throttled");
        // the owner, somewhere else, is not held up
        assertThat(c.validate(key, "alice", now, "198.51.100.10").result()).isEqualTo("accept");
        // the same code again: a replay, said as such
        assertThat(c.validate(key, "alice", now, "198.51.100.10").reason()).isEqualTo("code_replayed");
        server.clock.advance(Duration.ofSeconds(30));
        assertThat(c.validate(key, "alice", server.codeNow(t), "192.0.2.66").result()).isEqualTo("accept");
    }

    @Test
    void malformedRequestsAndUnknownPathsAnswerProblemJsonWithoutInternals() throws Exception {
        server = recorded(TestServer.start(dir));
        OkHttpClient http = new OkHttpClient();
        ObjectMapper json = new ObjectMapper();
        MediaType type = MediaType.get("application/json");
        String[][] cases = {
                {"POST", "/api/v1/login", "{\"username\": \"alice\", \"password\": ", "400", "bad_request"},
                {"POST", "/api/v1/login", "<html>", "400", "bad_request"},
                {"GET", "/api/v1/nothing-here", null, "404", "not_found"},
                {"GET", "/api/v1/tokens", null, "401", "session_expired"},
                {"DELETE", "/api/v1/tokens/abc", null, "401", "session_expired"},
        };
        for (String[] k : cases) {
            Request r = new Request.Builder().url(proxy.uri() + k[1])
                    .method(k[0], k[2] == null ? null : RequestBody.create(k[2], type)).build();
            try (Response resp = http.newCall(r).execute()) {
                assertThat(resp.code()).as(k[0] + " " + k[1]).isEqualTo(Integer.parseInt(k[3]));
                assertThat(resp.header("Content-Type")).startsWith("application/problem+json");
                String body = resp.body().string();
                JsonNode p = json.readTree(body);
                assertThat(p.get("code").asText()).isEqualTo(k[4]);
                assertThat(p.get("status").asInt()).isEqualTo(Integer.parseInt(k[3]));
                assertThat(p.get("type").asText()).isNotBlank();
                assertThat(body).doesNotContain("Exception").doesNotContain("jackson").doesNotContain("\"password");
            }
        }
    }
}
