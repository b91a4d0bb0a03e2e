package se.lu.lunarc.otp.server.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Clock;

/** What every administrator's command takes: the server's configuration, and {@code --json}. */
public final class AdminOptions {
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The server's configuration.")
    Path config;

    @Option(names = "--json", description = "Print the outcome as JSON.")
    boolean json;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    public final Clock clock = Clock.systemUTC();

    public SiteStore open() throws Exception {
        return SiteStore.open(config, clock);
    }

    /** The configuration file named by {@code --config}. */
    public Path configFile() {
        return config;
    }

    /** {@code text}, or with {@code --json} the JSON of {@code asJson}. */
    public void print(String text, Object asJson) throws Exception {
        if (json) {
            spec.commandLine().getOut().println(new ObjectMapper().registerModule(new JavaTimeModule())
                    .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).writeValueAsString(asJson));
        } else {
            spec.commandLine().getOut().println(text);
        }
    }

    /** Says why nothing was done; the exit status 1. */
    public int refuse(String message) {
        return fail(1, message);
    }

    /**
     * Says why nothing was done, on standard error; with {@code --json} also on standard output as
     * {@code {"refused": MESSAGE, "exit": STATUS}}, so that a script reading the JSON sees the refusal too.
     */
    public int fail(int status, String message) {
        spec.commandLine().getErr().println(message);
        if (json) {
            java.util.Map<String, Object> refusal = new java.util.LinkedHashMap<>();
            refusal.put("refused", message);
            refusal.put("exit", status);
            try {
                spec.commandLine().getOut().println(new ObjectMapper().writeValueAsString(refusal));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return status;
    }
}
