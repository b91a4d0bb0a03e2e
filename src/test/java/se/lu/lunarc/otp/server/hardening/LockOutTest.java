package se.lu.lunarc.otp.server.hardening;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.lu.lunarc.otp.api.CreatedToken;
import se.lu.lunarc.otp.api.LoginStarted;
import se.lu.lunarc.otp.client.ApiException;
import se.lu.lunarc.otp.client.EnrollmentClient;
import se.lu.lunarc.otp.client.HumanCheckSolver;
import se.lu.lunarc.otp.server.ServerConfig;
import se.lu.lunarc.otp.server.radius.RadClient;
import se.lu.lunarc.otp.testing.TestRadius;
import se.lu.lunarc.otp.testing.TestServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Issue 20 §2: nobody can lock a user out, by any door. Each test is the attack as it was reproduced from outside:
 * wrong passwords from one address while the owner signs in from another, and a password spray through one login
 * node while its users log in. (The third door, a hardware serial's tries, is in HardwareTokenTest.)
 */
class LockOutTest {
    private static final String OWNER = "127.0.0.10";
    private static final String ATTACKER = "127.0.0.66";

    @TempDir
    Path dir;

    private static ApiException signInFails(EnrollmentClient c, String user, String password) {
        return catchThrowableOfType(ApiException.class,
                () -> c.login(user, password.toCharArray(), HumanCheckSolver.solve(c.humanCheck())));
    }

    @Test
    void wrongPasswordsFromOneAddressNeverKeepTheOwnerOutWhereSheSignedInBefore() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            server.signedInFrom("alice", OWNER); // her desktop: a place where her password was right
            EnrollmentClient attacker = server.clientFrom(ATTACKER);

            // the attacker solves the human check each time; five wrong passwords are checked, then he waits
            for (int i = 1; i <= 5; i++) {
                assertThat(signInFails(attacker, "alice", "guess-" + i).code()).as("wrong password %d", i)
                        .isEqualTo("invalid_credentials");
            }
            ApiException waiting = signInFails(attacker, "alice", "guess-6");
            assertThat(waiting.code()).isEqualTo("rate_limited");
            assertThat(waiting.retryAfterSeconds()).as("his own wait, not the account's").isEqualTo(1L);
            // ... and keeps going, as slowly as he must, from more places too
            for (int round = 0; round < 12; round++) {
                server.clock.advance(Duration.ofMinutes(16));
                signInFails(attacker, "alice", "again-" + round);
                signInFails(server.clientFrom("127.0.0." + (100 + round)), "Alice", "spray-" + round);
            }

            // the owner, with the right password, from her place: in at once, whatever the spelling
            EnrollmentClient owner = server.clientFrom(OWNER);
            LoginStarted started = owner.login("ALICE", "alice-pw".toCharArray(),
                    HumanCheckSolver.solve(owner.humanCheck()));
            assertThat(started.loginId()).isNotBlank();
            String audit = Files.readString(server.backend().audit().file());
            assertThat(audit).contains("\"event\":\"login_refused\"", "\"detail\":\"throttled\"");
        }
    }

    @Test
    void wrongPasswordsSpreadOverManyPlacesAreCappedPerAccountCaseFolded() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            // ten wrong passwords an account per 15 minutes from places where it never signed in
            for (int i = 0; i < 10; i++) {
                String spelling = switch (i % 3) {
                    case 0 -> "alice";
                    case 1 -> "ALICE";
                    default -> "Alice";
                };
                assertThat(signInFails(server.clientFrom("127.0.1." + i), spelling, "spray").code())
                        .isEqualTo("invalid_credentials");
            }
            ApiException capped = signInFails(server.clientFrom("127.0.1.200"), "aLiCe", "spray");
            assertThat(capped.code()).isEqualTo("rate_limited");
            // a right password from a new place is not checked either, until the window has passed
            assertThat(signInFails(server.clientFrom("127.0.1.201"), "alice", "alice-pw").code())
                    .isEqualTo("rate_limited");
            server.clock.advance(Duration.ofMinutes(16));
            EnrollmentClient later = server.clientFrom("127.0.1.202");
            assertThat(later.login("alice", "alice-pw".toCharArray(), HumanCheckSolver.solve(later.humanCheck()))
                    .loginId()).isNotBlank();
        }
    }

    @Test
    void theNasBudgetIsSpentByFailuresNotByItsUsersLoggingIn() throws Exception {
        try (TestServer server = TestServer.startWithUsers(dir, "alice", "bob");
             TestRadius radius = TestRadius.start(server, ServerConfig.RadiusClient.OTP_ONLY,
                     ServerConfig.Radius.REJECT, false, "en", new ServerConfig.Limit(5, 3600), null, null)) {
            CreatedToken token = server.enrolled("alice", "Phone");
            // a busy login node: its users log in many times within the NAS's window
            for (int i = 0; i < 8; i++) {
                assertThat(RadClient.radtest("alice", server.codeNow(token), radius.port, radius.secret).received())
                        .as("login %d", i + 1).isEqualTo("Access-Accept");
                server.clock.advance(Duration.ofSeconds(30));
            }
            // a spray through the same node: each failure counts, from stations of their own
            String wrong = server.codeNow(token).equals("000000") ? "111111" : "000000";
            for (int i = 0; i < 5; i++) {
                assertThat(RadClient.send(radius.port, radius.secret, "User-Name = alice", "User-Password = " + wrong,
                        "Calling-Station-Id = 203.0.113." + i).received()).isEqualTo("Access-Reject");
            }
            RadClient limited = RadClient.send(radius.port, radius.secret, "User-Name = alice",
                    "User-Password = " + server.codeNow(token), "Calling-Station-Id = 198.51.100.20");
            assertThat(limited.received()).as("the node's failure budget is spent").isEqualTo("Access-Reject");
            assertThat(Files.readString(server.backend().audit().file()))
                    .contains("\"detail\":\"rate_limited_client\"");
        }
    }
    @Test
    void placesThatNeverSignedInAreForgottenADayAfterTheirLastWait() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            server.signedIn("alice"); // a place known good for alice: kept
            EnrollmentClient guesser = server.clientFrom(ATTACKER);
            for (int i = 0; i < 20; i++) {
                signInFails(guesser, "ghost" + i, "guess");
            }
            assertThat(failureRows(server)).as("a row for each made-up name").isEqualTo(21);
            server.clock.advance(Duration.ofHours(25));
            signInFails(guesser, "ghost-late", "guess");
            assertThat(failureRows(server)).as("the day-old ones gone; the new one and alice's known place kept")
                    .isEqualTo(2);
        }
    }

    private long failureRows(TestServer server) throws Exception {
        try (var db = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("lunarc-otp.db"));
             var r = db.createStatement().executeQuery("SELECT count(*) FROM password_failures")) {
            return r.getLong(1);
        }
    }
}
