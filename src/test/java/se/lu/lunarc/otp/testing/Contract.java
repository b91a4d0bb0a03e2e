package se.lu.lunarc.otp.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The API contract, openapi.yaml, as tests hold the server's answers against it. */
public final class Contract {
    private Contract() {}

    public static JsonNode spec() throws Exception {
        try (InputStream in = Contract.class.getResourceAsStream("/se/lu/lunarc/otp/api/openapi.yaml")) {
            return new ObjectMapper(new YAMLFactory()).readTree(in);
        }
    }

    /** The spec's operation ("METHOD /template") that served {@code a}, or null for a path outside the spec. */
    public static String operationOf(LoopbackProxy.Answer a, JsonNode spec) {
        String path = a.path().startsWith("/api/v1") ? a.path().substring("/api/v1".length()) : a.path();
        for (Iterator<Map.Entry<String, JsonNode>> it = spec.get("paths").fields(); it.hasNext(); ) {
            var template = it.next();
            if (path.matches(template.getKey().replaceAll("\\{[^/]+}", "[^/]+"))
                    && template.getValue().has(a.method().toLowerCase(Locale.ROOT))) {
                return a.method() + " " + template.getKey();
            }
        }
        return null;
    }

    /**
     * The answers among {@code answers} whose status the spec does not declare for their operation, as
     * "METHOD /template → status". A 4xx must be listed; a 5xx may fall under "default". Answers to paths outside
     * the spec (a 404 for a path nobody serves) are not checked.
     */
    public static List<String> undeclared(List<LoopbackProxy.Answer> answers) throws Exception {
        JsonNode spec = spec();
        List<String> wrong = new ArrayList<>();
        for (LoopbackProxy.Answer a : answers) {
            String operation = operationOf(a, spec);
            if (operation == null) {
                continue;
            }
            String[] methodAndPath = operation.split(" ", 2);
            JsonNode responses = spec.get("paths").get(methodAndPath[1])
                    .get(methodAndPath[0].toLowerCase(Locale.ROOT)).get("responses");
            boolean serverFault = a.status() >= 500 && responses.has("default");
            if (!responses.has(Integer.toString(a.status())) && !serverFault) {
                wrong.add(operation + " → " + a.status());
            }
        }
        return wrong;
    }

}
