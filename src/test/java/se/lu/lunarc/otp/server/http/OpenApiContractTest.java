package se.lu.lunarc.otp.server.http;


import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import se.lu.lunarc.otp.api.CreatedToken;
import se.lu.lunarc.otp.api.Enrollment;
import se.lu.lunarc.otp.api.ErrorCode;
import se.lu.lunarc.otp.api.HumanChallenge;
import se.lu.lunarc.otp.api.HumanProof;
import se.lu.lunarc.otp.api.LoginStarted;
import se.lu.lunarc.otp.api.Me;
import se.lu.lunarc.otp.api.Problem;
import se.lu.lunarc.otp.api.SessionStarted;
import se.lu.lunarc.otp.api.SmsInfo;
import se.lu.lunarc.otp.api.Token;
import se.lu.lunarc.otp.api.TokenList;
import se.lu.lunarc.otp.api.ValidateResult;
import se.lu.lunarc.otp.client.EnrollmentClient;
import se.lu.lunarc.otp.client.HumanCheckSolver;
import se.lu.lunarc.otp.testing.Contract;
import se.lu.lunarc.otp.testing.LoopbackProxy;
import se.lu.lunarc.otp.testing.TestServer;

import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * openapi.yaml is the contract: the server serves exactly its operations, answers only the statuses each declares,
 * and the shared types match its schemas.
 */
class OpenApiContractTest {
    @TempDir
    Path dir;

    static JsonNode spec() throws Exception {
        return Contract.spec();
    }

    @Test
    void theServerServesExactlyTheOperationsOfTheSpec() throws Exception {
        JsonNode spec = spec();
        assertThat(spec.get("openapi").asText()).startsWith("3.1");
        Set<String> inSpec = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = spec.get("paths").fields(); it.hasNext(); ) {
            var path = it.next();
            for (String method : new String[] {"get", "post", "patch", "delete", "put"}) {
                if (path.getValue().has(method)) {
                    inSpec.add(method.toUpperCase(Locale.ROOT) + " /api/v1" + path.getKey());
                }
            }
        }
        try (TestServer server = TestServer.start(dir)) {
            Set<String> served = server.server().routes().stream()
                    .map(r -> r.method().name() + " " + r.path()).collect(Collectors.toCollection(TreeSet::new));
            assertThat(served).isEqualTo(inSpec);
        }
    }

    @Test
    void theWholeFlowAnswersOnlyDeclaredStatuses() throws Exception {
        try (TestServer server = TestServer.start(dir); LoopbackProxy proxy = new LoopbackProxy(server.server().baseUri())) {
            server.behind(proxy);
            EnrollmentClient c = server.client();
            var started = c.login("alice", "alice-pw".toCharArray(), HumanCheckSolver.solve(c.humanCheck()));
            server.clock.advance(java.time.Duration.ofSeconds(31));
            c.resend(started.loginId());
            c.submitCode(started.loginId(), server.lastSmsCode("alice"));
            c.me();
            c.tokens();
            CreatedToken created = c.createToken("Phone");
            c.activate(created.token().id(), server.codeNow(created));
            c.rename(created.token().id(), "Work phone");
            c.disable(created.token().id());
            c.enable(created.token().id());
            server.clock.advance(java.time.Duration.ofSeconds(90));
            c.resync(created.token().id(), server.codeAt(created, -1), server.codeAt(created, 0));
            c.validate(server.serviceKey(), "alice", server.codeAt(created, 1));
            c.sessions();
            // a serial number no token has: refused, as a wrong code would be
            assertThat(catchThrowable(() -> c.registerHardwareToken("NO-SUCH-SERIAL", "123456", "Lab fob")))
                    .isInstanceOf(se.lu.lunarc.otp.client.ApiException.class);
            CreatedToken other = c.createToken("Spare");
            c.revoke(other.token().id());
            EnrollmentClient second = server.signedIn("alice");
            c.endSession(c.sessions().stream().filter(x -> !x.current()).findFirst().orElseThrow().id());
            assertThat(catchThrowable(second::me)).as("the session ended from the other one")
                    .isInstanceOf(se.lu.lunarc.otp.client.ApiException.class);
            c.logout();
            // what a load balancer asks; no client of ours does
            var health = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    proxy.uri().resolve("/api/v1/health")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("{\"status\":\"ok\"}");

            JsonNode spec = spec();
            Set<String> reached = proxy.answers().stream().map(a -> Contract.operationOf(a, spec))
                    .collect(Collectors.toCollection(TreeSet::new));
            Set<String> all = new TreeSet<>();
            spec.get("paths").fields().forEachRemaining(p -> p.getValue().fieldNames().forEachRemaining(m -> {
                if (Set.of("get", "post", "patch", "delete", "put").contains(m)) {
                    all.add(m.toUpperCase(Locale.ROOT) + " " + p.getKey());
                }
            }));
            assertThat(reached).as("the flow reached every operation of the spec").isEqualTo(all);
            assertThat(Contract.undeclared(proxy.answers())).isEmpty();
        }
    }

    @Test
    void everyProblemCodeIsInTheSpec() throws Exception {
        Set<String> specCodes = new HashSet<>();
        spec().at("/components/schemas/Problem/properties/code/enum").forEach(n -> specCodes.add(n.asText()));
        Set<String> javaCodes = Arrays.stream(ErrorCode.class.getFields())
                .filter(f -> Modifier.isStatic(f.getModifiers())).map(f -> {
                    try {
                        return (String) f.get(null);
                    } catch (IllegalAccessException e) {
                        throw new AssertionError(e);
                    }
                }).collect(Collectors.toSet());
        assertThat(javaCodes).isEqualTo(specCodes);
    }

    @Test
    void sharedTypesHaveExactlyTheSchemasProperties() throws Exception {
        Map<String, Class<?>> types = Map.ofEntries(
                Map.entry("Health", se.lu.lunarc.otp.api.Health.class), Map.entry("HumanChallenge", HumanChallenge.class), Map.entry("HumanProof", HumanProof.class),
                Map.entry("SmsInfo", SmsInfo.class), Map.entry("LoginStarted", LoginStarted.class),
                Map.entry("SessionStarted", SessionStarted.class), Map.entry("Me", Me.class),
                Map.entry("Token", Token.class), Map.entry("TokenList", TokenList.class),
                Map.entry("Enrollment", Enrollment.class), Map.entry("CreatedToken", CreatedToken.class),
                Map.entry("ValidateResult", ValidateResult.class), Map.entry("Problem", Problem.class),
                Map.entry("LoginRequest", ApiRoutes.LoginBody.class), Map.entry("CodeRequest", ApiRoutes.CodeBody.class),
                Map.entry("ResyncRequest", ApiRoutes.ResyncBody.class),
                Map.entry("HardwareTokenRequest", ApiRoutes.HardwareBody.class),
                Map.entry("ValidateRequest", ApiRoutes.ValidateBody.class),
                Map.entry("SessionInfo", se.lu.lunarc.otp.api.SessionInfo.class),
                Map.entry("SessionList", se.lu.lunarc.otp.api.SessionList.class),
                Map.entry("NameRequest", se.lu.lunarc.otp.api.Requests.Name.class));
        JsonNode schemas = spec().at("/components/schemas");
        for (var e : types.entrySet()) {
            Set<String> specProps = new TreeSet<>();
            schemas.get(e.getKey()).get("properties").fieldNames().forEachRemaining(specProps::add);
            Set<String> javaProps = Arrays.stream(e.getValue().getRecordComponents()).map(RecordComponent::getName)
                    .collect(Collectors.toCollection(TreeSet::new));
            assertThat(javaProps).as(e.getKey()).isEqualTo(specProps);
            for (RecordComponent c : e.getValue().getRecordComponents()) {
                JsonNode prop = schemas.get(e.getKey()).get("properties").get(c.getName());
                assertThat(jsonType(prop, schemas)).as(e.getKey() + "." + c.getName()).isEqualTo(jsonType(c.getType()));
            }
        }
    }

    /** The JSON type a schema property allows: its type, or that of its const, enum values or $ref. */
    private static String jsonType(JsonNode prop, JsonNode schemas) {
        if (prop.has("$ref")) {
            String ref = prop.get("$ref").asText();
            return jsonType(schemas.get(ref.substring(ref.lastIndexOf('/') + 1)), schemas);
        }
        if (prop.has("type")) {
            String t = prop.get("type").asText();
            return t.equals("string") && "date-time".equals(prop.path("format").asText()) ? "date-time" : t;
        }
        JsonNode sample = prop.has("const") ? prop.get("const") : prop.path("enum").path(0);
        return sample.isTextual() ? "string" : sample.isIntegralNumber() ? "integer" : sample.isBoolean() ? "boolean"
                : "unknown";
    }

    /** The JSON type Jackson writes for a Java type (ApiJson writes instants as ISO-8601 strings). */
    private static String jsonType(Class<?> type) {
        if (type == String.class || type == char[].class) {
            return "string";
        }
        if (type == java.time.Instant.class) {
            return "date-time";
        }
        if (type == int.class || type == long.class || type == Integer.class || type == Long.class) {
            return "integer";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "boolean";
        }
        if (java.util.List.class.isAssignableFrom(type)) {
            return "array";
        }
        return type.isRecord() ? "object" : "unknown " + type.getName();
    }
}
