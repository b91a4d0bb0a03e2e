package se.lu.lunarc.otp.client;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How to reach the backend: its base URL, timeouts, an optional extra CA bundle (PEM) trusted besides the
 * system's, and the environment whose {@code https_proxy}/{@code no_proxy} apply.
 */
public record ClientOptions(URI server, Duration connectTimeout, Duration readTimeout, Path caBundle,
                            Map<String, String> environment, List<URI> otherServers) {

    /** {@code otherServers}: further nodes of the same service, tried in order when one cannot be reached. */
    public ClientOptions {
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(10) : connectTimeout;
        readTimeout = readTimeout == null ? Duration.ofSeconds(30) : readTimeout;
        environment = environment == null ? Map.of() : environment;
        otherServers = otherServers == null ? List.of() : List.copyOf(otherServers);
    }

    public ClientOptions(URI server, Duration connectTimeout, Duration readTimeout, Path caBundle,
                         Map<String, String> environment) {
        this(server, connectTimeout, readTimeout, caBundle, environment, List.of());
    }

    public ClientOptions withOtherServers(List<URI> others) {
        return new ClientOptions(server, connectTimeout, readTimeout, caBundle, environment, others);
    }

    public static ClientOptions of(URI server) {
        return new ClientOptions(server, null, null, null, System.getenv());
    }

    public ClientOptions withTimeouts(Duration connect, Duration read) {
        return new ClientOptions(server, connect, read, caBundle, environment, otherServers);
    }

    public ClientOptions withCaBundle(Path bundle) {
        return new ClientOptions(server, connectTimeout, readTimeout, bundle, environment, otherServers);
    }

    public ClientOptions withEnvironment(Map<String, String> env) {
        return new ClientOptions(server, connectTimeout, readTimeout, caBundle, env, otherServers);
    }
}
