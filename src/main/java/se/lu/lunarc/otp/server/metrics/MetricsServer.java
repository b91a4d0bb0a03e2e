package se.lu.lunarc.otp.server.metrics;

import io.javalin.Javalin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics} on a listener of its own, apart from the API: Prometheus scrapes it from the site's
 * network, and nothing else is served there (anything else is 404).
 */
public final class MetricsServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MetricsServer.class);
    /** The text exposition format Prometheus reads. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final Javalin app;

    private MetricsServer(Javalin app) {
        this.app = app;
    }

    /** Listens on {@code config.listen()}; a port of 0 takes a free one ({@link #port()} tells which). */
    public static MetricsServer start(MetricsConfig config, ServerMetrics metrics) {
        if (!config.onLoopback()) {
            log.warn("metrics are served to the network on {}: every series is safe to show (no usernames, "
                    + "addresses or secrets), but firewall the port to the Prometheus server", config.listen());
        }
        Javalin app = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.jetty.host = config.host();
            c.jetty.port = config.port();
            c.routes.get("/metrics", ctx -> ctx.contentType(CONTENT_TYPE).result(metrics.scrape()));
        }).start();
        MetricsServer server = new MetricsServer(app);
        log.info("Metrics on http://{}:{}/metrics", config.host(), server.port());
        return server;
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}
