package se.lu.lunarc.otp.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.lu.lunarc.otp.api.CreatedToken;
import se.lu.lunarc.otp.api.Token;
import se.lu.lunarc.otp.client.EnrollmentClient;
import se.lu.lunarc.otp.testing.TestServer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

class ConcurrentEnrollmentTest {
    static final int USERS = 50;

    @TempDir
    Path dir;

    @Test
    void fiftyUsersEnrollingAtOnceEachEndWithExactlyTheirTokens() throws Exception {
        try (TestServer server = TestServer.start(dir, null, USERS)) {
            ExecutorService pool = Executors.newFixedThreadPool(USERS);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Map.Entry<String, List<Token>>>> results = new ArrayList<>();
            for (int i = 0; i < USERS; i++) {
                String user = String.format("user%02d", i);
                results.add(pool.submit(() -> {
                    go.await();
                    EnrollmentClient c = server.signedIn(user);
                    CreatedToken phone = c.createToken("Phone of " + user);
                    CreatedToken tablet = c.createToken("Tablet of " + user);
                    c.activate(phone.token().id(), server.codeNow(phone));
                    c.activate(tablet.token().id(), server.codeNow(tablet));
                    c.revoke(tablet.token().id());
                    return Map.entry(user, c.tokens());
                }));
            }
            go.countDown();
            for (var f : results) {
                var r = f.get();
                String user = r.getKey();
                assertThat(r.getValue()).extracting(Token::name, Token::status).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("Phone of " + user, "active"),
                        org.assertj.core.groups.Tuple.tuple("Tablet of " + user, "revoked"));
            }
            pool.shutdown();
        }
    }
}
