package se.lu.lunarc.otp.server;

import picocli.CommandLine;

/**
 * {@code lunarc-otp-server}: the backend on its own, as the server package runs it (no JavaFX, no client). The
 * same command as {@code lunarc-otp server} in the development image.
 */
public final class ServerMain {
    private ServerMain() {}

    public static void main(String[] args) {
        System.exit(new CommandLine(new ServerCommand()).setCommandName("lunarc-otp-server")
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("lunarc-otp-server: " + e.getMessage());
                    return 1;
                }).execute(args));
    }
}
