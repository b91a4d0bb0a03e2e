package se.lu.lunarc.otp.server.radius;

import io.javalin.Javalin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.lu.lunarc.otp.api.CreatedToken;
import se.lu.lunarc.otp.server.ServerConfig;
import se.lu.lunarc.otp.testing.TestRadius;
import se.lu.lunarc.otp.testing.TestServer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 20 §3: the SMS fallback's sends wait on the provider (10 s by default) and must not hold the threads that
 * answer NASes. A real HTTP SMS provider on loopback holds every send until the test lets go; meanwhile more users
 * than RADIUS has threads ask for SMS codes, and a user with an app logs in through the same NAS, which gives up
 * after 2 s as radclient is told to.
 */
class SmsOffTheWorkersTest {
    private static final List<String> NEWCOMERS = List.of("bob", "carol", "dave", "erin", "frank", "gina");

    @TempDir
    Path dir;
    Javalin provider;
    final CountDownLatch letGo = new CountDownLatch(1);
    volatile int answer = 200;
    volatile boolean holding;

    @BeforeAll
    static void radclientInstalled() {
        RadiusTools.requireRadclient();
    }

    @AfterEach
    void stop() {
        letGo.countDown();
        provider.stop();
    }

    private String slowProvider() {
        provider = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.jetty.threadPool = new org.eclipse.jetty.util.thread.QueuedThreadPool(32, 8);
            cfg.routes.post("/sms", ctx -> {
                if (holding) {
                    letGo.await(15, TimeUnit.SECONDS);
                }
                if (answer == 200) {
                    // delivered: the phones' messages, one JSON line each, where the tests read codes
                    java.nio.file.Files.writeString(dir.resolve("sms-outbox.jsonl"), ctx.body() + "\n",
                            java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
                }
                ctx.status(answer);
            });
        }).start("127.0.0.1", 0);
        return "http://127.0.0.1:" + provider.port() + "/sms";
    }

    private ServerConfig withProvider(ServerConfig c, String url) {
        return c.withSms(new ServerConfig.Sms("http", dir.resolve("sms-outbox.jsonl"), new ServerConfig.HttpSms(url, "json", null, null, null,
                null, null, null, Map.of(), 10, 0), null));
    }

    @Test
    void slowSmsSendsDoNotHoldUpAnAppLoginOnTheSameNas() throws Exception {
        String url = slowProvider();
        List<String> users = new ArrayList<>(NEWCOMERS);
        users.add(0, "alice");
        ExecutorService nases = Executors.newFixedThreadPool(NEWCOMERS.size());
        try (TestServer server = TestServer.startWithUsers(dir, c -> withProvider(c, url), users.toArray(String[]::new));
             TestRadius radius = TestRadius.start(server, ServerConfig.RadiusClient.CHALLENGE,
                     ServerConfig.Radius.SMS, false)) {
            CreatedToken phone = server.enrolled("alice", "Phone");
            holding = true;
            List<Future<RadClient>> smsLogins = new ArrayList<>();
            for (String user : NEWCOMERS) {
                smsLogins.add(nases.submit(() -> RadClient.send(radius.port, radius.secret, "User-Name = " + user,
                        "User-Password = " + user + TestServer.PASSWORD_SUFFIX)));
            }
            Thread.sleep(500); // the sends are under way, each held by the provider
            RadClient password = RadClient.send(radius.port, radius.secret, "User-Name = alice",
                    "User-Password = alice-pw");
            assertThat(password.received()).as("answered while six SMS are in flight").isEqualTo("Access-Challenge");
            RadClient code = RadClient.send(radius.port, radius.secret, "User-Name = alice",
                    "User-Password = " + server.codeNow(phone), "State = " + password.attribute("State"));
            assertThat(code.received()).isEqualTo("Access-Accept");
            for (Future<RadClient> f : smsLogins) {
                assertThat(f.get().received()).as("the SMS prompt, before the provider answered")
                        .isEqualTo("Access-Challenge");
                assertThat(f.get().attribute("Reply-Message")).contains("was sent by SMS");
            }

            // the provider then refuses: the user's answer is told so, as a notice PAM shows
            answer = 503;
            letGo.countDown();
            RadClient bob = smsLogins.get(0).get();
            RadClient told = null;
            for (int i = 0; i < 50; i++) {
                Thread.sleep(100);
                told = RadClient.send(radius.port, radius.secret, "User-Name = bob", "User-Password = 123456",
                        "State = " + bob.attribute("State"));
                if (!"Access-Reject".equals(told.received())) {
                    break;
                }
                bob = RadClient.send(radius.port, radius.secret, "User-Name = bob", "User-Password = bob-pw");
            }
            assertThat(told.received()).isEqualTo("Access-Challenge");
            assertThat(told.attribute("Reply-Message")).contains("could not be sent by SMS");
        } finally {
            nases.shutdownNow();
        }
    }
}
