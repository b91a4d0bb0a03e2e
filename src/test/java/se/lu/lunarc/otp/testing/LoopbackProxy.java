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
 * A loopback HTTP proxy in front of the real backend that holds back the answer to chosen requests, so that a
 * test can act (press Cancel, Back) while a request is in flight. Everything else passes straight through.
 */
public final class SlowProxy implements AutoCloseable {
    private final HttpServer server;
    private final HttpClient client = HttpClient.newHttpClient();
    private volatile String slowMethod;
    private volatile String slowPathRegex;
    private volatile Duration delay = Duration.ZERO;

    public SlowProxy(URI backend) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                byte[] body = in.readAllBytes();
                String method = exchange.getRequestMethod();
                String path = exchange.getRequestURI().getRawPath();
                HttpRequest.Builder r = HttpRequest.newBuilder(backend.resolve(exchange.getRequestURI().toString()))
                        .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
                for (String h : List.of("Authorization", "Content-Type", "X-Service-Key")) {
                    String v = exchange.getRequestHeaders().getFirst(h);
                    if (v != null) {
                        r.header(h, v);
                    }
                }
                HttpResponse<byte[]> answer = client.send(r.build(), HttpResponse.BodyHandlers.ofByteArray());
                if (method.equals(slowMethod) && path.matches(slowPathRegex)) {
                    Thread.sleep(delay.toMillis()); // the server has acted; the answer is late
                }
                answer.headers().firstValue("Content-Type")
                        .ifPresent(t -> exchange.getResponseHeaders().add("Content-Type", t));
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

    /** Holds back answers to {@code method} requests whose path matches {@code pathRegex} by {@code delay}. */
    public void slowDown(String method, String pathRegex, Duration delay) {
        this.slowMethod = method;
        this.slowPathRegex = pathRegex;
        this.delay = delay;
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
