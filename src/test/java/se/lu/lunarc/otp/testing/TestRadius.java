package se.lu.lunarc.otp.testing;

import se.lu.lunarc.otp.server.secrets.PrivateFiles;
import se.lu.lunarc.otp.server.ServerConfig;
import se.lu.lunarc.otp.server.radius.RadiusService;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/** The real RADIUS service on a free loopback UDP port, beside a {@link TestServer}'s backend. */
public final class TestRadius implements AutoCloseable {
    public final String secret;
    public final int port;
    public final RadiusService service;
    public final ServerConfig.Radius config;

    private TestRadius(String secret, int port, RadiusService service, ServerConfig.Radius config) {
        this.secret = secret;
        this.port = port;
        this.service = service;
        this.config = config;
    }

    /** One NAS, {@code test-nas} at 127.0.0.1, in {@code mode}; {@code withoutToken} is reject or sms. */
    public static TestRadius start(TestServer server, String mode, String withoutToken, boolean requireMessageAuth)
            throws IOException {
        return start(server, mode, withoutToken, requireMessageAuth, "en");
    }

    public static TestRadius start(TestServer server, String mode, String withoutToken, boolean requireMessageAuth,
                                   String language) throws IOException {
        return start(server, mode, withoutToken, requireMessageAuth, language, null, null, null);
    }

    /** With the rate limits given (null: the defaults). */
    public static TestRadius start(TestServer server, String mode, String withoutToken, boolean requireMessageAuth,
                                   String language, ServerConfig.Limit perClient, ServerConfig.Limit perUser,
                                   ServerConfig.Limit passwordPerStation) throws IOException {
        String secret = "radius-" + UUID.randomUUID();
        Path secretFile = server.dir.resolve("nas-" + UUID.randomUUID() + ".secret");
        PrivateFiles.createIfMissing(secretFile, "rw-------");
        Files.writeString(secretFile, secret + "\n");
        int port = freeUdpPort();
        ServerConfig.Radius config = new ServerConfig.Radius("127.0.0.1:" + port, language, withoutToken,
                List.of(new ServerConfig.RadiusClient("test-nas", "127.0.0.1/32", secretFile, mode,
                        requireMessageAuth)), 0, perClient, perUser, passwordPerStation);
        return new TestRadius(secret, port, RadiusService.start(config, server.backend()), config);
    }

    /** The service started again on the same port, for the same NAS, as a restart of the server would. */
    public TestRadius again(TestServer server) throws IOException {
        return new TestRadius(secret, port, RadiusService.start(config, server.backend()), config);
    }

    public static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        service.close();
    }
}
