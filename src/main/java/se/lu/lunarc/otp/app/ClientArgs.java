package se.lu.lunarc.otp.app;

import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/** The command-line options of both clients (window and text), mixed into their picocli commands. */
public final class ClientArgs {
    @Option(names = "--server", paramLabel = "URL", description = "Enrollment server, e.g. https://otp.example.org")
    String server;

    @Option(names = "--lang", paramLabel = "LANG", description = "en or sv (default: the system's language).")
    String lang;

    @Option(names = "--ca-bundle", paramLabel = "PEM", description = "Extra CA certificates to trust, besides the system's.")
    String caBundle;

    /** These options, then the environment and the settings files ({@link ClientSettings#resolve(Map)}). */
    public ClientSettings settings() throws IOException {
        Map<String, String> args = new HashMap<>();
        args.put("server", server);
        args.put("lang", lang);
        args.put("caBundle", caBundle);
        return ClientSettings.resolve(args);
    }
}
