package se.lu.lunarc.otp.spi;

import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * What the backend adds to the client when both are on the class path (the development image, the tests): the
 * {@code server} command and the in-process demo. The desktop package ships without the backend; there the
 * wizard says that no server is configured and names the settings file. Found with the JDK's
 * {@link ServiceLoader}, the mechanism made for a part that may or may not be installed, so that the client's
 * classes never refer to the server's.
 */
public interface ServerPart {
    /** The {@code server} subcommand (a picocli command object). */
    Object command();

    /** Starts the demo backend on a free loopback port. */
    DemoServer startDemo() throws Exception;

    /** The demo backend, running in this process. */
    interface DemoServer extends AutoCloseable {
        URI baseUri();

        /** The demo phone's messages, newest first. */
        List<DemoSms> messages() throws IOException;
    }

    /** One message the demo backend "sent". */
    record DemoSms(Instant sentAt, String to, String text) {}

    /** The installed backend, if any. */
    static Optional<ServerPart> installed() {
        return ServiceLoader.load(ServerPart.class).findFirst();
    }
}
