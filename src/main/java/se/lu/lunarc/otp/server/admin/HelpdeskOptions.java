package se.lu.lunarc.otp.server.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Clock;

/** What every helpdesk command takes: the server's configuration, and {@code --json}. */
final class HelpdeskOptions {
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The server's configuration.")
    Path config;

    @Option(names = "--json", description = "Print the outcome as JSON.")
    boolean json;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    final Clock clock = Clock.systemUTC();

    SiteStore open() throws Exception {
        return SiteStore.open(config, clock);
    }

    void print(String text, Object asJson) throws Exception {
        if (json) {
            spec.commandLine().getOut().println(new ObjectMapper().registerModule(new JavaTimeModule())
                    .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).writeValueAsString(asJson));
        } else {
            spec.commandLine().getOut().println(text);
        }
    }

    int refuse(String message) {
        spec.commandLine().getErr().println(message);
        return 1;
    }
}
