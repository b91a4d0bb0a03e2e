package se.lu.lunarc.otp.server.admin;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import se.lu.lunarc.otp.api.Usernames;

import java.util.Map;

/**
 * {@code lunarc-otp server admin notify-test USER}: sends USER a test message by every channel configured, now,
 * so an administrator sees the SMS and the mail arrive (docs/notifications.md) before a real change needs them.
 */
@Command(name = "notify-test", mixinStandardHelpOptions = true,
        description = "Send USER a test notification by SMS and e-mail, as the notifications: and mail: blocks say.")
public final class NotifyTestCommand implements java.util.concurrent.Callable<Integer> {
    @Mixin
    AdminOptions options;

    @Parameters(paramLabel = "USER")
    String user;

    @Override
    public Integer call() throws Exception {
        if (!Usernames.isValid(user)) {
            return options.refuse("Not a username: " + user);
        }
        try (SiteStore site = options.open()) {
            if (site.notifier() == null) {
                return options.refuse("Nothing sent: the configuration has no notifications: block "
                        + "(see docs/notifications.md)");
            }
            String outcome = site.notifier().test(user);
            if (!outcome.matches(".*sent=[a-z,]+.*") || outcome.contains("failed=")) {
                return options.refuse("Test notification to " + user + ": " + outcome
                        + (outcome.contains("failed=mail") ? " (the server's log says why the mail failed)" : ""));
            }
            options.print("Test notification to " + user + ": " + outcome, Map.of("user", user, "outcome", outcome));
            return 0;
        } catch (SiteStore.Unusable e) {
            return options.refuse("Nothing sent: " + e.getMessage());
        }
    }
}
