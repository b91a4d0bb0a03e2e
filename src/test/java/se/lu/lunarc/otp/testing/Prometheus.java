package se.lu.lunarc.otp.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus (Debian's {@code prometheus}), started in the foreground on a loopback port with a config and
 * a database of its own in a test's folder, scraping one target every second; stopped by {@link #close()}.
 */
public final class Prometheus implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    public final int port;
    private final Process process;
    private final Path log;

    private Prometheus(int port, Process process, Path log) {
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /** Scrapes {@code target} (HOST:PORT) as job {@code lunarc-otp}, with the rules in {@code rules}. */
    public static Prometheus start(Path dir, String target, Path rules) throws Exception {
        if (!Files.isExecutable(Path.of("/usr/bin/prometheus"))) {
            throw new IllegalStateException("Prometheus is not installed: apt-get install prometheus (.ci/run does)");
        }
        Files.createDirectories(dir);
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                  - %s
                scrape_configs:
                  - job_name: lunarc-otp
                    static_configs:
                      - targets: ['%s']
                """.formatted(rules.toAbsolutePath(), target));
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path log = dir.resolve("prometheus.log");
        Process p = new ProcessBuilder("prometheus", "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Prometheus started = new Prometheus(port, p, log);
        Instant until = Instant.now().plus(Duration.ofSeconds(30));
        while (true) {
            try {
                if (Http.get(started.url("/-/ready")).statusCode() == 200) {
                    return started;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (!p.isAlive() || Instant.now().isAfter(until)) {
                started.close();
                throw new IllegalStateException("Prometheus did not start:\n" + Files.readString(log));
            }
            Thread.sleep(200);
        }
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** The answer of the query API to {@code promql}, evaluated now. */
    public JsonNode query(String promql) throws Exception {
        var answer = Http.get(url("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)));
        return JSON.readTree(answer.body());
    }

    /** The value of the first series {@code promql} answers, waiting up to {@code wait} for one; NaN if none. */
    public double valueWithin(String promql, Duration wait, double atLeast) throws Exception {
        Instant until = Instant.now().plus(wait);
        double value = Double.NaN;
        while (Instant.now().isBefore(until)) {
            JsonNode result = query(promql).path("data").path("result");
            if (result.size() > 0) {
                value = Double.parseDouble(result.get(0).get("value").get(1).asText());
                if (value >= atLeast) {
                    return value;
                }
            }
            Thread.sleep(250);
        }
        return value;
    }

    public JsonNode get(String path) throws Exception {
        return JSON.readTree(Http.get(url(path)).body());
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
