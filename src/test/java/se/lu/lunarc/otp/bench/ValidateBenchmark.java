package se.lu.lunarc.otp.bench;

import io.javalin.Javalin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.lu.lunarc.otp.api.CreatedToken;
import se.lu.lunarc.otp.testing.TestServer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /api/v1/validate}, the cluster login's path, at 1, 16 and 64 concurrent clients, next to a bare
 * Javalin handler on the same embedded server. Every call runs the whole check with no rule relaxed: the
 * user's first call in a time step is accepted, the others are second uses of that code (replays, recorded
 * and audited); each call comes from its own station so that the per-station lockout does not turn the load
 * into cheap refusals. Prints calls/s and p50/p99; asserts nothing about speed.
 */
class ValidateBenchmark {
    static final int USERS = 64;
    static final long WARM_MS = 2_000;
    static final long MEASURE_MS = 5_000;

    @org.junit.jupiter.api.extension.RegisterExtension
    static final se.lu.lunarc.otp.testing.PostgresPerClass postgres = new se.lu.lunarc.otp.testing.PostgresPerClass();

    @TempDir
    Path dir;

    record Figures(double perSecond, double p50, double p99) {}

    @Test
    void validateAgainstABareHandler() throws Exception {
        var limits = TestServer.limitsLoadNeverReaches();
        Javalin bare = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.routes.post("/bare", ctx -> ctx.contentType("application/json").result("{\"result\":\"reject\"}"));
        }).start("127.0.0.1", 0);
        // -Dbench.metrics=on: with the metrics block, and /metrics scraped every second as a busy Prometheus would
        boolean metrics = "on".equals(System.getProperty("bench.metrics"));
        try (TestServer server = TestServer.start(dir, limits, USERS - 1, c -> metrics
                ? c.withMetrics(new se.lu.lunarc.otp.server.metrics.MetricsConfig("127.0.0.1:0")) : c);
             var endpoint = metrics ? se.lu.lunarc.otp.server.metrics.MetricsServer.start(server.config.metrics(),
                     server.backend().metrics()) : null;
             var scraper = metrics ? scrapeEverySecond(endpoint.port()) : null) {
            List<String> users = new ArrayList<>();
            List<CreatedToken> tokens = new ArrayList<>();
            users.add("alice");
            for (int i = 0; i < USERS - 1; i++) {
                users.add(String.format("user%02d", i));
            }
            for (String u : users) {
                tokens.add(server.enrolled(u, "Phone"));
            }
            String key = server.serviceKey();
            AtomicInteger serial = new AtomicInteger();
            // the JIT first, not measured: each level once, validate for 8 s and the bare handler for 4 s. On 2
            // cores the compiler otherwise still takes a share of the CPU during the first measured levels.
            for (int clients : new int[] {16, 1, 64}) {
                run(server.server().port(), clients, n -> new Call("/api/v1/validate", "X-Service-Key: " + key
                        + "\r\n", "{\"username\":\"" + users.get(n % USERS) + "\",\"code\":\""
                        + server.codeNow(tokens.get(n % USERS)) + "\",\"source\":\"warm-" + n + "\"}"), serial, 8_000);
                run(bare.port(), clients, n -> new Call("/bare", "", "{}"), serial, 4_000);
            }
            System.out.printf("bench: validate, %d cores, %d users with a token, %d s per level, metrics %s%n",
                    Runtime.getRuntime().availableProcessors(), USERS, MEASURE_MS / 1000, metrics ? "on" : "off");
            double lone = loneWriter(server, users, tokens, serial);
            System.out.printf("bench: lone writer (a validate's write transaction, one thread, each commit "
                    + "alone): %6.0f commits/s%n", lone);
            for (int clients : new int[] {1, 16, 64}) {
                Figures v = run(server.server().port(), clients, n -> {
                    int u = n % USERS;
                    return new Call("/api/v1/validate", "X-Service-Key: " + key + "\r\n", "{\"username\":\""
                            + users.get(u) + "\",\"code\":\"" + server.codeNow(tokens.get(u)) + "\",\"source\":\"10."
                            + (n / 62500 % 250) + "." + (n / 250 % 250) + "." + (n % 250) + "\"}");
                }, serial);
                Figures b = run(bare.port(), clients, n -> new Call("/bare", "",
                        "{\"username\":\"alice\",\"code\":\"123456\"}"), serial);
                System.out.printf("bench: %2d clients: validate %6.0f calls/s (p50 %5.2f ms, p99 %6.2f ms); bare handler "
                                + "%6.0f calls/s (p50 %5.2f ms, p99 %6.2f ms); ratio %.2f%n", clients, v.perSecond(), v.p50(),
                        v.p99(), b.perSecond(), b.p50(), b.p99(), v.perSecond() / b.perSecond());
                if (clients == 64) {
                    System.out.printf("bench: goal at 64 clients: throughput %.2f x the lone writer (at least 1.00), "
                            + "p99 %.1f ms (at most 25)%n", v.perSecond() / lone, v.p99());
                }
            }
        } finally {
            bare.stop();
        }
    }

    /**
     * The same on PostgreSQL with two nodes, the clients spread over both: calls/s and p99 at 16 and 64 clients,
     * against PostgreSQL's own rate for the same transaction committed one at a time from one connection.
     */
    @Test
    void validateOnPostgresqlWithTwoNodes() throws Exception {
        try (se.lu.lunarc.otp.testing.TwoNodes nodes = se.lu.lunarc.otp.testing.TwoNodes.start(postgres.server(),
                dir.resolve("nodes"), TestServer.limitsLoadNeverReaches(), USERS - 1)) {
            List<String> users = new ArrayList<>();
            List<CreatedToken> tokens = new ArrayList<>();
            users.add("alice");
            for (int i = 0; i < USERS - 1; i++) {
                users.add(String.format("user%02d", i));
            }
            for (String u : users) {
                tokens.add(nodes.a.enrolled(u, "Phone"));
            }
            nodes.b.clock.advance(java.time.Duration.between(nodes.b.clock.instant(), nodes.a.clock.instant()));
            // one service key for both nodes, as docs/store-and-two-nodes.md tells a site to do
            String key = nodes.a.serviceKey();
            java.nio.file.Files.writeString(nodes.b.dir.resolve("service-key"), key + "\n");
            nodes.b.backend().validate().reloadServiceKeys();
            int[] ports = {nodes.a.server().port(), nodes.b.server().port()};
            AtomicInteger serial = new AtomicInteger();
            Requests calls = n -> {
                int u = n % USERS;
                return new Call("/api/v1/validate", "X-Service-Key: " + key + "\r\n",
                        "{\"username\":\"" + users.get(u) + "\",\"code\":\"" + nodes.a.codeNow(tokens.get(u))
                                + "\",\"source\":\"10." + (n / 62500 % 250) + "." + (n / 250 % 250) + "." + (n % 250)
                                + "\"}");
            };
            for (int clients : new int[] {16, 64}) {
                run(ports, clients, calls, serial, 6_000);
            }
            double lone = loneWriter(nodes.a, users, tokens, serial);
            System.out.printf("bench: PostgreSQL, two nodes, %d cores; lone writer (a validate's write transaction, "
                    + "one connection, each commit alone): %6.0f commits/s%n",
                    Runtime.getRuntime().availableProcessors(), lone);
            for (int clients : new int[] {16, 64}) {
                Figures v = run(ports, clients, calls, serial, 0);
                System.out.printf("bench: PostgreSQL, two nodes, %2d clients: validate %6.0f calls/s (p50 %5.2f ms, "
                        + "p99 %6.2f ms); %.2f x the lone writer%n", clients, v.perSecond(), v.p50(), v.p99(),
                        v.perSecond() / lone);
            }
        }
    }

    /**
     * The store's own limit: one thread committing, one at a time, the transaction a {@code /validate} of a second
     * use writes (the source's state read, the token marked replayed, the failure counted), back to back. Each
     * commit is durable on its own ({@code synchronous=FULL}): the rate a lone writer gets.
     */
    static double loneWriter(TestServer server, List<String> users, List<CreatedToken> tokens, AtomicInteger serial)
            throws Exception {
        var db = server.backend().db();
        var store = new se.lu.lunarc.otp.server.store.TokenStore(db.dialect());
        var codes = se.lu.lunarc.otp.server.store.SourceFailures.CODES;
        long now = server.clock.instant().getEpochSecond();
        long start = System.currentTimeMillis();
        long measureFrom = start + WARM_MS;
        long end = measureFrom + MEASURE_MS;
        int commits = 0;
        while (true) {
            long t = System.currentTimeMillis();
            if (t >= end) {
                break;
            }
            int n = serial.getAndIncrement();
            String user = users.get(n % USERS);
            String token = tokens.get(n % USERS).token().id();
            String source = "10.200." + (n / 250 % 250) + "." + (n % 250);
            db.inTransaction(c -> {
                var state = codes.read(c, user, source);
                store.markReplayed(c, token, now);
                codes.save(c, user, source, new se.lu.lunarc.otp.server.store.SourceFailures.State(
                        state.failures() + 1, now, state.lastSuccessEpochSecond()));
                return null;
            });
            if (t >= measureFrom) {
                commits++;
            }
        }
        return commits / (MEASURE_MS / 1000.0);
    }

    /** GET /metrics once a second until closed, on a thread of its own. */
    static AutoCloseable scrapeEverySecond(int port) {
        var timer = Executors.newSingleThreadScheduledExecutor();
        timer.scheduleAtFixedRate(() -> {
            try {
                se.lu.lunarc.otp.testing.Http.get("http://127.0.0.1:" + port + "/metrics");
            } catch (Exception e) {
                // a scrape that fails is not what is measured
            }
        }, 1, 1, java.util.concurrent.TimeUnit.SECONDS);
        return timer::shutdownNow;
    }

    /** One request: its path, extra headers and JSON body. */
    record Call(String path, String headers, String body) {}

    interface Requests {
        Call make(int serial);
    }

    /**
     * {@code clients} threads, each with its own keep-alive connection, sending back to back. The client is a
     * few lines of HTTP/1.1 over a socket, so that on a small machine it takes as little of the CPU as it can
     * from the server being measured.
     */
    static Figures run(int port, int clients, Requests requests, AtomicInteger serial) throws Exception {
        return run(port, clients, requests, serial, 0);
    }

    /** With {@code warmOnlyMs} > 0: that long, and nothing measured. */
    static Figures run(int port, int clients, Requests requests, AtomicInteger serial, long warmOnlyMs)
            throws Exception {
        return run(new int[] {port}, clients, requests, serial, warmOnlyMs);
    }

    /** The clients spread over several servers (nodes), in turn. */
    static Figures run(int[] ports, int clients, Requests requests, AtomicInteger serial, long warmOnlyMs)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.currentTimeMillis();
        long measureFrom = warmOnlyMs > 0 ? Long.MAX_VALUE : start + WARM_MS;
        long end = warmOnlyMs > 0 ? start + warmOnlyMs : measureFrom + MEASURE_MS;
        List<Future<long[]>> runs = new ArrayList<>();
        for (int t = 0; t < clients; t++) {
            int port = ports[t % ports.length];
            runs.add(pool.submit(() -> {
                long[] nanos = new long[1 << 17];
                int count = 0;
                try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
                    socket.setTcpNoDelay(true);
                    var out = new java.io.BufferedOutputStream(socket.getOutputStream());
                    var in = new java.io.DataInputStream(new java.io.BufferedInputStream(socket.getInputStream()));
                    while (true) {
                        long now = System.currentTimeMillis();
                        if (now >= end) {
                            break;
                        }
                        Call call = requests.make(serial.getAndIncrement());
                        byte[] body = call.body().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                        long t0 = System.nanoTime();
                        out.write(("POST " + call.path() + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                + "Content-Type: application/json\r\n" + call.headers() + "Content-Length: "
                                + body.length + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                        out.write(body);
                        out.flush();
                        int status = readAnswer(in);
                        long took = System.nanoTime() - t0;
                        assertThat(status).isEqualTo(200);
                        if (now >= measureFrom && count < nanos.length) {
                            nanos[count++] = took;
                        }
                    }
                }
                return Arrays.copyOf(nanos, count);
            }));
        }
        List<Long> all = new ArrayList<>();
        for (Future<long[]> f : runs) {
            for (long n : f.get()) {
                all.add(n);
            }
        }
        pool.shutdown();
        all.sort(null);
        if (all.isEmpty()) {
            return new Figures(0, 0, 0); // warming only
        }
        double p50 = all.get(all.size() / 2) / 1e6;
        double p99 = all.get((int) (all.size() * 0.99)) / 1e6;
        return new Figures(all.size() / (MEASURE_MS / 1000.0), p50, p99);
    }

    /** Reads one answer (Content-Length or chunked); returns its status. */
    static int readAnswer(java.io.DataInputStream in) throws java.io.IOException {
        String statusLine = line(in);
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        int length = -1;
        boolean chunked = false;
        for (String h; !(h = line(in)).isEmpty(); ) {
            String lower = h.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Integer.parseInt(lower.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        if (chunked) {
            for (int size; (size = Integer.parseInt(line(in).trim(), 16)) > 0; ) {
                in.skipNBytes(size);
                line(in);
            }
            line(in);
        } else if (length > 0) {
            in.skipNBytes(length);
        }
        return status;
    }

    static String line(java.io.DataInputStream in) throws java.io.IOException {
        StringBuilder b = new StringBuilder();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                throw new java.io.EOFException();
            }
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }
}
