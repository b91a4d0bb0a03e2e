package se.lu.lunarc.otp.server.hardware;

import picocli.CommandLine.Command;

/** {@code lunarc-otp server tokens}: the site's hardware tokens. */
@Command(name = "tokens", mixinStandardHelpOptions = true, description = "Hardware tokens: import their seeds.",
        subcommands = ImportTokensCommand.class)
public final class TokensCommand {
}
