package se.lu.lunarc.otp.server.admin;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import se.lu.lunarc.otp.api.Usernames;
import se.lu.lunarc.otp.server.store.Database;

import java.sql.PreparedStatement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code lunarc-otp server admin unlock USER}: lifts the waits that wrong codes put on a user's stations (for
 * {@code /validate} and RADIUS alike), and on PostgreSQL also the user's shared limits on wrong codes. With SQLite
 * those limits live in the running server's memory and run out by themselves within the hour.
 */
@Command(name = "unlock", mixinStandardHelpOptions = true,
        description = "Clear USER's code lockout: the waits after wrong codes at every station (and, on PostgreSQL, "
                + "the user's limits on wrong codes).")
public final class UnlockCommand implements java.util.concurrent.Callable<Integer> {
    /** The rate limits kept per user, by the names their limiters are made with (RateLimits keys them NAME:USER). */
    static final String[] PER_USER_LIMITS = {"code-failures-new-sources", "radius-user", "token-code-user",
            "sms-code-failures-user"};

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
            int[] cleared = site.db().inTransaction(c -> {
                int stations;
                try (PreparedStatement p = c.prepareStatement("DELETE FROM code_failures WHERE username = ?")) {
                    p.setString(1, user);
                    stations = p.executeUpdate();
                }
                int limits = 0;
                if (shared) {
                    for (String limiter : PER_USER_LIMITS) {
                        try (PreparedStatement p = c.prepareStatement("DELETE FROM rate_buckets WHERE id = ?")) {
                            p.setString(1, limiter + ":" + user);
                            limits += p.executeUpdate();
                        }
                    }
                }
                return new int[] {stations, limits};
            });
            site.audit().record("admin_unlocked", user, "cli", null, "stations=" + cleared[0] + " limits="
                    + cleared[1] + " by=" + site.operator());
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("user", user);
            json.put("stationsCleared", cleared[0]);
            json.put("limitsCleared", shared ? cleared[1] : null);
            options.print("Cleared " + user + "'s code failures at " + cleared[0] + " station(s)"
                    + (shared ? " and " + cleared[1] + " shared limit(s)." : ". (With SQLite the user's limits on "
                    + "wrong codes are in the server's memory and run out within the hour.)"), json);
            return 0;
        } catch (SiteStore.Unusable e) {
            return options.refuse(e.getMessage());
        }
    }
}
