package se.lu.lunarc.otp.testing;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * A loopback HTTP proxy in front of the real backend, for what a test cannot see from either end alone. It holds
 * back the answer to chosen requests, so that a test can act (press Cancel, Back) while a request is in flight,
 * and it notes every answer's status, so that a test can hold them against the contract. Everything else passes
 * straight through.
 */
public final class LoopbackProxy implements AutoCloseable {
    /** One answer as the client saw it: the request's method and path, and the status. */
    public record Answer(String method, String path, int status) {}

    /** Headers the JDK's client sets itself, or that belong to one connection. */
    private static final java.util.Set<String> HOP_BY_HOP = java.util.Set.of("host", "content-length", "connection",
            "upgrade", "expect", "transfer-encoding", "keep-alive", "date");

    private final HttpServer server;
    private final List<Answer> answers;
    private final HttpClient client = HttpClient.newHttpClient();
    private volatile String slowMethod;
    private volatile String slowPathRegex;
    private volatile Duration delay = Duration.ZERO;
    private volatile URI backend;

    public LoopbackProxy(URI backend) throws IOException {
        this(backend, new java.util.concurrent.CopyOnWriteArrayList<>());
    }

    /** A proxy that adds each answer to {@code answers}, which several proxies may share. */
    public LoopbackProxy(URI backend, List<Answer> answers) throws IOException {
        this.answers = answers;
        this.backend = backend;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                byte[] body = in.readAllBytes();
                String method = exchange.getRequestMethod();
                String path = exchange.getRequestURI().getRawPath();
                HttpRequest.Builder r = HttpRequest.newBuilder(this.backend.resolve(exchange.getRequestURI().toString()))
                        .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
                exchange.getRequestHeaders().forEach((h, values) -> {
                    if (!HOP_BY_HOP.contains(h.toLowerCase(java.util.Locale.ROOT))) {
                        values.forEach(v -> r.header(h, v));
                    }
                });
                HttpResponse<byte[]> answer = client.send(r.build(), HttpResponse.BodyHandlers.ofByteArray());
                answers.add(new Answer(method, path, answer.statusCode()));
                if (method.equals(slowMethod) && path.matches(slowPathRegex)) {
                    Thread.sleep(delay.toMillis()); // the server has acted; the answer is late
                }
                answer.headers().map().forEach((h, values) -> {
                    if (!HOP_BY_HOP.contains(h.toLowerCase(java.util.Locale.ROOT)) && !h.startsWith(":")) {
                        values.forEach(v -> exchange.getResponseHeaders().add(h, v));
                    }
                });
                byte[] out = answer.body();
                exchange.sendResponseHeaders(answer.statusCode(), out.length == 0 ? -1 : out.length);
                try (OutputStream o = exchange.getResponseBody()) {
                    o.write(out);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.close();
            }
        });
        server.start();
    }

    /** Sends the next requests to {@code next}, as a load balancer moving a client to another node would. */
    public void switchTo(URI next) {
        this.backend = next;
    }

    /** Holds back answers to {@code method} requests whose path matches {@code pathRegex} by {@code delay}. */
    public void slowDown(String method, String pathRegex, Duration delay) {
        this.slowMethod = method;
        this.slowPathRegex = pathRegex;
        this.delay = delay;
    }

    /** Every answer passed on so far, oldest first. */
    public List<Answer> answers() {
        return List.copyOf(answers);
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
