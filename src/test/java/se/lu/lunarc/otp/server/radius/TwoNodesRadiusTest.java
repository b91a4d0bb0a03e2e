package se.lu.lunarc.otp.server.radius;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import se.lu.lunarc.otp.api.CreatedToken;
import se.lu.lunarc.otp.server.ServerConfig;
import se.lu.lunarc.otp.testing.Postgres;
import se.lu.lunarc.otp.testing.PostgresPerClass;
import se.lu.lunarc.otp.testing.TestRadius;
import se.lu.lunarc.otp.testing.TestServer;
import se.lu.lunarc.otp.testing.TwoNodes;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static se.lu.lunarc.otp.server.ServerConfig.RadiusClient.CHALLENGE;

/**
 * The cluster's login over RADIUS with two nodes on one real PostgreSQL store, asked by radclient as a NAS with
 * two servers would ask: the password round on one node, the code on the other, and a code used on one refused
 * on the other.
 */
class TwoNodesRadiusTest {
    @RegisterExtension
    static final PostgresPerClass postgres = new PostgresPerClass();

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        RadiusTools.requireRadclient();
    }


    @Test
    void aStateMadeOnOneNodeIsAnsweredOnTheOtherAndACodeCountsOnce() throws Exception {
        try (TwoNodes nodes = TwoNodes.start(postgres.server(), dir)) {
            TestServer nodeA = nodes.a;
            TestServer nodeB = nodes.b;
            CreatedToken token = nodeA.enrolled("alice", "Phone");
            try (TestRadius radiusA = TestRadius.start(nodeA, CHALLENGE, ServerConfig.Radius.REJECT, false);
                 TestRadius radiusB = TestRadius.start(nodeB, CHALLENGE, ServerConfig.Radius.REJECT, false)) {
                nodeB.clock.advance(java.time.Duration.ofSeconds(30)); // node A's time after the enrollment
                RadClient passwordOnA = RadClient.send(radiusA.port, radiusA.secret, "User-Name = alice",
                        "User-Password = alice-pw", "Calling-Station-Id = 192.0.2.7");
                assertThat(passwordOnA.received()).isEqualTo("Access-Challenge");
                String code = nodeA.codeNow(token);
                RadClient codeOnB = RadClient.send(radiusB.port, radiusB.secret, "User-Name = alice",
                        "User-Password = " + code, "State = " + passwordOnA.attribute("State"),
                        "Calling-Station-Id = 192.0.2.7");
                assertThat(codeOnB.received()).as("A's State answered on B").isEqualTo("Access-Accept");

                RadClient againOnA = RadClient.send(radiusA.port, radiusA.secret, "User-Name = alice",
                        "User-Password = alice-pw", "Calling-Station-Id = 192.0.2.7");
                RadClient replayOnA = RadClient.send(radiusA.port, radiusA.secret, "User-Name = alice",
                        "User-Password = " + code, "State = " + againOnA.attribute("State"),
                        "Calling-Station-Id = 192.0.2.7");
                assertThat(replayOnA.received()).as("B's code again, on A").isEqualTo("Access-Reject");
                RadClient spentStateOnA = RadClient.send(radiusA.port, radiusA.secret, "User-Name = alice",
                        "User-Password = " + code, "State = " + passwordOnA.attribute("State"));
                assertThat(spentStateOnA.received()).as("the State B took").isEqualTo("Access-Reject");
            }
        }
    }
}
