package se.lu.lunarc.otp.server.radius;

import se.lu.lunarc.otp.server.net.AddressBlock;
import se.lu.lunarc.otp.server.ServerConfig;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The NASes allowed to ask, each found by the address a packet came from (an IP address or a CIDR block), with
 * its shared secret read once at start. A packet from any other address is not answered.
 */
final class RadiusClients {
    /** RFC 2865 §3 asks for at least 16 octets; shorter secrets fall to an offline guess of one captured packet. */
    static final int MIN_SECRET_BYTES = 16;

    record Client(String name, String mode, boolean requireMessageAuthenticator, AddressBlock block, byte[] secret) {

        @Override
        public String toString() {
            return "Client[" + name + "]";
        }
    }

    private final List<Client> clients;

    private RadiusClients(List<Client> clients) {
        this.clients = clients;
    }

    static RadiusClients load(List<ServerConfig.RadiusClient> configured) throws IOException {
        List<Client> clients = new ArrayList<>();
        for (ServerConfig.RadiusClient c : configured) {
            byte[] secret = readSecret(c);
            AddressBlock block = AddressBlock.parse(c.address(), "radius client " + c.name());
            clients.add(new Client(c.name(), c.mode(), c.requireMessageAuthenticator(), block, secret));
        }
        return new RadiusClients(List.copyOf(clients));
    }

    private static byte[] readSecret(ServerConfig.RadiusClient c) throws IOException {
        byte[] raw = se.lu.lunarc.otp.server.secrets.ConfigFiles.readBytes(c.secretFile(),
                "radius client " + c.name() + " secretFile");
        int end = raw.length;
        while (end > 0 && (raw[end - 1] == '\n' || raw[end - 1] == '\r')) {
            end--;
        }
        byte[] secret = Arrays.copyOf(raw, end);
        Arrays.fill(raw, (byte) 0);
        if (secret.length < MIN_SECRET_BYTES) {
            // the file name only: never its content
            throw new IllegalArgumentException("radius client " + c.name() + ": the shared secret in "
                    + c.secretFile() + " is shorter than " + MIN_SECRET_BYTES + " bytes");
        }
        if (new String(secret, StandardCharsets.UTF_8).isBlank()) {
            throw new IllegalArgumentException("radius client " + c.name() + ": the shared secret in "
                    + c.secretFile() + " is blank");
        }
        return secret;
    }

    /** The most specific client whose block holds {@code address}; null for an unknown address. */
    Client find(InetAddress address) {
        Client best = null;
        for (Client c : clients) {
            if (c.block().contains(address) && (best == null || c.block().prefixBits() > best.block().prefixBits())) {
                best = c;
            }
        }
        return best;
    }
}
