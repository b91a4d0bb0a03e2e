package se.lu.lunarc.otp.server.hardening;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.lu.lunarc.otp.api.CreatedToken;
import se.lu.lunarc.otp.client.EnrollmentClient;
import se.lu.lunarc.otp.testing.TestServer;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 20 §0: docs/rules.md and docs/security.md promise at most 100 checked wrong codes an hour per account from
 * places where the user never logged in, and 5 free wrong codes per place before the waits begin. An attacker who
 * got past the password guesses as fast as the server lets them: from each new place until it must wait, then
 * from the next, and back at the first ones once their waits are over.
 */
class CodeGuessCapTest {
    private static final String OWNERS_STATION = "198.51.100.10";

    @TempDir
    Path dir;
    TestServer server;
    CreatedToken token;
    String key;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(dir);
        token = server.enrolled("alice", "Phone");
        key = server.serviceKey();
        // the owner logs in once from her usual station: the only place known good
        assertThat(server.client().validate(key, "alice", server.codeNow(token), OWNERS_STATION).accepted()).isTrue();
        server.clock.advance(Duration.ofSeconds(30));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private String wrongCode() {
        return server.codeNow(token).equals("000000") ? "111111" : "000000";
    }

    @Test
    void guessingFromEachNewSourceUntilItMustWaitChecksAtMostTheHundredTheReadmePromises() throws Exception {
        EnrollmentClient attacker = server.client();
        int checked = 0;
        for (int source = 0; source < 40; source++) {
            int here = 0;
            while (attacker.validate(key, "alice", wrongCode(), "203.0.113." + source).reason().equals("code_invalid")) {
                here++;
            }
            assertThat(here).as("wrong codes checked back to back from one place").isLessThanOrEqualTo(5);
            checked += here;
        }
        assertThat(checked).as("wrong codes checked, over 40 new places").isEqualTo(100);

        // the first places' waits are long over: the cap, not the wait, keeps them out now
        server.clock.advance(Duration.ofMinutes(20));
        for (int source = 0; source < 5; source++) {
            assertThat(attacker.validate(key, "alice", wrongCode(), "203.0.113." + source).reason())
                    .isEqualTo("throttled");
        }
        assertThat(placesKnownGood()).as("places the user ever succeeded at").containsExactly(OWNERS_STATION);
        // the owner at her station is not held by the cap
        assertThat(attacker.validate(key, "alice", server.codeNow(token), OWNERS_STATION).accepted()).isTrue();
        // and the cap is an hour's: after it, new places are checked again
        server.clock.advance(Duration.ofMinutes(41));
        assertThat(attacker.validate(key, "alice", wrongCode(), "203.0.113.200").reason()).isEqualTo("code_invalid");
    }

    @Test
    void guessesFromFortyNewSourcesAtOnceCheckExactlyTheHundred() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(40);
        try {
            List<Future<Integer>> sources = new ArrayList<>();
            for (int source = 0; source < 40; source++) {
                String from = "203.0.113." + source;
                EnrollmentClient attacker = server.client();
                Callable<Integer> guess = () -> {
                    int here = 0;
                    for (int i = 0; i < 6; i++) {
                        if (attacker.validate(key, "alice", wrongCode(), from).reason().equals("code_invalid")) {
                            here++;
                        }
                    }
                    return here;
                };
                sources.add(pool.submit(guess));
            }
            int checked = 0;
            for (Future<Integer> f : sources) {
                checked += f.get();
            }
            assertThat(checked).as("wrong codes checked, 40 places guessing at once").isEqualTo(100);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theSixthWrongCodeInARowIsRefusedUncheckedUntilItsWaitIsOver() throws Exception {
        EnrollmentClient attacker = server.client();
        String from = "203.0.113.9";
        for (int i = 1; i <= 5; i++) {
            assertThat(attacker.validate(key, "alice", wrongCode(), from).reason()).as("wrong code %d", i)
                    .isEqualTo("code_invalid");
        }
        assertThat(attacker.validate(key, "alice", server.codeNow(token), from).reason())
                .as("the 6th, even the right code, at once").isEqualTo("throttled");
        server.clock.advance(Duration.ofSeconds(1));
        assertThat(attacker.validate(key, "alice", wrongCode(), from).reason()).isEqualTo("code_invalid");
        server.clock.advance(Duration.ofSeconds(1));
        assertThat(attacker.validate(key, "alice", wrongCode(), from).reason()).as("1 s is not the 2 s it waits now")
                .isEqualTo("throttled");
        server.clock.advance(Duration.ofSeconds(1));
        assertThat(attacker.validate(key, "alice", wrongCode(), from).reason()).isEqualTo("code_invalid");
    }

    /** The sources with a recorded success, read from the store itself. */
    private List<String> placesKnownGood() throws Exception {
        List<String> out = new ArrayList<>();
        try (var db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("lunarc-otp.db"));
             var rs = db.createStatement().executeQuery(
                     "SELECT source FROM code_failures WHERE last_success IS NOT NULL")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
