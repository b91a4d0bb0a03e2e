package se.lu.lunarc.otp.server.admin;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import se.lu.lunarc.otp.api.Usernames;
import se.lu.lunarc.otp.server.limits.RateLimits;
import se.lu.lunarc.otp.server.store.Database;
import se.lu.lunarc.otp.server.store.RateBuckets;
import se.lu.lunarc.otp.server.store.SourceFailures;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code lunarc-otp server admin unlock USER}: lifts the waits that wrong codes and wrong passwords put on a
 * user's stations (for the wizard's sign-in, {@code /validate} and RADIUS alike), and on PostgreSQL also the
 * user's shared limits. With SQLite those limits live in the running server's memory and run out by themselves
 * within the hour.
 */
@Command(name = "unlock", mixinStandardHelpOptions = true,
        description = "Clear USER's lockouts: the waits after wrong codes and wrong passwords at every station "
                + "(and, on PostgreSQL, the user's limits).")
public final class UnlockCommand implements java.util.concurrent.Callable<Integer> {
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
            boolean shared = site.db().dialect() == Database.Dialect.POSTGRESQL;
            // codes are counted under the account's identity, passwords under the name with its case folded
            String folded = Usernames.folded(user);
            int[] cleared = site.db().inTransaction(c -> {
                int codeStations = SourceFailures.CODES.clear(c, user);
                int passwordPlaces = SourceFailures.PASSWORDS.clear(c, folded);
                int limits = 0;
                if (shared) {
                    for (RateLimits.Name limiter : RateLimits.Name.values()) {
                        if (limiter.key != RateLimits.Name.Key.OTHER) {
                            limits += RateBuckets.delete(c, limiter.bucketId(
                                    limiter.key == RateLimits.Name.Key.USER ? user : folded));
                        }
                    }
                }
                return new int[] {codeStations, passwordPlaces, limits};
            });
            site.audit().record("admin_unlocked", user, "cli", null, "stations=" + cleared[0] + " passwordSources="
                    + cleared[1] + " limits=" + cleared[2] + " by=" + site.operator());
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("user", user);
            json.put("stationsCleared", cleared[0]);
            json.put("passwordSourcesCleared", cleared[1]);
            json.put("limitsCleared", shared ? cleared[2] : null);
            options.print("Cleared " + user + "'s code failures at " + cleared[0] + " station(s) and password "
                    + "failures at " + cleared[1] + " place(s)" + (shared ? ", and " + cleared[2]
                    + " shared limit(s)." : ". (With SQLite the user's limits are in the server's memory and run out "
                    + "within the hour.)"), json);
            return 0;
        } catch (SiteStore.Unusable e) {
            return options.refuse(e.getMessage());
        }
    }
}
