package se.lu.lunarc.otp.client;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The proxy rules of the Unix environment, which Java itself ignores: {@code https_proxy} (or {@code HTTPS_PROXY})
 * for https URLs, {@code http_proxy} for http ones, and {@code no_proxy} as a comma list of host suffixes or
 * {@code *}. Loopback always goes direct.
 */
final class EnvProxySelector extends ProxySelector {
    private final Map<String, String> env;

    EnvProxySelector(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public List<Proxy> select(URI uri) {
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        if (LoopbackHosts.isLoopback(host) || bypassed(host)) {
            return List.of(Proxy.NO_PROXY);
        }
        String proxy = "https".equalsIgnoreCase(uri.getScheme()) ? get("https_proxy") : get("http_proxy");
        if (proxy == null || proxy.isBlank()) {
            return List.of(Proxy.NO_PROXY);
        }
        URI p = URI.create(proxy.contains("://") ? proxy : "http://" + proxy);
        int port = p.getPort() > 0 ? p.getPort() : 3128;
        return List.of(new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(p.getHost(), port)));
    }

    private boolean bypassed(String host) {
        String noProxy = get("no_proxy");
        if (noProxy == null) {
            return false;
        }
        return Arrays.stream(noProxy.split(",")).map(s -> s.trim().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty())
                .anyMatch(rule -> rule.equals("*") || host.equals(rule.replaceFirst("^\\.", ""))
                        || host.endsWith(rule.startsWith(".") ? rule : "." + rule));
    }

    private String get(String name) {
        String lower = env.get(name);
        return lower != null ? lower : env.get(name.toUpperCase(Locale.ROOT));
    }

    @Override
    public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
        // OkHttp reports the failure to the caller; nothing to remember here
    }
}
