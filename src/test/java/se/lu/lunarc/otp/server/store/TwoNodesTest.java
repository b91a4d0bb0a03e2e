package se.lu.lunarc.otp.server.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import se.lu.lunarc.otp.api.CreatedToken;
import se.lu.lunarc.otp.client.ApiException;
import se.lu.lunarc.otp.client.HumanCheckSolver;
import se.lu.lunarc.otp.testing.LoopbackProxy;
import se.lu.lunarc.otp.testing.Postgres;
import se.lu.lunarc.otp.testing.PostgresPerClass;
import se.lu.lunarc.otp.testing.TestServer;
import se.lu.lunarc.otp.testing.TwoNodes;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two real servers on one real PostgreSQL store, as two nodes behind a load balancer: what one node began the
 * other continues, a code accepted by one is refused by the other, limits count over both, and a node with
 * another key file does not start.
 */
class TwoNodesTest {
    @RegisterExtension
    static final PostgresPerClass postgres = new PostgresPerClass();

    @TempDir
    Path dir;



    @Test
    void aTokenEnrolledOnOneNodeLogsInOnTheOtherOnceAndAForeignKeyIsRefused() throws Exception {
        try (TwoNodes nodes = TwoNodes.start(postgres.server(), dir)) {
            CreatedToken token = nodes.a.enrolled("alice", "Phone");
            nodes.b.clock.advance(Duration.ofSeconds(30)); // the same time as node A's after the enrollment
            String code = nodes.b.codeNow(token);
            assertThat(nodes.b.client().validate(nodes.b.serviceKey(), "alice", code).result())
                    .as("enrolled on A, accepted on B").isEqualTo("accept");
            assertThat(nodes.a.client().validate(nodes.a.serviceKey(), "alice", code).reason())
                    .as("the same code on A after B").isEqualTo("code_replayed");
            assertThat(nodes.b.signedIn("alice").tokens())
                    .as("B lists what A made").extracting(t -> t.name()).containsExactly("Phone");
            Path c = dir.resolve("c"); // a node whose key file is its own
            assertThatThrownBy(() -> TestServer.start(c, TwoNodes.onStore(nodes.url, nodes.passwordFile)).close())
                    .hasMessageContaining("is not the key this store's secrets were sealed with");
        }
    }

    @Test
    void wrongPasswordsOnBothNodesComeOutOfOneLimit() throws Exception {
        try (TwoNodes nodes = TwoNodes.start(postgres.server(), dir)) {
            // the default: 10 wrong passwords per account in 15 minutes from new places, over both nodes together
            for (int i = 0; i < 10; i++) {
                TestServer node = i % 2 == 0 ? nodes.a : nodes.b;
                assertThat(signInCode(node, "127.0.2." + i, "wrong-password")).as("attempt " + (i + 1))
                        .isEqualTo("invalid_credentials");
            }
            String right = "alice" + TestServer.PASSWORD_SUFFIX;
            assertThat(signInCode(nodes.a, "127.0.2.100", right)).isEqualTo("rate_limited");
            assertThat(signInCode(nodes.b, "127.0.2.101", right)).isEqualTo("rate_limited");
            // and one place's wrong passwords make it wait on the other node too
            for (int i = 0; i < 5; i++) {
                nodes.a.clock.advance(java.time.Duration.ofMinutes(16));
                nodes.b.clock.advance(java.time.Duration.ofMinutes(16));
                TestServer node = i % 2 == 0 ? nodes.a : nodes.b;
                assertThat(signInCode(node, "127.0.2.50", "wrong-password")).isEqualTo("invalid_credentials");
            }
            assertThat(signInCode(nodes.b, "127.0.2.50", right)).isEqualTo("rate_limited");
        }
    }

    @Test
    void aChangePostgresqlRunsAgainAfterAConflictAtCommitIsAuditedOnce() throws Exception {
        try (TwoNodes nodes = TwoNodes.start(postgres.server(), dir)) {
            var phone = nodes.a.enrolled("alice", "Phone");
            var alice = nodes.a.signedIn("alice");
            String database = nodes.url.substring(nodes.url.lastIndexOf('/') + 1);
            // the next change of a token fails at its commit as a serialization failure would (SQLSTATE 40001,
            // raised by a deferred trigger, once: a sequence is not rolled back), and so runs again
            try (var admin = postgres.server().superuser(database); var s = admin.createStatement()) {
                s.execute("CREATE SEQUENCE conflicts_so_far");
                s.execute("CREATE FUNCTION conflict_once() RETURNS trigger AS $$ BEGIN "
                        + "IF nextval('conflicts_so_far') = 1 THEN "
                        + "RAISE EXCEPTION 'conflict at commit' USING ERRCODE = '40001'; END IF; RETURN NULL; END $$ "
                        + "LANGUAGE plpgsql SECURITY DEFINER");
                s.execute("CREATE CONSTRAINT TRIGGER conflict_at_commit AFTER UPDATE ON tokens "
                        + "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION conflict_once()");
            }
            assertThat(alice.rename(phone.token().id(), "Work phone").name()).isEqualTo("Work phone");
            try (var admin = postgres.server().superuser(database); var s = admin.createStatement();
                 var r = s.executeQuery("SELECT last_value FROM conflicts_so_far")) {
                r.next();
                assertThat(r.getLong(1)).as("commits tried: the first refused").isEqualTo(2);
            }
            long audited = java.nio.file.Files.readAllLines(nodes.a.backend().audit().file()).stream()
                    .filter(l -> l.contains("\"event\":\"token_renamed\"")).count();
            assertThat(audited).as("token_renamed lines for one rename that ran twice").isEqualTo(1);
        }
    }

    @Test
    void wrongSmsCodesOnBothNodesAreCountedTogether() throws Exception {
        try (TwoNodes nodes = TwoNodes.start(postgres.server(), dir)) {
            var onA = nodes.a.client();
            var started = onA.login("alice", ("alice" + TestServer.PASSWORD_SUFFIX).toCharArray(),
                    HumanCheckSolver.solve(onA.humanCheck()));
            String right = nodes.a.lastSmsCode("alice");
            String wrong = right.equals("000000") ? "111111" : "000000";
            var onB = nodes.b.client();
            List<String> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 5; i++) {
                var node = i % 2 == 0 ? onB : onA; // the sign-in started on A; its tries go to both
                try {
                    node.submitCode(started.loginId(), wrong);
                    answers.add("accepted");
                } catch (ApiException e) {
                    answers.add(e.code() + (e.attemptsLeft() == null ? "" : " " + e.attemptsLeft()));
                }
            }
            assertThat(answers).containsExactly("code_invalid 4", "code_invalid 3", "code_invalid 2",
                    "code_invalid 1", "too_many_attempts");
            for (var node : List.of(onA, onB)) {
                ApiException spent = catchThrowableOfType(() -> node.submitCode(started.loginId(), right),
                        ApiException.class);
                assertThat(spent).as("the right code after the last try, on either node").isNotNull();
                assertThat(spent.code()).as("the sign-in ended with its last try").isEqualTo("code_expired");
            }
        }
    }

    /** The problem code of a sign-in with {@code password}, or "started". */
    private static String signInCode(TestServer node, String from, String password) throws Exception {
        var client = node.clientFrom(from);
        try {
            client.login("alice", password.toCharArray(), HumanCheckSolver.solve(client.humanCheck()));
            return "started";
        } catch (ApiException e) {
            return e.code();
        }
    }

    @Test
    void oneEnrollmentMovesBetweenNodesAtEveryStep() throws Exception {
        try (TwoNodes nodes = TwoNodes.start(postgres.server(), dir);
             LoopbackProxy balancer = new LoopbackProxy(URI.create(nodes.a.baseUrl()))) {
            URI a = URI.create(nodes.a.baseUrl());
            URI b = URI.create(nodes.b.baseUrl());
            var client = nodes.a.behind(balancer).client();
            var human = client.humanCheck(); // the challenge from A
            balancer.switchTo(b);
            var started = client.login("alice", ("alice" + TestServer.PASSWORD_SUFFIX).toCharArray(),
                    HumanCheckSolver.solve(human)); // its proof on B; B sends the SMS
            balancer.switchTo(a);
            client.submitCode(started.loginId(), nodes.b.lastSmsCode("alice")); // the code on A
            balancer.switchTo(b);
            CreatedToken created = client.createToken("Phone"); // the session on B
            balancer.switchTo(a);
            assertThat(client.activate(created.token().id(), nodes.a.codeNow(created)).status()).isEqualTo("active");
            nodes.advance(Duration.ofSeconds(30));
            String code = nodes.a.codeNow(created);
            assertThat(nodes.b.client().validate(nodes.b.serviceKey(), "alice", code).result()).isEqualTo("accept");
            assertThat(nodes.a.client().validate(nodes.a.serviceKey(), "alice", code).reason())
                    .isEqualTo("code_replayed");
            balancer.switchTo(b);
            assertThat(client.sessions()).as("one session, seen from B").hasSize(1);
        }
    }
}
