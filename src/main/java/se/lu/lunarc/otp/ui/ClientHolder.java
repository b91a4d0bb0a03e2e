package se.lu.lunarc.otp.ui;

import se.lu.lunarc.otp.client.ApiException;
import se.lu.lunarc.otp.client.ClientOptions;
import se.lu.lunarc.otp.client.EnrollmentClient;
import se.lu.lunarc.otp.server.DemoBackend;
import se.lu.lunarc.otp.server.EnrollmentServer;

import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The API client, made lazily on the background thread: for the demo that first starts the reference backend
 * in-process, which must not delay the first frame.
 */
public final class ClientHolder implements AutoCloseable {
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

    /** The demo's SMS outbox, once the demo backend runs; null otherwise. */
    public Path demoOutbox() {
        EnrollmentServer s = demoServer;
        return s == null ? null : s.backend().smsOutbox();
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
