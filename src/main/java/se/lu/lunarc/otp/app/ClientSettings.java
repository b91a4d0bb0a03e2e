package se.lu.lunarc.otp.app;

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
                             String appName, String support, Locale locale, Duration qrVisibleFor,
                             List<URI> otherServers) {

    /**
     * {@code server}: the first node to ask; {@code otherServers}: the nodes tried next, in order, when it cannot
     * be reached ({@code server=https://a,https://b} in a settings file).
     */
    public ClientSettings {
        otherServers = otherServers == null ? List.of() : List.copyOf(otherServers);
    }

    public ClientSettings(URI server, Path caBundle, Duration connectTimeout, Duration readTimeout, String appName,
                          String support, Locale locale, Duration qrVisibleFor) {
        this(server, caBundle, connectTimeout, readTimeout, appName, support, locale, qrVisibleFor, List.of());
    }

    public static final Path SYSTEM_FILE = Path.of("/etc/lunarc-otp/client.properties");

    public boolean demo() {
        return server == null;
    }

    /**
     * The user's own settings file: under $XDG_CONFIG_HOME, else $HOME/.config, as the XDG base directories say;
     * the home is the environment's $HOME, which the launcher's log uses too (the passwd entry's only without it).
     */
    public static Path userFile(Map<String, String> env) {
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : home(env).resolve(".config");
        return base.resolve("lunarc-otp").resolve("client.properties");
    }

    static Path home(Map<String, String> env) {
        String home = env.get("HOME");
        return Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"));
    }

    /** A setting that cannot be used; the message names where it came from (file and line) and what is wrong. */
    public static final class Invalid extends IOException {
        public Invalid(String message) {
            super(message);
        }
    }

    /** One place settings come from: its name for messages, its values, and for a file its lines. */
    private record Source(String name, Properties values, List<String> lines) {
        String where(String key) {
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).matches("\\s*" + java.util.regex.Pattern.quote(key) + "\\s*[=:].*")) {
                    return name + " line " + (i + 1);
                }
            }
            return name;
        }
    }

    /** A value and where it came from. */
    private record Value(String text, String where) {}

    /** {@code args} holds what the command line gave (keys as in the files); missing keys are null. */
    public static ClientSettings resolve(Map<String, String> args, Map<String, String> env, List<Path> files)
            throws IOException {
        List<Source> sources = new ArrayList<>();
        Properties fromArgs = new Properties();
        args.forEach((k, v) -> {
            if (v != null) {
                fromArgs.setProperty(k, v);
            }
        });
        sources.add(new Source("the command line", fromArgs, List.of()));
        Properties fromEnv = new Properties();
        if (env.get("LUNARC_OTP_SERVER") != null && !env.get("LUNARC_OTP_SERVER").isBlank()) {
            fromEnv.setProperty("server", env.get("LUNARC_OTP_SERVER"));
        }
        sources.add(new Source("the environment (LUNARC_OTP_SERVER)", fromEnv, List.of()));
        for (Path f : files) {
            Properties p = new Properties();
            List<String> lines = List.of();
            if (Files.exists(f)) {
                try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                    p.load(r);
                    lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                } catch (IOException | IllegalArgumentException e) {
                    throw new Invalid(f + ": cannot be read (" + e.getClass().getSimpleName()
                            + "); it must be a UTF-8 properties file");
                }
            }
            sources.add(new Source(f.toString(), p, lines));
        }
        Value server = first(sources, "server");
        Value ca = first(sources, "caBundle");
        Value lang = first(sources, "lang");
        List<URI> servers = server == null ? List.of() : serverUris(server);
        return new ClientSettings(servers.isEmpty() ? null : servers.get(0), ca == null ? null : caFile(ca),
                Duration.ofSeconds(seconds(first(sources, "connectTimeoutSeconds"), "connectTimeoutSeconds", 10)),
                Duration.ofSeconds(seconds(first(sources, "readTimeoutSeconds"), "readTimeoutSeconds", 30)),
                orDefault(first(sources, "appName"), "Pocket Pass"), text(first(sources, "support")),
                lang == null ? Locale.getDefault() : language(lang),
                Duration.ofSeconds(seconds(first(sources, "qrVisibleSeconds"), "qrVisibleSeconds", 300)),
                servers.size() > 1 ? servers.subList(1, servers.size()) : List.of());
    }

    /** One address, or several separated by commas: the nodes of one service, asked in that order. */
    private static List<URI> serverUris(Value v) throws Invalid {
        List<URI> out = new ArrayList<>();
        for (String one : v.text().split(",")) {
            if (!one.isBlank()) {
                out.add(serverUri(v, one.strip()));
            }
        }
        if (out.isEmpty()) {
            throw new Invalid(v.where() + ": server: \"" + v.text() + "\" is not an address such as "
                    + "https://otp.lunarc.example");
        }
        return out;
    }

    private static URI serverUri(Value v, String text) throws Invalid {
        try {
            URI uri = new URI(text);
            if (("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (java.net.URISyntaxException bad) {
            // said below
        }
        throw new Invalid(v.where() + ": server: \"" + text + "\" is not an address such as "
                + "https://otp.lunarc.example");
    }

    private static Path caFile(Value v) throws Invalid {
        Path p = Path.of(v.text());
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
            throw new Invalid(v.where() + ": caBundle: " + p + " does not exist or cannot be read");
        }
        return p;
    }

    private static Locale language(Value v) throws Invalid {
        if (!v.text().equals("en") && !v.text().equals("sv")) {
            throw new Invalid(v.where() + ": lang: \"" + v.text() + "\" is not en or sv");
        }
        return Locale.forLanguageTag(v.text());
    }

    private static long seconds(Value v, String key, long fallback) throws Invalid {
        if (v == null) {
            return fallback;
        }
        try {
            long n = Long.parseLong(v.text());
            if (n > 0 && n <= 86_400) {
                return n;
            }
        } catch (NumberFormatException bad) {
            // said below
        }
        throw new Invalid(v.where() + ": " + key + ": \"" + v.text() + "\" is not a whole number of seconds "
                + "(1 to 86400)");
    }

    private static Value first(List<Source> sources, String key) {
        for (Source s : sources) {
            String v = s.values().getProperty(key);
            if (v != null && !v.isBlank()) {
                return new Value(v.trim(), s.where(key));
            }
        }
        return null;
    }

    private static String text(Value v) {
        return v == null ? null : v.text();
    }

    private static String orDefault(Value v, String fallback) {
        return v == null ? fallback : v.text();
    }

    public static ClientSettings resolve(Map<String, String> args) throws IOException {
        Map<String, String> env = System.getenv();
        return resolve(args, env, List.of(userFile(env), SYSTEM_FILE));
    }




    public ClientSettings withLocale(Locale l) {
        return new ClientSettings(server, caBundle, connectTimeout, readTimeout, appName, support, l, qrVisibleFor,
                otherServers);
    }
}
