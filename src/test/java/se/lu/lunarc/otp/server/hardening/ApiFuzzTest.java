package se.lu.lunarc.otp.server.hardening;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import se.lu.lunarc.otp.api.CreatedToken;
import se.lu.lunarc.otp.client.EnrollmentClient;
import se.lu.lunarc.otp.server.ServerConfig;
import se.lu.lunarc.otp.testing.RawHttp;
import se.lu.lunarc.otp.testing.TestServer;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property-based fuzzing of every operation in the contract, generated from the OpenAPI file: random methods
 * (the right one, others, lower case), path parameters, bodies (JSON of every shape, the operation's own
 * properties with wrong types and sizes, raw bytes that are not UTF-8, large ones), content types, credentials,
 * and chunked or counted transfer. Every answer must be below 500, and an error must be problem+json with a
 * code from the contract. Every few hundred cases, and at the end, a real sign-in and enrollment must still
 * work. {@code mvn -B verify} runs 2,500 cases; {@code mvn -B -Pfuzz test -Dtest=ApiFuzzTest} runs 30,000.
 */
class ApiFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> OTHER_METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD",
            "OPTIONS", "get", "post", "TRACE", "FOO");

    record Operation(String method, String path, List<String> bodyProperties) {}

    record Request(Operation op, String method, String path, byte[] body, String contentType, String authorization,
                   String serviceKey, boolean chunked) {
        byte[] bytes() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Connection: close\r\n");
            if (contentType != null) {
                head.append("Content-Type: ").append(contentType).append("\r\n");
            }
            if (authorization != null) {
                head.append("Authorization: ").append(authorization).append("\r\n");
            }
            if (serviceKey != null) {
                head.append("X-Service-Key: ").append(serviceKey).append("\r\n");
            }
            if (body == null) {
                head.append("\r\n");
                out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            } else if (chunked) {
                head.append("Transfer-Encoding: chunked\r\n\r\n");
                out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
                for (int i = 0; i < body.length; i += 4096) {
                    int n = Math.min(4096, body.length - i);
                    out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(body, i, n);
                    out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            } else {
                head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
                out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
                out.writeBytes(body);
            }
            return out.toByteArray();
        }

        @Override
        public String toString() {
            return method + " " + path + " (" + (body == null ? "no body" : body.length + " bytes"
                    + (chunked ? ", chunked" : "")) + ", " + contentType + ")";
        }
    }

    private static final List<Operation> OPERATIONS = new ArrayList<>();
    private static final Set<String> CODES = new HashSet<>();
    private static TestServer server;
    private static Path dir;
    private static int port;
    private static final AtomicInteger cases = new AtomicInteger();

    @BeforeContainer
    static void start() throws Exception {
        JsonNode spec;
        try (InputStream in = ApiFuzzTest.class.getResourceAsStream("/se/lu/lunarc/otp/api/openapi.yaml")) {
            spec = new ObjectMapper(new YAMLFactory()).readTree(in);
        }
        spec.at("/components/schemas/Problem/properties/code/enum").forEach(c -> CODES.add(c.asText()));
        spec.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            if (op.getKey().equals("parameters")) {
                return;
            }
            List<String> props = new ArrayList<>();
            JsonNode ref = op.getValue().at("/requestBody/content/application~1json/schema/$ref");
            if (!ref.isMissingNode()) {
                String name = ref.asText().substring(ref.asText().lastIndexOf('/') + 1);
                spec.at("/components/schemas/" + name + "/properties").fieldNames().forEachRemaining(props::add);
            }
            OPERATIONS.add(new Operation(op.getKey().toUpperCase(), "/api/v1" + path.getKey(), props));
        }));
        assertThat(OPERATIONS).hasSizeGreaterThan(10);
        dir = Files.createTempDirectory("lunarc-otp-fuzz-");
        ServerConfig.Limit plenty = new ServerConfig.Limit(1_000_000, 60);
        server = TestServer.start(dir, new ServerConfig.Limits(plenty, plenty, plenty, plenty, plenty, plenty, 0, 0),
                0);
        port = URI.create(server.baseUrl()).getPort();
    }

    @AfterContainer
    static void stop() throws Exception {
        try {
            aRealFlowStillWorks();
        } finally {
            server.close();
        }
    }

    private static void aRealFlowStillWorks() throws Exception {
        server.clock.advance(java.time.Duration.ofSeconds(30));
        EnrollmentClient c = server.signedIn("alice");
        CreatedToken t = c.createToken("Fuzzed " + cases.get());
        assertThat(c.activate(t.token().id(), server.codeNow(t)).status()).isEqualTo("active");
        c.revoke(t.token().id());
        c.logout();
    }

    @Property
    void everyAnswerIsBelow500AndEveryErrorIsAContractProblem(@ForAll("requests") Request request) throws Exception {
        RawHttp.Answer answer = RawHttp.send(port, request.bytes());
        assertThat(answer.status()).as(request + " → " + answer.head()).isLessThan(500);
        if (answer.status() >= 400) {
            assertThat(answer.contentType()).as(request + " → " + answer.head()).startsWith("application/problem+json");
            if (!request.method().equals("HEAD")) {
                JsonNode problem = JSON.readTree(answer.body());
                assertThat(CODES).as(request + " → " + answer.body()).contains(problem.get("code").asText());
                assertThat(problem.get("status").asInt()).isEqualTo(answer.status());
            }
        }
        if (cases.incrementAndGet() % 500 == 0) {
            aRealFlowStillWorks();
        }
    }

    @Provide
    Arbitrary<Request> requests() {
        Arbitrary<Operation> op = Arbitraries.of(OPERATIONS);
        return op.flatMap(o -> Combinators.combine(
                Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(7, Arbitraries.just(o.method())),
                        net.jqwik.api.Tuple.of(3, Arbitraries.of(OTHER_METHODS))),
                pathFor(o),
                bodyFor(o),
                Arbitraries.of("application/json", "application/json; charset=UTF-8", "text/plain",
                        "application/x-www-form-urlencoded", "application/json; charset=latin1").injectNull(0.2),
                Arbitraries.of("Bearer not-a-session", "Bearer ", "Basic YWxpY2U6cHc=", "bearer x".repeat(200))
                        .injectNull(0.6),
                Arbitraries.of("wrong-key", "", "x".repeat(5000)).injectNull(0.7),
                Arbitraries.of(true, false)
        ).as((method, path, body, type, auth, key, chunked) ->
                new Request(o, method, path, body, type, auth, key, chunked)));
    }

    /** The operation's path with its parameters filled with anything. */
    private static Arbitrary<String> pathFor(Operation o) {
        Arbitrary<String> segment = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(40),
                Arbitraries.strings().withCharRange('a', 'z').numeric().ofMaxLength(300),
                Arbitraries.of("..", ".", "%00", "%2F", "%", "00000000-0000-0000-0000-000000000000", "a%20b"));
        return segment.list().ofSize(2).map(values -> {
            String path = o.path();
            for (String v : values) {
                String encoded = v.startsWith("%") || v.equals("..") || v.equals(".") ? v
                        : URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20");
                path = path.replaceFirst("\\{[^}]+}", java.util.regex.Matcher.quoteReplacement(
                        encoded.isEmpty() ? "x" : encoded));
            }
            return path;
        });
    }

    /** No body, JSON of any shape, the operation's own properties with values of any type, or raw bytes. */
    private static Arbitrary<byte[]> bodyFor(Operation o) {
        Arbitrary<Object> scalar = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(30).map(s -> (Object) s),
                Arbitraries.strings().withCharRange('0', '9').ofMinLength(5).ofMaxLength(7).map(s -> (Object) s),
                Arbitraries.integers().map(i -> (Object) i),
                Arbitraries.doubles().map(d -> (Object) d),
                Arbitraries.of(true, false).map(b -> (Object) b),
                Arbitraries.just("y".repeat(70_000)).map(s -> (Object) s),
                Arbitraries.just((Object) null));
        Arbitrary<Object> value = Arbitraries.oneOf(scalar, scalar.list().ofMaxSize(4).map(l -> (Object) l),
                Arbitraries.maps(Arbitraries.strings().ofMaxLength(8), scalar).ofMaxSize(3).map(m -> (Object) m));
        Arbitrary<byte[]> ownProperties = o.bodyProperties().isEmpty() ? Arbitraries.just(new byte[] {'{', '}'})
                : Arbitraries.maps(Arbitraries.of(o.bodyProperties()), value).ofMaxSize(o.bodyProperties().size())
                .map(ApiFuzzTest::json);
        Arbitrary<byte[]> anyJson = value.map(ApiFuzzTest::json);
        Arbitrary<byte[]> rawBytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        Arbitrary<byte[]> brokenJson = Arbitraries.of("{", "{\"username\":", "[[[[[[[[[[", "{\"a\":1}}", "nul",
                "{\"username\":\"\\ud800\"}", "\uFEFF{}").map(s -> s.getBytes(StandardCharsets.UTF_8));
        return Arbitraries.oneOf(ownProperties, ownProperties, anyJson, rawBytes, brokenJson).injectNull(0.15);
    }

    private static byte[] json(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
