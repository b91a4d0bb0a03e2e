package se.lu.lunarc.otp;

import picocli.CommandLine;
import se.lu.lunarc.otp.spi.ServerPart;

/**
 * The command line ({@code lunarc-otp text …}, {@code --help}, and in the development image {@code server …}),
 * apart from {@link Main}: the JVM looks up Main's public methods at start, which would load picocli's classes
 * (about 150 ms, not class-data-shareable on 17) even for a start from the menu, which has no arguments.
 */
public final class Cli {
    private Cli() {}

    /**
     * The command line with its error handling: a failure prints one clear line, not a stack trace. With the
     * backend installed beside the client (the development image), it has the {@code server} command too.
     */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main()).setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("lunarc-otp: " + e.getMessage());
            return 1;
        });
        ServerPart.installed().ifPresent(server -> cli.addSubcommand("server", server.command()));
        return cli;
    }
}
