package se.lu.lunarc.otp.server.metrics;

import se.lu.lunarc.otp.server.net.InetAddressCheck;

/**
 * The {@code metrics:} block: where Prometheus scrapes {@code /metrics}, on a listener of its own, plain HTTP
 * (scraping happens inside the site's network), on loopback unless an address is named.
 */
public record MetricsConfig(String listen) {
    public static final String DEFAULT_LISTEN = "127.0.0.1:9464";

    public MetricsConfig {
        listen = listen == null ? DEFAULT_LISTEN : listen;
        if (listen.lastIndexOf(':') < 0) {
            throw new IllegalArgumentException("metrics.listen must be HOST:PORT, such as " + DEFAULT_LISTEN
                    + ", not " + listen);
        }
    }

    public String host() {
        return listen.substring(0, listen.lastIndexOf(':')).replace("[", "").replace("]", "");
    }

    public int port() {
        try {
            return Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("metrics.listen must end in a port number, not " + listen);
        }
    }

    /** Whether the listener is reachable only from this host. */
    public boolean onLoopback() {
        return InetAddressCheck.isLoopback(host());
    }
}
