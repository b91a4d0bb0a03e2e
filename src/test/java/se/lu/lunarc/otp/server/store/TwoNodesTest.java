package se.lu.lunarc.otp.server.store;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.lu.lunarc.otp.api.CreatedToken;
import se.lu.lunarc.otp.server.ServerConfig;
import se.lu.lunarc.otp.testing.Postgres;
import se.lu.lunarc.otp.testing.TestServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two real servers on one real PostgreSQL store, as two nodes behind a load balancer: a token enrolled on one
 * logs in on the other, a code accepted by one is refused by the other, and a node with another key file does not
 * start.
 */
class TwoNodesTest {
    private static Postgres postgres;

    @TempDir
    Path dir;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = Postgres.start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    private static ServerConfig onStore(ServerConfig config, String url, Path passwordFile) {
        return config.withStore(new ServerConfig.Store("postgresql", url, Postgres.USER, passwordFile, 4));
    }

    @Test
    void aTokenEnrolledOnOneNodeLogsInOnTheOtherOnceAndAForeignKeyIsRefused() throws Exception {
        String url = postgres.newDatabase();
        Path password = dir.resolve("store-password");
        Files.writeString(password, Postgres.PASSWORD + "\n");
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        try (TestServer nodeA = TestServer.start(a, c -> onStore(c, url, password))) {
            CreatedToken token = nodeA.enrolled("alice", "Phone");
            // the second node gets a copy of the first one's key file, as the README tells a site to do
            Files.createDirectories(b);
            Files.copy(a.resolve("secret.key"), b.resolve("secret.key"));
            Files.setPosixFilePermissions(b.resolve("secret.key"),
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            try (TestServer nodeB = TestServer.start(b, c -> onStore(c, url, password))) {
                nodeB.clock.advance(Duration.ofSeconds(30)); // the same time as node A's
                String code = nodeB.codeNow(token);
                assertThat(nodeB.client().validate(nodeB.serviceKey(), "alice", code).result())
                        .as("enrolled on A, accepted on B").isEqualTo("accept");
                assertThat(nodeA.client().validate(nodeA.serviceKey(), "alice", code).reason())
                        .as("the same code on A after B").isEqualTo("code_replayed");
                assertThat(nodeB.signedIn("alice").tokens())
                        .as("B lists what A made").extracting(t -> t.name()).containsExactly("Phone");
            }
            Path c = dir.resolve("c"); // a node whose key file is its own
            assertThatThrownBy(() -> TestServer.start(c, cfg -> onStore(cfg, url, password)).close())
                    .hasMessageContaining("is not the key this store's secrets were sealed with");
        }
    }

    @Test
    void signInAttemptsOnBothNodesComeOutOfOneLimit() throws Exception {
        String url = postgres.newDatabase();
        Path password = dir.resolve("store-password");
        Files.writeString(password, Postgres.PASSWORD + "\n");
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        try (TestServer nodeA = TestServer.start(a, c -> onStore(c, url, password))) {
            Files.createDirectories(b);
            Files.copy(a.resolve("secret.key"), b.resolve("secret.key"));
            Files.setPosixFilePermissions(b.resolve("secret.key"),
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            try (TestServer nodeB = TestServer.start(b, c -> onStore(c, url, password))) {
                // the default: 10 sign-in attempts per account in 15 minutes, now over both nodes together
                for (int i = 0; i < 10; i++) {
                    TestServer node = i % 2 == 0 ? nodeA : nodeB;
                    assertThat(signInCode(node, "wrong-password")).as("attempt " + (i + 1)).isEqualTo("invalid_credentials");
                }
                assertThat(signInCode(nodeA, "alice" + TestServer.PASSWORD_SUFFIX)).isEqualTo("rate_limited");
                assertThat(signInCode(nodeB, "alice" + TestServer.PASSWORD_SUFFIX)).isEqualTo("rate_limited");
            }
        }
    }

    /** The problem code of a sign-in with {@code password}, or "started". */
    private static String signInCode(TestServer node, String password) throws Exception {
        var client = node.client();
        try {
            client.login("alice", password.toCharArray(),
                    se.lu.lunarc.otp.client.HumanCheckSolver.solve(client.humanCheck()));
            return "started";
        } catch (se.lu.lunarc.otp.client.ApiException e) {
            return e.code();
        }
    }

    @Test
    void oneEnrollmentMovesBetweenNodesAtEveryStep() throws Exception {
        String url = postgres.newDatabase();
        Path password = dir.resolve("store-password");
        Files.writeString(password, Postgres.PASSWORD + "\n");
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        try (TestServer nodeA = TestServer.start(a, c -> onStore(c, url, password))) {
            Files.createDirectories(b);
            Files.copy(a.resolve("secret.key"), b.resolve("secret.key"));
            Files.setPosixFilePermissions(b.resolve("secret.key"),
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            try (TestServer nodeB = TestServer.start(b, c -> onStore(c, url, password));
                 se.lu.lunarc.otp.testing.LoopbackProxy balancer =
                         new se.lu.lunarc.otp.testing.LoopbackProxy(java.net.URI.create(nodeA.baseUrl()))) {
                var client = nodeA.behind(balancer).client();
                var human = client.humanCheck(); // the challenge from A
                balancer.switchTo(java.net.URI.create(nodeB.baseUrl()));
                var started = client.login("alice", ("alice" + TestServer.PASSWORD_SUFFIX).toCharArray(),
                        se.lu.lunarc.otp.client.HumanCheckSolver.solve(human)); // its proof on B; B sends the SMS
                balancer.switchTo(java.net.URI.create(nodeA.baseUrl()));
                client.submitCode(started.loginId(), nodeB.lastSmsCode("alice")); // the code on A
                balancer.switchTo(java.net.URI.create(nodeB.baseUrl()));
                CreatedToken created = client.createToken("Phone"); // the session on B
                balancer.switchTo(java.net.URI.create(nodeA.baseUrl()));
                assertThat(client.activate(created.token().id(), nodeA.codeNow(created)).status()).isEqualTo("active");
                nodeA.clock.advance(Duration.ofSeconds(30));
                nodeB.clock.advance(Duration.ofSeconds(30));
                String code = nodeA.codeNow(created);
                assertThat(nodeB.client().validate(nodeB.serviceKey(), "alice", code).result()).isEqualTo("accept");
                assertThat(nodeA.client().validate(nodeA.serviceKey(), "alice", code).reason())
                        .isEqualTo("code_replayed");
                balancer.switchTo(java.net.URI.create(nodeB.baseUrl()));
                assertThat(client.sessions()).as("one session, seen from B").hasSize(1);
            }
        }
    }
}
