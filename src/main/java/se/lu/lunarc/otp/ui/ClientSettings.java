package se.lu.lunarc.otp.ui;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The wizard's settings. Each comes from the first place that has it: the command line, the environment
 * ({@code LUNARC_OTP_SERVER}), {@code ~/.config/lunarc-otp/client.properties}, then
 * {@code /etc/lunarc-otp/client.properties}. No server anywhere means the demo.
 */
public record ClientSettings(URI server, Path caBundle, Duration connectTimeout, Duration readTimeout,
                             String appName, String support, Locale locale, Duration qrVisibleFor) {

    public static final Path SYSTEM_FILE = Path.of("/etc/lunarc-otp/client.properties");

    public boolean demo() {
        return server == null;
    }

    public static Path userFile(Map<String, String> env) {
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return base.resolve("lunarc-otp").resolve("client.properties");
    }

    /** {@code args} holds what the command line gave (keys as in the files); missing keys are null. */
    public static ClientSettings resolve(Map<String, String> args, Map<String, String> env, List<Path> files)
            throws IOException {
        List<Properties> sources = new ArrayList<>();
        Properties fromArgs = new Properties();
        args.forEach((k, v) -> {
            if (v != null) {
                fromArgs.setProperty(k, v);
            }
        });
        sources.add(fromArgs);
        Properties fromEnv = new Properties();
        if (env.get("LUNARC_OTP_SERVER") != null && !env.get("LUNARC_OTP_SERVER").isBlank()) {
            fromEnv.setProperty("server", env.get("LUNARC_OTP_SERVER"));
        }
        sources.add(fromEnv);
        for (Path f : files) {
            Properties p = new Properties();
            if (Files.isReadable(f)) {
                try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                    p.load(r);
                }
            }
            sources.add(p);
        }
        String server = first(sources, "server");
        String ca = first(sources, "caBundle");
        String lang = first(sources, "lang");
        return new ClientSettings(server == null || server.isBlank() ? null : URI.create(server.trim()),
                ca == null ? null : Path.of(ca), Duration.ofSeconds(number(first(sources, "connectTimeoutSeconds"), 10)),
                Duration.ofSeconds(number(first(sources, "readTimeoutSeconds"), 30)),
                orDefault(first(sources, "appName"), "Pocket Pass"), first(sources, "support"),
                lang == null ? Locale.getDefault() : Locale.forLanguageTag(lang),
                Duration.ofSeconds(number(first(sources, "qrVisibleSeconds"), 300)));
    }

    public static ClientSettings resolve(Map<String, String> args) throws IOException {
        Map<String, String> env = System.getenv();
        return resolve(args, env, List.of(userFile(env), SYSTEM_FILE));
    }

    private static String first(List<Properties> sources, String key) {
        for (Properties p : sources) {
            String v = p.getProperty(key);
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        return null;
    }

    private static long number(String s, long fallback) {
        try {
            return s == null ? fallback : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static String orDefault(String s, String fallback) {
        return s == null ? fallback : s;
    }

    public ClientSettings withLocale(Locale l) {
        return new ClientSettings(server, caBundle, connectTimeout, readTimeout, appName, support, l, qrVisibleFor);
    }
}
