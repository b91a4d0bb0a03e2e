package se.lu.lunarc.otp;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import se.lu.lunarc.otp.text.TerminalQr;
import se.lu.lunarc.otp.text.TextCommand;
import se.lu.lunarc.otp.app.ClientArgs;
import se.lu.lunarc.otp.app.ClientHolder;
import se.lu.lunarc.otp.spi.ServerPart;
import se.lu.lunarc.otp.app.ClientSettings;
import se.lu.lunarc.otp.ui.WizardLauncher;

import java.util.Map;
import java.util.concurrent.Callable;

/** {@code lunarc-otp}: the enrollment wizard, or with {@code server} the backend. */
@Command(name = "lunarc-otp", mixinStandardHelpOptions = true, version = "lunarc-otp 0.1.0",
        description = {"Register an OTP authenticator for LUNARC: opens the enrollment wizard.",
                "",
                "Settings are taken from, first to last: the options below, the environment variable "
                        + "LUNARC_OTP_SERVER, $HOME/.config/lunarc-otp/client.properties (or under $XDG_CONFIG_HOME), "
                        + "/etc/lunarc-otp/client.properties. The files' keys: server, caBundle, "
                        + "connectTimeoutSeconds, readTimeoutSeconds, appName (the phone app's name in the texts), "
                        + "support (help contact shown on Sign in), lang, qrVisibleSeconds.",
                "With no server configured, the development build runs a built-in demo backend (user demo / "
                        + "lunarc-demo); the installed package says which settings file to set.",
                "Without a display (an SSH session) it runs the same enrollment as text: see 'lunarc-otp text'."},
        subcommands = TextCommand.class)
public final class Main implements Callable<Integer> {
    @CommandLine.Mixin
    ClientArgs client = new ClientArgs();

    @Option(names = "--startup-probe", description = "Open the sign-in screen, print the time to its first frame, exit.")
    boolean startupProbe;

    /** A window can open: an X or Wayland display, or JavaFX's headless Monocle platform (tests, probes). */
    static boolean hasDisplay(Map<String, String> env) {
        return "Monocle".equals(System.getProperty("glass.platform"))
                || !env.getOrDefault("DISPLAY", "").isBlank() || !env.getOrDefault("WAYLAND_DISPLAY", "").isBlank();
    }

    public static void main(String[] args) throws Exception {
        // from the menu there are no arguments: straight to the window, without parsing a command line
        // (picocli's classes cost the first frame about 150 ms and cannot be class-data-shared on 17)
        boolean probe = args.length == 1 && args[0].equals("--startup-probe"); // measures the menu's path
        if (args.length == 0 || probe) {
            Main main = new Main();
            main.startupProbe = probe;
            System.exit(main.call());
        }
        System.exit(Cli.commandLine().execute(args));
    }

    @Override
    public Integer call() throws Exception {
        ClientSettings settings;
        try {
            settings = client.settings();
            ClientHolder.requireRunnable(settings, System.getenv());
        } catch (ClientSettings.Invalid problem) {
            System.err.println("lunarc-otp: " + problem.getMessage());
            return hasDisplay(System.getenv()) && !startupProbe ? WizardLauncher.settingsError(problem) : 2;
        }
        if (!hasDisplay(System.getenv())) {
            if (startupProbe) {
                System.err.println("lunarc-otp: --startup-probe needs a display (DISPLAY is not set).");
                return 3;
            }
            System.err.println("lunarc-otp: no display (DISPLAY is not set): starting the text version. "
                    + "On the LUNARC HPC desktop, use Applications > Lunarc Tools > Security > Register OTP Authenticator.");
            return TextCommand.run(settings, TerminalQr.Style.UNICODE, null);
        }
        return WizardLauncher.run(settings, startupProbe);
    }
}
