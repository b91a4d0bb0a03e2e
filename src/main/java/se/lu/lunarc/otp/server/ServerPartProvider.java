package se.lu.lunarc.otp.server;

import se.lu.lunarc.otp.server.http.EnrollmentServer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.LoggerFactory;
import se.lu.lunarc.otp.spi.ServerPart;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The backend's part of the client (see {@link ServerPart}): registered in META-INF/services of the server jar. */
public final class ServerPartProvider implements ServerPart {
    @Override
    public Object command() {
        return new ServerCommand();
    }

    @Override
    public DemoServer startDemo() throws Exception {
        // the demo runs inside a user's program: its service log would only clutter their terminal
        if (LoggerFactory.getLogger("se.lu.lunarc.otp.server") instanceof ch.qos.logback.classic.Logger logger) {
            logger.setLevel(ch.qos.logback.classic.Level.WARN);
        }
        EnrollmentServer server = DemoBackend.start("127.0.0.1:0", null, Clock.systemUTC());
        return new Running(server);
    }

    private record Running(EnrollmentServer server) implements DemoServer {
        @Override
        public URI baseUri() {
            return server.baseUri();
        }

        /** Read from the demo backend's outbox ({@code {to, text, sentAt}} lines). */
        @Override
        public List<DemoSms> messages() throws IOException {
            Path outbox = server.backend().smsOutbox();
            if (outbox == null || !Files.exists(outbox)) {
                return List.of();
            }
            ObjectMapper json = new ObjectMapper();
            List<DemoSms> newestFirst = new ArrayList<>();
            for (String line : Files.readAllLines(outbox)) {
                JsonNode m = json.readTree(line);
                newestFirst.add(0, new DemoSms(Instant.parse(m.get("sentAt").asText()), m.get("to").asText(),
                        m.get("text").asText()));
            }
            return newestFirst;
        }

        @Override
        public void close() throws Exception {
            server.close();
        }
    }
}
