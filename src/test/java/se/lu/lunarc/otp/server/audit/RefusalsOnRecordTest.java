package se.lu.lunarc.otp.server.audit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.lu.lunarc.otp.client.ApiException;
import se.lu.lunarc.otp.testing.TestServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Issue 20 §5: every refusal is on record, exactly once, and none can fill the disk. (A refused token import is in
 * ImportTokensCommandTest, a change PostgreSQL runs again in TwoNodesTest.)
 */
class RefusalsOnRecordTest {
    @TempDir
    Path dir;

    private static List<String> lines(TestServer server, String event) throws Exception {
        return Files.readAllLines(server.backend().audit().file()).stream()
                .filter(l -> l.contains("\"event\":\"" + event + "\"")).toList();
    }

    @Test
    void badServiceKeysAreAuditedOnceAMinutePerSourceWithTheCountOfTheRest() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            var bridge = server.client();
            long before = Files.size(server.backend().audit().file());
            for (int i = 0; i < 500; i++) {
                ApiException e = catchThrowableOfType(ApiException.class,
                        () -> bridge.validate("not-the-key-" + "x".repeat(40), "alice", "123456"));
                assertThat(e.code()).isEqualTo("service_key_invalid");
            }
            assertThat(lines(server, "validate_refused")).as("one line for the first minute").hasSize(1);
            assertThat(Files.size(server.backend().audit().file()) - before).as("bytes written").isLessThan(1000);

            server.clock.advance(Duration.ofSeconds(61));
            catchThrowableOfType(ApiException.class, () -> bridge.validate("still-wrong-" + "x".repeat(40), "alice",
                    "123456"));
            List<String> refused = lines(server, "validate_refused");
            assertThat(refused).hasSize(2);
            assertThat(refused.get(1)).contains("service_key_invalid, 499 more since the last line");
        }
    }
}
