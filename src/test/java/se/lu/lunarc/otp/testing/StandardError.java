package se.lu.lunarc.otp.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/** Runs a command line in this JVM and keeps what it printed on standard error, as a user would read it. */
public final class StandardError {
    private StandardError() {}

    public record Run(int exitCode, String printed) {}

    public static Run capture(Callable<Integer> command) throws Exception {
        PrintStream before = System.err;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int exit;
        try {
            System.setErr(new PrintStream(printed, true, StandardCharsets.UTF_8));
            exit = command.call();
        } finally {
            System.setErr(before);
        }
        return new Run(exit, printed.toString(StandardCharsets.UTF_8));
    }
}
