package se.lu.lunarc.otp.server;

import se.lu.lunarc.otp.server.users.LdapConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 20 §7: docs/install.md says packaging/config/server.example.yaml holds every key. It holds them, some commented
 * out (an alternative such as users.ldap): every key the server accepts, found from the configuration's own types,
 * is in the file with its comment marks taken off; and the file as shipped is a configuration the server loads.
 */
class ExampleConfigTest {
    private static final Path EXAMPLE = Path.of("packaging/config/server.example.yaml");
    /** A commented-out line of YAML: '#' right before the line's own indentation and a key, or a list item. */
    private static final Pattern COMMENTED_YAML = Pattern.compile("^#(\\s*)([A-Za-z]\\w*:(\\s|$)|- )");

    @Test
    void everyKeyTheServerAcceptsIsInTheExampleAndTheExampleLoads() throws Exception {
        ServerConfig shipped = ServerConfig.load(EXAMPLE.toAbsolutePath());
        assertThat(shipped.radius()).isNotNull();

        StringBuilder uncommented = new StringBuilder();
        for (String line : Files.readAllLines(EXAMPLE)) {
            uncommented.append(COMMENTED_YAML.matcher(line).find() ? line.substring(1) : line).append('\n');
        }
        JsonNode all = new ObjectMapper(new YAMLFactory()).readTree(uncommented.toString());
        List<String> missing = new ArrayList<>();
        walk(ServerConfig.class, all, "", missing);
        assertThat(missing).as("keys the server accepts that the example does not show").isEmpty();
    }

    private static void walk(Class<?> type, JsonNode node, String path, List<String> missing) {
        for (RecordComponent c : type.getRecordComponents()) {
            String key = path + c.getName();
            JsonNode value = node == null ? null : node.get(c.getName());
            if (value == null) {
                missing.add(key);
                continue;
            }
            Class<?> t = c.getType();
            if (t.isRecord()) {
                walk(t, value, key + ".", missing);
            } else if (List.class.isAssignableFrom(t) && element(c.getGenericType()) instanceof Class<?> e
                    && e.isRecord()) {
                walk(e, value.get(0), key + "[0].", missing);
            } else if (Map.class.isAssignableFrom(t) && key.endsWith("ldap.attributes")) {
                for (String field : LdapConfig.DEFAULT_ATTRIBUTES.keySet()) {
                    if (value.get(field) == null) {
                        missing.add(key + "." + field);
                    }
                }
            }
        }
    }

    private static Type element(Type listType) {
        return listType instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : null;
    }
}
