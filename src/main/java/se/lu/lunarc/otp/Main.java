package se.lu.lunarc.otp;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import se.lu.lunarc.otp.server.ServerCommand;

/** {@code lunarc-otp}: the enrollment tool's command line. */
@Command(name = "lunarc-otp", mixinStandardHelpOptions = true, version = "lunarc-otp 0.1.0",
        description = "Register an OTP authenticator for LUNARC, or run the enrollment backend.%n"
                + "The desktop wizard is not built yet; run 'lunarc-otp server --demo' for the backend.",
        subcommands = ServerCommand.class)
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with its error handling: a failure prints one clear line, not a stack trace. */
    public static CommandLine commandLine() {
        return new CommandLine(new Main()).setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("lunarc-otp: " + e.getMessage());
            return 1;
        });
    }

    @Override
    public void run() {
        // no subcommand: until the wizard exists, picocli shows the usage with this error
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand (the wizard is not built yet).");
    }
}
