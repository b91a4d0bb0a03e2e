package se.lu.lunarc.otp.text;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import se.lu.lunarc.otp.ui.ClientArgs;
import se.lu.lunarc.otp.ui.ClientSettings;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/** {@code lunarc-otp text}: the enrollment in a terminal, for SSH sessions. */
@Command(name = "text", mixinStandardHelpOptions = true,
        description = {"Register an OTP authenticator in the terminal (for SSH sessions without the desktop).",
                "Same settings as the window (see lunarc-otp --help); with no server configured, the demo.",
                "Reads from stdin when it is not a terminal, so it can be scripted."})
public final class TextCommand implements Callable<Integer> {
    @Mixin
    ClientArgs client = new ClientArgs();

    @Option(names = "--qr", paramLabel = "STYLE", description = "unicode (default: half blocks) or ascii.")
    String qr = "unicode";

    @Option(names = "--width", paramLabel = "COLUMNS", description = "Terminal width (default: $COLUMNS, else 80).")
    Integer width;

    @Override
    public Integer call() throws Exception {
        return run(client.settings(), "ascii".equalsIgnoreCase(qr) ? TerminalQr.Style.ASCII : TerminalQr.Style.UNICODE,
                width);
    }

    static int columns(Integer given) {
        if (given != null) {
            return given;
        }
        try {
            return Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "80"));
        } catch (NumberFormatException e) {
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
