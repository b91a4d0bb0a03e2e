package se.lu.lunarc.otp.testing;

import org.aaa4j.radius.core.attribute.Attribute;
import org.aaa4j.radius.core.attribute.StringData;
import org.aaa4j.radius.core.attribute.TextData;
import org.aaa4j.radius.core.attribute.attributes.MessageAuthenticator;
import org.aaa4j.radius.core.attribute.attributes.NasIdentifier;
import org.aaa4j.radius.core.attribute.attributes.State;
import org.aaa4j.radius.core.attribute.attributes.UserName;
import org.aaa4j.radius.core.attribute.attributes.UserPassword;
import org.aaa4j.radius.core.dictionary.dictionaries.StandardDictionary;
import org.aaa4j.radius.core.packet.Packet;
import org.aaa4j.radius.core.packet.PacketCodec;
import org.aaa4j.radius.core.packet.PacketCodecException;
import org.aaa4j.radius.core.packet.packets.AccessRequest;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A NAS in a test: real datagrams, encoded and checked with aaa4j's codec, for what radclient cannot do (send
 * the very same packet twice, send from another loopback address, send garbage) and for the benchmark.
 */
public final class RawRadiusClient implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final PacketCodec codec = new PacketCodec(new StandardDictionary());
    private final DatagramSocket socket;
    private final InetSocketAddress server;
    private final byte[] secret;

    public RawRadiusClient(InetAddress from, int serverPort, String secret, int timeoutMillis) throws IOException {
        this.socket = new DatagramSocket(new InetSocketAddress(from, 0));
        this.socket.setSoTimeout(timeoutMillis);
        this.server = new InetSocketAddress(InetAddress.getLoopbackAddress(), serverPort);
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    /** An encoded Access-Request and the Request Authenticator needed to check its answer. */
    public record Encoded(byte[] bytes, byte[] authenticator) {}

    public Encoded accessRequest(String user, String password, byte[] state, boolean messageAuthenticator)
            throws PacketCodecException {
        List<Attribute<?>> attributes = new ArrayList<>();
        if (messageAuthenticator) {
            attributes.add(new MessageAuthenticator());
        }
        attributes.add(new UserName(new TextData(user)));
        attributes.add(new UserPassword(new StringData(password.getBytes(StandardCharsets.UTF_8))));
        attributes.add(new NasIdentifier(new TextData("raw-test-nas")));
        if (state != null) {
            attributes.add(new State(new StringData(state)));
        }
        byte[] authenticator = new byte[16];
        RANDOM.nextBytes(authenticator);
        byte[] bytes = codec.encodeRequest(new AccessRequest(attributes), secret, authenticator.clone());
        return new Encoded(bytes, authenticator);
    }

    /** Sends the bytes as they are; the decoded, verified answer, or null when none came in time. */
    public Packet send(Encoded request) throws IOException {
        return exchange(request.bytes(), request.authenticator());
    }

    public Packet exchange(byte[] bytes, byte[] authenticator) throws IOException {
        socket.send(new DatagramPacket(bytes, bytes.length, server));
        byte[] buffer = new byte[4096];
        DatagramPacket in = new DatagramPacket(buffer, buffer.length);
        try {
            socket.receive(in);
        } catch (SocketTimeoutException e) {
            return null;
        }
        try {
            return codec.decodeResponse(Arrays.copyOf(buffer, in.getLength()), secret, authenticator);
        } catch (PacketCodecException e) {
            throw new IOException("answer does not verify: " + e.getMessage());
        }
    }

    /** Raw bytes of the last kind of answer, unchecked: for a test that only wants to know whether one came. */
    public boolean answered(byte[] bytes) throws IOException {
        socket.send(new DatagramPacket(bytes, bytes.length, server));
        DatagramPacket in = new DatagramPacket(new byte[4096], 4096);
        try {
            socket.receive(in);
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
