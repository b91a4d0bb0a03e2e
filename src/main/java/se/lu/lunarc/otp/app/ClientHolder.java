package se.lu.lunarc.otp.app;

import se.lu.lunarc.otp.client.ApiException;
import se.lu.lunarc.otp.client.ClientOptions;
import se.lu.lunarc.otp.client.EnrollmentClient;
import se.lu.lunarc.otp.server.DemoBackend;
import se.lu.lunarc.otp.server.EnrollmentServer;

import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The API client, made lazily on the background thread: for the demo that first starts the reference backend
 * in-process, which must not delay the first frame.
 */
public final class ClientHolder implements AutoCloseable {
    private static final ObjectMapper OUTBOX_JSON = new ObjectMapper();
    private final ClientSettings settings;
    private final CompletableFuture<EnrollmentClient> client = new CompletableFuture<>();
    private volatile EnrollmentServer demoServer;

    public ClientHolder(ClientSettings settings) {
        this.settings = settings;
    }

    /** Call from the background thread only. */
    public EnrollmentClient get() throws ApiException {
        if (!client.isDone()) {
            synchronized (this) {
                if (!client.isDone()) {
                    create();
                }
            }
        }
        try {
            return client.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.internal(e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof ApiException a ? a : ApiException.internal(e.getCause());
        }
    }

    private void create() {
        try {
            var uri = settings.server();
            if (uri == null) {
                // the demo runs inside a user's program: its service log would only clutter their terminal
                quietServerLog();
                demoServer = DemoBackend.start("127.0.0.1:0", null, Clock.systemUTC());
                uri = demoServer.baseUri();
            }
            client.complete(new EnrollmentClient(new ClientOptions(uri, settings.connectTimeout(),
                    settings.readTimeout(), settings.caBundle(), System.getenv())));
        } catch (ApiException e) {
            client.completeExceptionally(e);
        } catch (Exception e) {
            client.completeExceptionally(ApiException.internal(e));
        }
    }

    private static void quietServerLog() {
        if (LoggerFactory.getLogger("se.lu.lunarc.otp.server") instanceof ch.qos.logback.classic.Logger logger) {
            logger.setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    /** The client if it is made already (it may still be starting the demo backend), else null; never blocks. */
    public EnrollmentClient ifReady() {
        return client.isDone() && !client.isCompletedExceptionally() ? client.getNow(null) : null;
    }

    /** One message the demo backend "sent". */
    public record DemoSms(Instant sentAt, String to, String text) {}

    /**
     * The demo phone's messages, newest first, read from the demo backend's outbox ({@code {to, text, sentAt}}
     * lines); empty when this is not the demo or nothing was sent yet.
     */
    public List<DemoSms> demoMessages() throws IOException {
        EnrollmentServer s = demoServer;
        Path outbox = s == null ? null : s.backend().smsOutbox();
        if (outbox == null || !Files.exists(outbox)) {
            return List.of();
        }
        List<DemoSms> newestFirst = new ArrayList<>();
        for (String line : Files.readAllLines(outbox)) {
            JsonNode m = OUTBOX_JSON.readTree(line);
            newestFirst.add(0, new DemoSms(Instant.parse(m.get("sentAt").asText()), m.get("to").asText(),
                    m.get("text").asText()));
        }
        return newestFirst;
    }

    @Override
    public void close() {
        client.thenAccept(EnrollmentClient::close);
        if (demoServer != null) {
            try {
                demoServer.close();
            } catch (Exception ignored) {
                // exiting anyway
            }
        }
    }
}
