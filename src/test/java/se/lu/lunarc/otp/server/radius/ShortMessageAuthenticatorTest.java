package se.lu.lunarc.otp.server.radius;

import org.aaa4j.radius.core.packet.packets.AccessChallenge;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import se.lu.lunarc.otp.server.ServerConfig;
import se.lu.lunarc.otp.testing.RawRadiusClient;
import se.lu.lunarc.otp.testing.TestRadius;
import se.lu.lunarc.otp.testing.TestServer;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static se.lu.lunarc.otp.server.ServerConfig.RadiusClient.CHALLENGE;

/**
 * Issue 20 §0: RFC 3579 §3.2 fixes Message-Authenticator at 16 octets. Whoever is on the path and swaps the NAS's
 * attribute for a shorter or longer one must get no answer, on a client that requires the attribute and on one
 * that only checks it when present; otherwise the BlastRADIUS protection is void.
 */
class ShortMessageAuthenticatorTest {
    private static final int MESSAGE_AUTHENTICATOR = 80;

    @TempDir
    Path dir;
    TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.startWithUsers(dir, "alice");
        server.enrolled("alice", "Phone");
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @ParameterizedTest(name = "requireMessageAuthenticator: {0}")
    @ValueSource(booleans = {true, false})
    void aMessageAuthenticatorOfAnyLengthButSixteenIsDropped(boolean required) throws Exception {
        try (TestRadius radius = TestRadius.start(server, CHALLENGE, ServerConfig.Radius.REJECT, required);
             RawRadiusClient attacker = new RawRadiusClient(InetAddress.getLoopbackAddress(), radius.port,
                     radius.secret, 700)) {
            for (int length : new int[] {0, 8, 15, 17}) {
                byte[] forged = withAttribute(attacker.accessRequest("alice", "alice-pw", null, false).bytes(),
                        MESSAGE_AUTHENTICATOR, new byte[length]);
                assertThat(attacker.answered(forged)).as("a %d-byte Message-Authenticator", length).isFalse();
            }
            // a wrong value of the right length, and two attributes where one is allowed (RFC 3579 §3.3)
            byte[] wrong = withAttribute(attacker.accessRequest("alice", "alice-pw", null, false).bytes(),
                    MESSAGE_AUTHENTICATOR, new byte[16]);
            assertThat(attacker.answered(wrong)).isFalse();
            byte[] shortThenRight = signedWith(withAttribute(attacker.accessRequest("alice", "alice-pw", null,
                    false).bytes(), MESSAGE_AUTHENTICATOR, new byte[8]), radius.secret);
            assertThat(attacker.answered(shortThenRight)).isFalse();

            // the same NAS with a right attribute, or (where allowed) none, is answered
            assertThat(attacker.send(attacker.accessRequest("alice", "alice-pw", null, true)))
                    .isInstanceOf(AccessChallenge.class);
            if (!required) {
                assertThat(attacker.send(attacker.accessRequest("alice", "alice-pw", null, false)))
                        .isInstanceOf(AccessChallenge.class);
            }
        }
        assertThat(Files.readString(server.backend().audit().file()))
                .contains("\"detail\":\"message_authenticator_invalid\"");
    }

    /**
     * The packet with a 16-byte Message-Authenticator added at its end, its HMAC-MD5 computed with the secret as
     * RFC 3579 §3.2 says: only the added one is checked by a reader that looks for the 16-byte attribute.
     */
    static byte[] signedWith(byte[] packet, String secret) throws Exception {
        byte[] b = withAttribute(packet, MESSAGE_AUTHENTICATOR, new byte[16]);
        javax.crypto.Mac hmac = javax.crypto.Mac.getInstance("HmacMD5");
        hmac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "HmacMD5"));
        System.arraycopy(hmac.doFinal(b), 0, b, b.length - 16, 16);
        return b;
    }

    /** The packet with one more attribute at its end, and its length field saying so. */
    static byte[] withAttribute(byte[] packet, int type, byte[] value) {
        byte[] b = Arrays.copyOf(packet, packet.length + 2 + value.length);
        b[packet.length] = (byte) type;
        b[packet.length + 1] = (byte) (2 + value.length);
        System.arraycopy(value, 0, b, packet.length + 2, value.length);
        b[2] = (byte) (b.length >> 8);
        b[3] = (byte) b.length;
        return b;
    }
}
