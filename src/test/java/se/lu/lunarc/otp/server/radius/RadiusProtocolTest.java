package se.lu.lunarc.otp.server.radius;

import org.aaa4j.radius.core.attribute.attributes.MessageAuthenticator;
import org.aaa4j.radius.core.attribute.attributes.ReplyMessage;
import org.aaa4j.radius.core.attribute.attributes.State;
import org.aaa4j.radius.core.packet.Packet;
import org.aaa4j.radius.core.packet.packets.AccessAccept;
import org.aaa4j.radius.core.packet.packets.AccessChallenge;
import org.aaa4j.radius.core.packet.packets.AccessReject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.lu.lunarc.otp.api.CreatedToken;
import se.lu.lunarc.otp.server.ServerConfig;
import se.lu.lunarc.otp.testing.RawRadiusClient;
import se.lu.lunarc.otp.testing.TestRadius;
import se.lu.lunarc.otp.testing.TestServer;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static se.lu.lunarc.otp.server.ServerConfig.RadiusClient.CHALLENGE;
import static se.lu.lunarc.otp.server.ServerConfig.RadiusClient.CONCATENATED;
import static se.lu.lunarc.otp.server.ServerConfig.RadiusClient.OTP_ONLY;

/**
 * The RADIUS service against FreeRADIUS's own radclient and radtest, and raw datagrams for what they cannot send:
 * every answer, the challenge round, the modes, the SMS fallback, duplicates, unknown NASes and garbage.
 */
class RadiusProtocolTest {
    @TempDir
    Path dir;
    TestServer server;
    TestRadius radius;
    CreatedToken aliceToken;

    @BeforeAll
    static void radclientInstalled() {
        RadiusTools.requireRadclient();
    }

    @BeforeEach
    void start() throws Exception {
        server = TestServer.startWithUsers(dir, "alice", "bob");
        aliceToken = server.enrolled("alice", "Phone");
    }

    @AfterEach
    void stop() throws Exception {
        if (radius != null) {
            radius.close();
        }
        server.close();
    }

    private String code() {
        return server.codeNow(aliceToken);
    }

    private String audit() throws Exception {
        return Files.readString(server.backend().audit().file());
    }

    @Test
    void passwordThenChallengeThenAccept() throws Exception {
        radius = TestRadius.start(server, CHALLENGE, ServerConfig.Radius.REJECT, false);
        RadClient first = RadClient.send(radius.port, radius.secret, "User-Name = alice", "User-Password = alice-pw",
                "NAS-Identifier = login1", "Calling-Station-Id = 192.0.2.7");
        assertThat(first.received()).isEqualTo("Access-Challenge");
        assertThat(first.attribute("Reply-Message")).isEqualTo("\"Please enter your onetime password: \"");
        assertThat(first.attribute("Prompt")).isEqualTo("No-Echo");
        assertThat(first.attribute("Message-Authenticator")).startsWith("0x");
        String state = first.attribute("State");
        assertThat(state).matches("0x[0-9a-f]{32}");

        String code = code();
        RadClient second = RadClient.send(radius.port, radius.secret, "User-Name = alice", "User-Password = " + code,
                "State = " + state, "NAS-Identifier = login1", "Calling-Station-Id = 192.0.2.7");
        assertThat(second.received()).isEqualTo("Access-Accept");
        assertThat(second.exitCode()).isZero();
        // the token shows when it was last used
        assertThat(server.signedIn("alice").tokens().get(0).lastUsed()).isEqualTo(server.clock.instant());

        // the State is spent, and the code too
        RadClient again = RadClient.send(radius.port, radius.secret, "User-Name = alice", "User-Password = " + code,
                "State = " + state);
        assertThat(again.received()).isEqualTo("Access-Reject");

        String audit = audit();
        assertThat(audit).contains("\"event\":\"radius_challenge\"", "\"event\":\"radius_accept\"",
                "\"detail\":\"state_invalid\"", "\"nas\":\"test-nas\"", "\"nasIdentifier\":\"login1\"",
                "\"callingStationId\":\"192.0.2.7\"");
        assertThat(audit).doesNotContain(code, "alice-pw", radius.secret);
    }

    @Test
    void wrongPasswordWrongCodeAndReplayAreRejected() throws Exception {
        radius = TestRadius.start(server, CHALLENGE, ServerConfig.Radius.REJECT, false);
        RadClient wrongPassword = RadClient.send(radius.port, radius.secret, "User-Name = alice",
                "User-Password = not-her-password");
        assertThat(wrongPassword.received()).isEqualTo("Access-Reject");
        assertThat(wrongPassword.attribute("Reply-Message")).isNull();
        assertThat(RadClient.send(radius.port, radius.secret, "User-Name = nobody", "User-Password = x")
                .received()).isEqualTo("Access-Reject");

        String wrongCode = code().equals("000000") ? "111111" : "000000";
        assertThat(challengeAnswer(wrongCode).received()).isEqualTo("Access-Reject");
        assertThat(challengeAnswer(code()).received()).isEqualTo("Access-Accept");
        // the same code in the same time step: a replay
        assertThat(challengeAnswer(code()).received()).isEqualTo("Access-Reject");
        server.clock.advance(Duration.ofSeconds(30));
        assertThat(challengeAnswer(code()).received()).isEqualTo("Access-Accept");
        assertThat(audit()).contains("\"detail\":\"invalid_credentials\"", "\"detail\":\"code_invalid\"");
    }

    @Test
    void codesAcceptedOverHttpAreNotAcceptedOverRadiusAndTheOtherWayRound() throws Exception {
        radius = TestRadius.start(server, CHALLENGE, ServerConfig.Radius.REJECT, false);
        String key = server.serviceKey();
        assertThat(server.client().validate(key, "alice", code()).accepted()).isTrue();
        assertThat(challengeAnswer(code()).received()).isEqualTo("Access-Reject");
        server.clock.advance(Duration.ofSeconds(30));
        assertThat(challengeAnswer(code()).received()).isEqualTo("Access-Accept");
        assertThat(server.client().validate(key, "alice", code()).accepted()).isFalse();
    }

    @Test
    void disabledAndRevokedTokensDoNotLogIn() throws Exception {
        radius = TestRadius.start(server, OTP_ONLY, ServerConfig.Radius.REJECT, false);
        var c = server.signedIn("alice");
        c.disable(aliceToken.token().id());
        RadClient disabled = RadClient.radtest("alice", code(), radius.port, radius.secret);
        // no active token: the enroll notice, never an Accept
        assertThat(disabled.received()).isEqualTo("Access-Challenge");
        c.enable(aliceToken.token().id());
        assertThat(RadClient.radtest("alice", code(), radius.port, radius.secret).received()).isEqualTo("Access-Accept");
        server.clock.advance(Duration.ofSeconds(30));
        c.revoke(aliceToken.token().id());
        assertThat(RadClient.radtest("alice", code(), radius.port, radius.secret).received())
                .isEqualTo("Access-Challenge");
    }

    @Test
    void otpOnlyTakesTheCodeAloneAndConcatenatedTakesPasswordAndCode() throws Exception {
        radius = TestRadius.start(server, OTP_ONLY, ServerConfig.Radius.REJECT, false);
        assertThat(RadClient.radtest("alice", code(), radius.port, radius.secret).received())
                .isEqualTo("Access-Accept");
        radius.close();
        server.clock.advance(Duration.ofSeconds(30));

        radius = TestRadius.start(server, CONCATENATED, ServerConfig.Radius.REJECT, false);
        assertThat(RadClient.radtest("alice", "wrong-pw" + code(), radius.port, radius.secret).received())
                .isEqualTo("Access-Reject");
        assertThat(RadClient.radtest("alice", "alice-pw", radius.port, radius.secret).received())
                .isEqualTo("Access-Reject");
        assertThat(RadClient.radtest("alice", "alice-pw" + code(), radius.port, radius.secret).received())
                .isEqualTo("Access-Accept");
    }

    @Test
    void userWithoutTokenIsToldToEnrollOrGetsAnSmsCode() throws Exception {
        radius = TestRadius.start(server, CHALLENGE, ServerConfig.Radius.REJECT, false);
        RadClient notice = RadClient.send(radius.port, radius.secret, "User-Name = bob", "User-Password = bob-pw");
        assertThat(notice.received()).isEqualTo("Access-Challenge");
        assertThat(notice.attribute("Reply-Message")).contains("Register OTP Authenticator", "Lunarc Tools");
        RadClient end = RadClient.send(radius.port, radius.secret, "User-Name = bob", "User-Password = ok",
                "State = " + notice.attribute("State"));
        assertThat(end.received()).isEqualTo("Access-Reject");
        assertThat(end.attribute("Reply-Message")).contains("Register OTP Authenticator");
        radius.close();

        radius = TestRadius.start(server, CHALLENGE, ServerConfig.Radius.SMS, false, "sv");
        RadClient sms = RadClient.send(radius.port, radius.secret, "User-Name = bob", "User-Password = bob-pw");
        assertThat(sms.received()).isEqualTo("Access-Challenge");
        assertThat(sms.attribute("Reply-Message")).isEqualTo("\"En engångskod har skickats med SMS till +46 70*** **51. "
                + "Ange den: \"");
        String smsCode = server.lastSmsCode("bob");
        RadClient accepted = RadClient.send(radius.port, radius.secret, "User-Name = bob",
                "User-Password = " + smsCode, "State = " + sms.attribute("State"));
        assertThat(accepted.received()).isEqualTo("Access-Accept");
        assertThat(audit()).doesNotContain(smsCode).contains("\"detail\":\"sms\"");
    }

    @Test
    void smsFallbackSendsNoSecondSmsWithin30SecondsAndAtMostFourCodes() throws Exception {
        radius = TestRadius.start(server, CHALLENGE, ServerConfig.Radius.SMS, false);
        RadClient first = RadClient.send(radius.port, radius.secret, "User-Name = bob", "User-Password = bob-pw");
        assertThat(first.received()).isEqualTo("Access-Challenge");
        RadClient second = RadClient.send(radius.port, radius.secret, "User-Name = bob", "User-Password = bob-pw");
        assertThat(second.received()).isEqualTo("Access-Challenge");
        assertThat(smsCount()).isEqualTo(1);
        for (int i = 0; i < 3; i++) {
            server.clock.advance(Duration.ofSeconds(31));
            assertThat(RadClient.send(radius.port, radius.secret, "User-Name = bob", "User-Password = bob-pw")
                    .received()).isEqualTo("Access-Challenge");
        }
        assertThat(smsCount()).isEqualTo(4);
        server.clock.advance(Duration.ofSeconds(31));
        RadClient limit = RadClient.send(radius.port, radius.secret, "User-Name = bob", "User-Password = bob-pw");
        assertThat(limit.received()).isEqualTo("Access-Reject");
        assertThat(limit.attribute("Reply-Message")).contains("No more codes");
        assertThat(smsCount()).isEqualTo(4);
    }

    private long smsCount() throws Exception {
        return Files.readAllLines(server.config.sms().file()).stream().filter(l -> l.contains("+46701740651")).count();
    }

    @Test
    void passwordGuessesFromOnePlaceDoNotLockTheUserOutElsewhere() throws Exception {
        radius = TestRadius.start(server, CHALLENGE, ServerConfig.Radius.REJECT, false, "en", null, null,
                new ServerConfig.Limit(3, 900));
        for (int i = 0; i < 3; i++) {
            assertThat(RadClient.send(radius.port, radius.secret, "User-Name = alice", "User-Password = guess" + i,
                    "Calling-Station-Id = 203.0.113.66").received()).isEqualTo("Access-Reject");
        }
        // the guesser's station is out of attempts, even with the right password
        assertThat(RadClient.send(radius.port, radius.secret, "User-Name = alice", "User-Password = alice-pw",
                "Calling-Station-Id = 203.0.113.66").received()).isEqualTo("Access-Reject");
        // alice, logging in from her own machine, is not
        assertThat(RadClient.send(radius.port, radius.secret, "User-Name = alice", "User-Password = alice-pw",
                "Calling-Station-Id = 198.51.100.20").received()).isEqualTo("Access-Challenge");
        assertThat(audit()).contains("\"detail\":\"rate_limited_password\"");
    }

    @Test
    void codeChecksAreLimitedPerUser() throws Exception {
        radius = TestRadius.start(server, OTP_ONLY, ServerConfig.Radius.REJECT, false, "en",
                null, new ServerConfig.Limit(2, 300), null);
        String wrong = code().equals("000000") ? "111111" : "000000";
        assertThat(RadClient.radtest("alice", wrong, radius.port, radius.secret).received()).isEqualTo("Access-Reject");
        assertThat(RadClient.radtest("alice", wrong, radius.port, radius.secret).received()).isEqualTo("Access-Reject");
        RadClient limited = RadClient.radtest("alice", code(), radius.port, radius.secret);
        assertThat(limited.received()).isEqualTo("Access-Reject");
        assertThat(limited.output()).contains("Too many attempts");
        server.clock.advance(Duration.ofSeconds(301));
        assertThat(RadClient.radtest("alice", code(), radius.port, radius.secret).received()).isEqualTo("Access-Accept");
        assertThat(audit()).contains("\"detail\":\"rate_limited_user\"");
    }

    @Test
    void wrongCodesSlowThatStationDownAndNotTheOwnerElsewhere() throws Exception {
        radius = TestRadius.start(server, OTP_ONLY, ServerConfig.Radius.REJECT, false, "en", null,
                new ServerConfig.Limit(100, 300), null);
        String wrong = code().equals("000000") ? "111111" : "000000";
        try (RawRadiusClient nas = new RawRadiusClient(InetAddress.getLoopbackAddress(), radius.port, radius.secret,
                2000)) {
            for (int i = 0; i < 6; i++) {
                assertThat(nas.send(nas.accessRequest("alice", wrong, null, false))).isInstanceOf(AccessReject.class);
            }
            Packet throttled = nas.send(nas.accessRequest("alice", code(), null, false));
            assertThat(throttled).isInstanceOf(AccessReject.class);
            assertThat(throttled.getAttribute(ReplyMessage.class).orElseThrow().getData().getValue())
                    .contains("Too many wrong codes from here");
        }
        // RADIUS and /validate share the counts: the same station is held up over HTTP too, another is not
        assertThat(server.client().validate(server.serviceKey(), "alice", code(), "nas:test-nas").reason())
                .isEqualTo("throttled");
        assertThat(server.client().validate(server.serviceKey(), "alice", code(), "198.51.100.10").result())
                .isEqualTo("accept");
        assertThat(audit()).contains("\"detail\":\"throttled\"");
    }

    @Test
    void stateExpiresAfterTwoMinutes() throws Exception {
        radius = TestRadius.start(server, CHALLENGE, ServerConfig.Radius.REJECT, false);
        RadClient first = RadClient.send(radius.port, radius.secret, "User-Name = alice", "User-Password = alice-pw");
        server.clock.advance(Duration.ofSeconds(121));
        RadClient late = RadClient.send(radius.port, radius.secret, "User-Name = alice", "User-Password = " + code(),
                "State = " + first.attribute("State"));
        assertThat(late.received()).isEqualTo("Access-Reject");
    }

    @Test
    void wrongSharedSecretNeverLogsIn() throws Exception {
        radius = TestRadius.start(server, OTP_ONLY, ServerConfig.Radius.REJECT, false);
        String wrong = radius.secret + "x";
        // radclient cannot verify an answer made with another secret, so it sees no valid answer at all
        RadClient plain = RadClient.send(radius.port, wrong, "User-Name = alice", "User-Password = " + code());
        assertThat(plain.received()).isNull();
        assertThat(plain.exitCode()).isNotZero();
        // with a Message-Authenticator the server sees the wrong secret and drops the packet
        RadClient signed = RadClient.send(radius.port, wrong, "User-Name = alice", "User-Password = " + code(),
                "Message-Authenticator = 0x00");
        assertThat(signed.received()).isNull();
        assertThat(audit()).contains("\"detail\":\"message_authenticator_invalid\"").doesNotContain("radius_accept");
        // the right secret still works with that code: it was never accepted
        assertThat(RadClient.radtest("alice", code(), radius.port, radius.secret).received())
                .isEqualTo("Access-Accept");
    }

    @Test
    void requiredMessageAuthenticatorDropsRequestsWithoutIt() throws Exception {
        radius = TestRadius.start(server, OTP_ONLY, ServerConfig.Radius.REJECT, true);
        RadClient without = RadClient.send(radius.port, radius.secret, "User-Name = alice", "User-Password = " + code());
        assertThat(without.received()).isNull();
        RadClient with = RadClient.send(radius.port, radius.secret, "User-Name = alice", "User-Password = " + code(),
                "Message-Authenticator = 0x00");
        assertThat(with.received()).isEqualTo("Access-Accept");
        assertThat(audit()).contains("\"detail\":\"message_authenticator_missing\"");
    }

    @Test
    void aDuplicateGetsTheSameAnswerWithoutASecondCheck() throws Exception {
        radius = TestRadius.start(server, OTP_ONLY, ServerConfig.Radius.REJECT, false);
        try (RawRadiusClient nas = new RawRadiusClient(InetAddress.getLoopbackAddress(), radius.port, radius.secret,
                2000)) {
            RawRadiusClient.Encoded request = nas.accessRequest("alice", code(), null, false);
            Packet first = nas.send(request);
            Packet retransmitted = nas.send(request);
            assertThat(first).isInstanceOf(AccessAccept.class);
            assertThat(retransmitted).isInstanceOf(AccessAccept.class);
            assertThat(first.getAttribute(MessageAuthenticator.class)).isPresent();
            assertThat(audit().lines().filter(l -> l.contains("radius_accept")).count()).isEqualTo(1);
            // the same code in a new request is a replay
            assertThat(nas.send(nas.accessRequest("alice", code(), null, false))).isInstanceOf(AccessReject.class);
        }
    }

    @Test
    void unknownClientsAndGarbageAreDroppedAndTheServiceGoesOn() throws Exception {
        radius = TestRadius.start(server, OTP_ONLY, ServerConfig.Radius.REJECT, false);
        InetAddress other = InetAddress.getByName("127.0.0.2");
        try (RawRadiusClient stranger = new RawRadiusClient(other, radius.port, radius.secret, 700)) {
            assertThat(stranger.send(stranger.accessRequest("alice", code(), null, true))).isNull();
        }
        try (RawRadiusClient nas = new RawRadiusClient(InetAddress.getLoopbackAddress(), radius.port, radius.secret,
                700)) {
            byte[] valid = nas.accessRequest("alice", "123456", null, false).bytes();
            List<byte[]> garbage = List.of(new byte[0], new byte[3], new byte[4096], oversized(valid),
                    HexFormat.of().parseHex("01000014000000000000000000000000000000000000"),
                    java.util.Arrays.copyOf(valid, valid.length - 1),
                    lengthSaysMore(valid), badAttributeLength(valid));
            for (byte[] g : garbage) {
                assertThat(nas.answered(g)).isFalse();
            }
        }
        assertThat(RadClient.radtest("alice", code(), radius.port, radius.secret).received())
                .isEqualTo("Access-Accept");
        assertThat(audit()).contains("\"detail\":\"unknown_client\"", "\"address\":\"127.0.0.2\"",
                "\"detail\":\"malformed\"");
    }

    /** A request padded past RADIUS's 4096 bytes, its length field saying so. */
    private static byte[] oversized(byte[] valid) {
        byte[] b = java.util.Arrays.copyOf(valid, 9000);
        b[2] = (byte) (9000 >> 8);
        b[3] = (byte) (9000 & 0xff);
        return b;
    }

    private static byte[] lengthSaysMore(byte[] valid) {
        byte[] b = valid.clone();
        b[3] = (byte) (b[3] + 10);
        return b;
    }

    private static byte[] badAttributeLength(byte[] valid) {
        byte[] b = valid.clone();
        b[21] = (byte) 255;
        return b;
    }

    private RadClient challengeAnswer(String code) throws Exception {
        RadClient first = RadClient.send(radius.port, radius.secret, "User-Name = alice", "User-Password = alice-pw");
        assertThat(first.received()).isEqualTo("Access-Challenge");
        return RadClient.send(radius.port, radius.secret, "User-Name = alice", "User-Password = " + code,
                "State = " + first.attribute("State"));
    }
}
