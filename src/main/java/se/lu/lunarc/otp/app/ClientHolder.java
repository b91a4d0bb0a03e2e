package se.lu.lunarc.otp.app;

import se.lu.lunarc.otp.client.ApiException;
import se.lu.lunarc.otp.client.ClientOptions;
import se.lu.lunarc.otp.client.EnrollmentClient;
import se.lu.lunarc.otp.spi.ServerPart;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The API client, made lazily on the background thread: for the demo that first starts the reference backend
 * in-process, which must not delay the first frame. Nothing here loads JSON, HTTP or server classes until then.
 */
public final class ClientHolder implements AutoCloseable {
    private final ClientSettings settings;
    private final CompletableFuture<EnrollmentClient> client = new CompletableFuture<>();
    private volatile ServerPart.DemoServer demoServer;

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

    /**
     * Refuses to start, naming the files to set, when no server is configured and the demo backend is not
     * installed (the desktop package has none): the window and the terminal say the same.
     */
    public static void requireRunnable(ClientSettings settings, java.util.Map<String, String> env)
            throws ClientSettings.Invalid {
        if (settings.server() == null && ServerPart.installed().isEmpty()) {
            throw new ClientSettings.Invalid("No server is configured: set server=https://… in "
                    + ClientSettings.SYSTEM_FILE + " (for everyone) or in " + ClientSettings.userFile(env)
                    + " (for you), or LUNARC_OTP_SERVER. The built-in demo comes with the development build only.");
        }
    }

    private void create() {
        try {
            var uri = settings.server();
            if (uri == null) {
                ServerPart server = ServerPart.installed().orElseThrow(() ->
                        new IllegalStateException("no server is configured and no demo backend is installed"));
                demoServer = server.startDemo();
                uri = demoServer.baseUri();
            }
            client.complete(new EnrollmentClient(new ClientOptions(uri, settings.connectTimeout(),
                    settings.readTimeout(), settings.caBundle(), System.getenv(), settings.otherServers())));
        } catch (ApiException e) {
            client.completeExceptionally(e);
        } catch (Exception e) {
            client.completeExceptionally(ApiException.internal(e));
        }
    }

    /** The client if it is made already (it may still be starting the demo backend), else null; never blocks. */
    public EnrollmentClient ifReady() {
        return client.isDone() && !client.isCompletedExceptionally() ? client.getNow(null) : null;
    }

    /** The demo phone's messages, newest first; empty when this is not the demo or nothing was sent yet. */
    public List<ServerPart.DemoSms> demoMessages() throws IOException {
        ServerPart.DemoServer s = demoServer;
        return s == null ? List.of() : s.messages();
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
