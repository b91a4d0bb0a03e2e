package se.lu.lunarc.otp.ui;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** English and Swedish have the same keys, and every key the screens and code ask for exists. */
class BundlesTest {
    static Properties load(String name) throws IOException {
        Properties p = new Properties();
        try (InputStream in = BundlesTest.class.getResourceAsStream("/se/lu/lunarc/otp/ui/" + name)) {
            p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return p;
    }

    @Test
    void englishAndSwedishHaveTheSameKeys() throws IOException {
        Set<String> en = new TreeSet<>(load("messages.properties").stringPropertyNames());
        Set<String> sv = new TreeSet<>(load("messages_sv.properties").stringPropertyNames());
        assertThat(sv).isEqualTo(en);
        Properties svText = load("messages_sv.properties");
        assertThat(svText.getProperty("app.title")).isEqualTo("Registrera OTP-autentiserare");
    }

    @Test
    void everyKeyUsedInFxmlAndCodeExists() throws IOException {
        Set<String> keys = load("messages.properties").stringPropertyNames();
        Set<String> used = new TreeSet<>();
        Pattern fxml = Pattern.compile("\"%([\\w.]+)\"");
        Pattern code = Pattern.compile("getString\\(\"([\\w.]+)\"\\)");
        try (Stream<Path> files = Files.walk(Path.of("src/main"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String name = f.toString();
                Pattern p = name.endsWith(".fxml") ? fxml : name.endsWith(".java") ? code : null;
                if (p != null) {
                    Matcher m = p.matcher(Files.readString(f));
                    while (m.find()) {
                        used.add(m.group(1));
                    }
                }
            }
        }
        assertThat(used).hasSizeGreaterThan(60);
        assertThat(keys).containsAll(used);

        // keys handed on as arguments ("tokens.renamed" to a helper) or looked up by text mode's t("…"): any
        // string literal in the window's or the terminal's code that starts like a bundle key must be one
        Set<String> prefixes = new TreeSet<>();
        keys.forEach(k -> prefixes.add(k.substring(0, k.indexOf('.') + 1)));
        Pattern literal = Pattern.compile("\"([a-z]+\\.[A-Za-z0-9_.]*[A-Za-z0-9_])\"");
        Set<String> passed = new TreeSet<>();
        for (String folder : new String[] {"src/main/java/se/lu/lunarc/otp/ui", "src/main/java/se/lu/lunarc/otp/text"}) {
            try (Stream<Path> files = Files.walk(Path.of(folder))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    Matcher m = literal.matcher(Files.readString(f));
                    while (m.find()) {
                        String k = m.group(1);
                        if (prefixes.contains(k.substring(0, k.indexOf('.') + 1))) {
                            passed.add(k);
                        }
                    }
                }
            }
        }
        assertThat(passed).as("keys passed as arguments").hasSizeGreaterThan(20);
        assertThat(keys).containsAll(passed);
        // keys built at run time: statuses, problem codes, failure kinds
        for (String status : new String[] {"pending", "active", "disabled", "revoked", "expired"}) {
            assertThat(keys).contains("status." + status);
        }
        for (var kind : se.lu.lunarc.otp.client.ApiException.Kind.values()) {
            assertThat(keys).contains("error.kind." + kind.name());
        }
    }
}
