package se.lu.lunarc.otp.ui;

import se.lu.lunarc.otp.app.ClientSettings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ClientSettingsTest {
    @TempDir
    Path dir;

    @Test
    void eachSettingComesFromTheFirstPlaceThatHasIt() throws Exception {
        Path user = dir.resolve("user.properties");
        Path system = dir.resolve("system.properties");
        Files.writeString(user, "server=https://user.example.org\nreadTimeoutSeconds=7\n");
        Path ca = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        Files.writeString(system, "server=https://site.example.org\nsupport=support@lunarc.example\n"
                + "caBundle=" + ca + "\nconnectTimeoutSeconds=4\n");
        Map<String, String> args = new HashMap<>();

        ClientSettings fromFiles = ClientSettings.resolve(args, Map.of(), List.of(user, system));
        assertThat(fromFiles.server()).isEqualTo(URI.create("https://user.example.org"));
        assertThat(fromFiles.readTimeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(fromFiles.connectTimeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(fromFiles.support()).isEqualTo("support@lunarc.example");
        assertThat(fromFiles.caBundle()).isEqualTo(ca);
        assertThat(fromFiles.demo()).isFalse();

        ClientSettings fromEnv = ClientSettings.resolve(args, Map.of("LUNARC_OTP_SERVER", "https://env.example.org"),
                List.of(user, system));
        assertThat(fromEnv.server()).isEqualTo(URI.create("https://env.example.org"));

        args.put("server", "https://arg.example.org");
        args.put("lang", "sv");
        ClientSettings fromArgs = ClientSettings.resolve(args, Map.of("LUNARC_OTP_SERVER", "https://env.example.org"),
                List.of(user, system));
        assertThat(fromArgs.server()).isEqualTo(URI.create("https://arg.example.org"));
        assertThat(WizardState.supported(fromArgs.locale())).isEqualTo(Locale.forLanguageTag("sv"));
    }

    @Test
    void aSettingThatCannotBeUsedIsNamedWithItsFileAndLine() throws Exception {
        Path file = dir.resolve("client.properties");
        Map<String, String[]> cases = Map.of(
                "# site settings\nserver=otp.lunarc.example\n", new String[] {"line 2", "server", "https://"},
                "server=https://otp.lunarc.example\nreadTimeoutSeconds=thirty\n",
                new String[] {"line 2", "readTimeoutSeconds", "whole number"},
                "connectTimeoutSeconds=0\n", new String[] {"line 1", "connectTimeoutSeconds"},
                "caBundle=/nowhere/ca.pem\n", new String[] {"line 1", "caBundle", "does not exist"},
                "lang=fi\n", new String[] {"line 1", "lang", "en or sv"});
        for (var c : cases.entrySet()) {
            Files.writeString(file, c.getKey());
            ClientSettings.Invalid e = org.assertj.core.api.Assertions.catchThrowableOfType(ClientSettings.Invalid.class,
                    () -> ClientSettings.resolve(new HashMap<>(), Map.of(), List.of(file)));
            assertThat(e).as(c.getKey()).isNotNull();
            assertThat(e.getMessage()).contains(file.toString()).contains(c.getValue());
        }
        ClientSettings.Invalid fromArgs = org.assertj.core.api.Assertions.catchThrowableOfType(
                ClientSettings.Invalid.class, () -> ClientSettings.resolve(new HashMap<>(Map.of("server", "nonsense")),
                        Map.of(), List.of()));
        assertThat(fromArgs.getMessage()).startsWith("the command line: server:");
    }

    @Test
    void nothingConfiguredMeansTheDemo() throws Exception {
        ClientSettings none = ClientSettings.resolve(new HashMap<>(), Map.of(), List.of(dir.resolve("missing")));
        assertThat(none.demo()).isTrue();
        assertThat(none.appName()).isEqualTo("Pocket Pass");
        assertThat(none.qrVisibleFor()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void theUserFileFollowsXdgConfigHome() {
        assertThat(ClientSettings.userFile(Map.of("XDG_CONFIG_HOME", "/x"))).isEqualTo(Path.of("/x/lunarc-otp/client.properties"));
        // the environment's home, as the launcher's log uses, not the passwd entry's (which may differ under sudo)
        assertThat(ClientSettings.userFile(Map.of("HOME", "/home/anna")))
                .isEqualTo(Path.of("/home/anna/.config/lunarc-otp/client.properties"));
    }
}
