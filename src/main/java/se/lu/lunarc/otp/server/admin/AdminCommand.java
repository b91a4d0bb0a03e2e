package se.lu.lunarc.otp.server.admin;

import picocli.CommandLine.Command;

/** {@code lunarc-otp server admin}: the helpdesk's commands, run on the server host against the configured store. */
@Command(name = "admin", mixinStandardHelpOptions = true,
        description = "Helpdesk commands: a user's tokens, revoking one, lifting a user's lockouts, joining "
                + "spellings of one name. Each is "
                + "audited with the operating-system user who ran it.",
        subcommands = {AdminTokensCommand.class, UnlockCommand.class, IdentitiesCommand.class,
                NotifyTestCommand.class})
public final class AdminCommand {
}
