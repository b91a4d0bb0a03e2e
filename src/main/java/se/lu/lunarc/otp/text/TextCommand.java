package se.lu.lunarc.otp.text;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import se.lu.lunarc.otp.app.ClientArgs;
import se.lu.lunarc.otp.app.ClientHolder;
import se.lu.lunarc.otp.app.ClientSettings;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/** {@code lunarc-otp text}: the enrollment in a terminal, for SSH sessions. */
@Command(name = "text", mixinStandardHelpOptions = true,
        description = {"Register an OTP authenticator in the terminal (for SSH sessions without the desktop).",
                "Same settings as the window (see lunarc-otp --help); with no server configured, the demo where it "
                        + "is installed (the development build), else it says which settings file to set.",
                "Reads from stdin when it is not a terminal, so it can be scripted."})
public final class TextCommand implements Callable<Integer> {
    @Mixin
    ClientArgs client = new ClientArgs();

    @Option(names = "--qr", paramLabel = "STYLE", description = "unicode (default: half blocks) or ascii.")
    String qr = "unicode";

    @Option(names = "--width", paramLabel = "COLUMNS", description = "Terminal width (default: $COLUMNS, else the terminal's).")
    Integer width;

    @Override
    public Integer call() throws Exception {
        ClientSettings settings = client.settings();
        try {
            ClientHolder.requireRunnable(settings, System.getenv());
        } catch (ClientSettings.Invalid noServer) {
            System.err.println("lunarc-otp: " + noServer.getMessage());
            return 2;
        }
        return run(settings, "ascii".equalsIgnoreCase(qr) ? TerminalQr.Style.ASCII : TerminalQr.Style.UNICODE, width);
    }

    /** --width, else $COLUMNS, else what `stty size` says of the terminal, else 80. */
    static int columns(Integer given) {
        if (given != null) {
            return given;
        }
        try {
            return Integer.parseInt(System.getenv("COLUMNS"));
        } catch (NumberFormatException notSet) {
            return sttyColumns();
        }
    }

    private static int sttyColumns() {
        java.io.File tty = new java.io.File("/dev/tty");
        if (System.console() == null || !tty.canRead()) {
            return 80;
        }
        try {
            Process p = new ProcessBuilder("stty", "size").redirectInput(tty).start();
            String[] rowsCols = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim().split("\\s+");
            return p.waitFor() == 0 && rowsCols.length == 2 ? Integer.parseInt(rowsCols[1]) : 80;
        } catch (java.io.IOException | NumberFormatException e) {
            return 80;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 80;
        }
    }

    public static int run(ClientSettings settings, TerminalQr.Style style, Integer width) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Terminal term = new Terminal(System.console(),
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), out, columns(width));
        return new TextWizard(term, settings, style).run();
    }
}
