package se.lu.lunarc.otp.server.hardening;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.lu.lunarc.otp.api.ValidateResult;
import se.lu.lunarc.otp.testing.TestServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The login path checks codes concurrently (reads beside each other, the secret and HMAC outside any lock);
 * what must not be relaxed by that still holds under a burst of simultaneous requests.
 */
class ConcurrentChecksTest {
    @TempDir
    Path dir;

    @Test
    void oneCodeSentTwentyTimesAtOnceIsAcceptedOnceAndEveryAuditLineIsWhole() throws Exception {
        var limits = TestServer.limitsLoadNeverReaches();
        try (TestServer server = TestServer.start(dir, limits, 0)) {
            var token = server.enrolled("alice", "Phone");
            String code = server.codeNow(token);
            String key = server.serviceKey();
            int senders = 20;
            ExecutorService pool = Executors.newFixedThreadPool(senders);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<ValidateResult>> answers = new ArrayList<>();
            for (int i = 0; i < senders; i++) {
                String source = "192.0.2." + (i + 1); // each from its own station: no throttle in the way
                var client = server.client();
                answers.add(pool.submit(() -> {
                    go.await();
                    return client.validate(key, "alice", code, source);
                }));
            }
            go.countDown();
            int accepted = 0;
            for (Future<ValidateResult> a : answers) {
                ValidateResult r = a.get();
                if (r.accepted()) {
                    accepted++;
                } else {
                    assertThat(r.reason()).isEqualTo("code_replayed");
                }
            }
            pool.shutdown();
            assertThat(accepted).as("one code, one login").isEqualTo(1);

            ObjectMapper json = new ObjectMapper();
            List<String> lines = Files.readAllLines(dir.resolve("audit.jsonl"));
            for (String line : lines) {
                assertThat(json.readTree(line).get("event")).as(line).isNotNull();
            }
            assertThat(lines.stream().filter(l -> l.contains("\"validate_accept\""))).hasSize(1);
            assertThat(lines.stream().filter(l -> l.contains("\"validate_reject\""))).hasSize(senders - 1);
        }
    }
}
