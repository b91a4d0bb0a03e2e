package se.lu.lunarc.otp.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.lu.lunarc.otp.app.ClientSettings;
import se.lu.lunarc.otp.testing.LoopbackProxy;
import se.lu.lunarc.otp.testing.TestServer;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A client given several nodes (server=https://a,https://b): it moves on when a node cannot be reached, and never
 * sends a request that may change something a second time when its answer was lost.
 */
class FailoverTest {
    @TempDir
    Path dir;

    private static URI deadNode() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return URI.create("http://127.0.0.1:" + s.getLocalPort()); // closed again: connections are refused
        }
    }

    @Test
    void aNodeThatIsDownIsPassedOverForEveryKindOfRequest() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            EnrollmentClient client = new EnrollmentClient(ClientOptions.of(deadNode())
                    .withOtherServers(List.of(URI.create(server.baseUrl()))));
            var started = client.login("alice", ("alice" + TestServer.PASSWORD_SUFFIX).toCharArray(),
                    HumanCheckSolver.solve(client.humanCheck()));
            client.submitCode(started.loginId(), server.lastSmsCode("alice"));
            assertThat(client.me().username()).isEqualTo("alice");
        }
    }

    @Test
    void aChangeWhoseAnswerWasLostIsNotSentToTheNextNode() throws Exception {
        try (TestServer server = TestServer.start(dir);
             LoopbackProxy next = new LoopbackProxy(URI.create(server.baseUrl()));
             ServerSocket swallower = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            // a node that takes each request whole and then drops the connection without answering
            Thread dropper = new Thread(() -> {
                while (!swallower.isClosed()) {
                    try (Socket s = swallower.accept(); InputStream in = s.getInputStream()) {
                        in.read(new byte[65536]);
                    } catch (Exception closed) {
                        return;
                    }
                }
            });
            dropper.setDaemon(true);
            dropper.start();
            EnrollmentClient client = new EnrollmentClient(ClientOptions.of(
                    URI.create("http://127.0.0.1:" + swallower.getLocalPort()))
                    .withOtherServers(List.of(next.uri())));
            var human = server.client().humanCheck(); // straight from the server: the sign-in is the first request
            ApiException lost = catchThrowableOfType(() -> client.login("alice",
                    ("alice" + TestServer.PASSWORD_SUFFIX).toCharArray(), HumanCheckSolver.solve(human)),
                    ApiException.class);
            assertThat(lost).as("the sign-in's answer was lost").isNotNull();
            assertThat(next.answers()).as("nothing reached the next node").isEmpty();
            assertThat(Files.exists(server.config.sms().file()) ? Files.readString(server.config.sms().file()) : "")
                    .as("no SMS sent by the second node").isEmpty();
            // a GET whose answer is lost is asked again on the next node, which then keeps the client
            assertThat(client.humanCheck().challenge()).isNotBlank();
            assertThat(next.answers()).extracting(LoopbackProxy.Answer::method).containsExactly("GET");
        }
    }

    @Test
    void theSettingsNameSeveralNodesInOrder() throws Exception {
        Path file = dir.resolve("client.properties");
        Files.writeString(file, "server=https://otp1.example.org, https://otp2.example.org\n");
        ClientSettings settings = ClientSettings.resolve(Map.of(), Map.of(), List.of(file));
        assertThat(settings.server()).isEqualTo(URI.create("https://otp1.example.org"));
        assertThat(settings.otherServers()).containsExactly(URI.create("https://otp2.example.org"));
        Files.writeString(file, "server=https://otp1.example.org,not a url\n");
        assertThat(catchThrowableOfType(() -> ClientSettings.resolve(Map.of(), Map.of(), List.of(file)),
                ClientSettings.Invalid.class)).hasMessageContaining("\"not a url\" is not an address");
    }

    /** "localhost" with two addresses, as DNS round-robin gives a name: first {@code first}, then 127.0.0.1. */
    private static okhttp3.Dns roundRobin(String first) {
        return host -> host.equals("localhost")
                ? List.of(InetAddress.getByName(first), InetAddress.getByName("127.0.0.1"))
                : okhttp3.Dns.SYSTEM.lookup(host);
    }

    @Test
    void aNameWhoseFirstAddressIsDownIsReachedAtItsNext() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            int port = URI.create(server.baseUrl()).getPort(); // nothing listens on 127.0.0.2 at that port
            URI byName = URI.create("http://localhost:" + port);
            var human = server.client().humanCheck();
            // a new client's first request is a sign-in: a POST, tried at the address that refuses, then the next
            EnrollmentClient client = new EnrollmentClient(ClientOptions.of(byName), roundRobin("127.0.0.2"));
            var started = client.login("alice", ("alice" + TestServer.PASSWORD_SUFFIX).toCharArray(),
                    HumanCheckSolver.solve(human));
            client.submitCode(started.loginId(), server.lastSmsCode("alice"));
            assertThat(client.me().username()).isEqualTo("alice");
        }
    }

    @Test
    void aChangeWhoseAnswerWasLostIsNotSentAgainToAnyAddressOfTheName() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            int port = URI.create(server.baseUrl()).getPort();
            try (ServerSocket swallower = new ServerSocket(port, 50, InetAddress.getByName("127.0.0.2"))) {
                java.util.concurrent.atomic.AtomicInteger taken = new java.util.concurrent.atomic.AtomicInteger();
                Thread dropper = new Thread(() -> {
                    while (!swallower.isClosed()) {
                        try (Socket s = swallower.accept(); InputStream in = s.getInputStream()) {
                            taken.incrementAndGet();
                            in.read(new byte[65536]);
                        } catch (Exception closed) {
                            return;
                        }
                    }
                });
                dropper.setDaemon(true);
                dropper.start();
                var human = server.client().humanCheck();
                EnrollmentClient client = new EnrollmentClient(ClientOptions.of(URI.create("http://localhost:" + port)),
                        roundRobin("127.0.0.2"));
                ApiException lost = catchThrowableOfType(() -> client.login("alice",
                        ("alice" + TestServer.PASSWORD_SUFFIX).toCharArray(), HumanCheckSolver.solve(human)),
                        ApiException.class);
                assertThat(lost).as("the sign-in's answer was lost").isNotNull();
                assertThat(Files.exists(server.config.sms().file()) ? Files.readString(server.config.sms().file())
                        : "").as("not sent again to the name's other address").isEmpty();
                assertThat(taken.get()).as("nor again to the same one").isEqualTo(1);
            }
        }
    }
}
