package se.lu.lunarc.otp.server.radius;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The login prompt's texts: both languages complete, each fits one Reply-Message, every key used exists. */
class RadiusMessagesTest {
    private static Properties load(String name) throws IOException {
        Properties p = new Properties();
        try (InputStream in = RadiusMessagesTest.class.getResourceAsStream("/se/lu/lunarc/otp/server/radius/" + name)) {
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return p;
    }

    @Test
    void englishAndSwedishHaveTheSameKeysAndEachTextFitsOneAttribute() throws IOException {
        Properties en = load("messages.properties");
        Properties sv = load("messages_sv.properties");
        assertThat(new TreeSet<>(sv.stringPropertyNames())).isEqualTo(new TreeSet<>(en.stringPropertyNames()));
        for (Properties p : new Properties[] {en, sv}) {
            for (String key : p.stringPropertyNames()) {
                // a masked phone number is at most 16 characters
                String longest = p.getProperty(key).replace("{0}", "+46 70*** **4200");
                assertThat(longest.getBytes(StandardCharsets.UTF_8).length).as(key).isLessThanOrEqualTo(253);
            }
        }
    }

    @Test
    void everyKeyUsedInTheCodeExistsAndPromptsAreTheCentresOwn() throws IOException {
        Set<String> used = new TreeSet<>();
        Pattern call = Pattern.compile("(?:text|prompt)\\(\"(radius\\.[\\w.]+)\"");
        for (Path f : Files.list(Path.of("src/main/java/se/lu/lunarc/otp/server/radius")).toList()) {
            Matcher m = call.matcher(Files.readString(f));
            while (m.find()) {
                used.add(m.group(1));
            }
        }
        assertThat(used).hasSizeGreaterThan(6);
        assertThat(load("messages.properties").stringPropertyNames()).containsAll(used);
        assertThat(new RadiusMessages("en").prompt("radius.prompt")).isEqualTo("Please enter your onetime password: ");
        assertThat(new RadiusMessages("sv").prompt("radius.prompt")).isEqualTo("Ange ditt engångslösenord: ");
    }
    @Test
    void englishSurvivesATerminalInTheCLocaleAndSwedishUsesNoSymbolBeyondItsLetters() throws IOException {
        // ssh in the C locale shows any byte outside ASCII as an octal escape (an arrow became \342\206\222)
        Properties en = load("messages.properties");
        for (String key : en.stringPropertyNames()) {
            assertThat(en.getProperty(key)).as(key).matches("[\\x20-\\x7e]*");
        }
        Properties sv = load("messages_sv.properties");
        for (String key : sv.stringPropertyNames()) {
            assertThat(sv.getProperty(key)).as(key).matches("[\\x20-\\x7eåäöÅÄÖé]*");
        }
    }
}
