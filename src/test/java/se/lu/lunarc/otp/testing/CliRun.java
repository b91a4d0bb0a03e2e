package se.lu.lunarc.otp.testing;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/** One run of {@code lunarc-otp}'s command line in this JVM: its exit status and what it printed, each stream apart. */
public record CliRun(int exit, String out, String err) {
    /** {@code command} (such as "server", "admin"), then {@code args}. */
    public static CliRun of(List<String> command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = se.lu.lunarc.otp.Cli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(command);
        all.addAll(List.of(args));
        return new CliRun(cli.execute(all.toArray(String[]::new)), out.toString(), err.toString());
    }
}
