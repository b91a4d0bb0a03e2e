package se.lu.lunarc.otp.server.admin;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import se.lu.lunarc.otp.api.Usernames;
import se.lu.lunarc.otp.server.store.HardwareTokenStore;
import se.lu.lunarc.otp.server.store.TokenRecord;
import se.lu.lunarc.otp.server.store.TokenStore;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code lunarc-otp server admin tokens list USER | revoke TOKEN-ID}. */
@Command(name = "tokens", mixinStandardHelpOptions = true, description = "A user's tokens.")
public final class AdminTokensCommand {

    /**
     * One token as the helpdesk sees it, never its secret: how it makes codes ({@code totp} or {@code hotp}, its
     * digits) and, for a hardware token, the serial number printed on it, which {@code unassign} takes.
     */
    public record Listed(String id, String user, String name, String status, String kind, int digits, String serial,
                         Instant created, Instant activated, Instant lastUsed, Instant expires, Instant replayedAt) {
        static Listed of(TokenRecord t, Instant now) {
            String status = TokenRecord.ACTIVE.equals(t.status()) && t.expires() != null && !now.isBefore(t.expires())
                    ? "expired" : t.status();
            return new Listed(t.id(), t.username(), t.name(), status, t.otp().kind(), t.otp().digits(),
                    t.otp().serial(), t.created(), t.activated(), t.lastUsed(), t.expires(), t.replayedAt());
        }

        /** "app (totp, 6 digits)" or "hardware SERIAL (hotp, 8 digits)". */
        String howItMakesCodes() {
            return (serial == null ? "app" : "hardware " + serial) + " (" + kind + ", " + digits + " digits)";
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List USER's tokens, revoked ones too, "
            + "under any spelling of the name (alice, ALICE).")
    int list(@Mixin AdminOptions options, @Parameters(paramLabel = "USER") String user) throws Exception {
        if (!Usernames.isValid(user)) {
            return options.refuse("Not a username: " + user);
        }
        try (SiteStore site = options.open()) {
            TokenStore store = new TokenStore(site.db().dialect());
            Instant now = options.clock.instant();
            List<Listed> tokens = site.db().read(c -> store.listForAnyCase(c, user)).stream()
                    .map(t -> Listed.of(t, now)).toList();
            site.audit().record("admin_tokens_listed", user, "cli", null, "by=" + site.operator());
            StringBuilder text = new StringBuilder(tokens.isEmpty() ? user + " has no tokens." : "");
            for (Listed t : tokens) {
                text.append(String.format("%s  %-8s  %s  %s  (made %s%s)%s%n", t.id(), t.status(), t.name(),
                        t.howItMakesCodes(), t.created(), t.lastUsed() == null ? "" : ", last used " + t.lastUsed(),
                        t.user().equals(user) ? "" : "  [kept under " + t.user() + ": see admin identities]"));
            }
            options.print(text.toString().stripTrailing(), tokens);
            return 0;
        } catch (SiteStore.Unusable e) {
            return options.refuse(e.getMessage());
        }
    }

    /** What {@code unassign} found: whether the serial is known, and the token made from it (null: none). */
    private record Held(boolean known, TokenRecord token) {}

    @Command(name = "unassign", mixinStandardHelpOptions = true,
            description = "Return a hardware token to the pool: the user's token made from it is revoked, and "
                    + "another user can register the token.")
    int unassign(@Mixin AdminOptions options, @Parameters(paramLabel = "SERIAL") String serial) throws Exception {
        try (SiteStore site = options.open()) {
            TokenStore store = new TokenStore(site.db().dialect());
            Held held = site.db().inTransaction(c -> {
                HardwareTokenStore.Holder holder = HardwareTokenStore.holder(c, serial);
                if (!holder.known()) {
                    return new Held(false, null);
                }
                TokenRecord token = holder.tokenId() == null ? null : store.findById(c, holder.tokenId()).orElse(null);
                // an event token's next holder cannot use the codes already spent
                long counter = token == null ? 0 : Math.max(0, token.lastStep() + 1);
                if (token != null && !TokenRecord.REVOKED.equals(token.status())) {
                    store.update(c, token.withStatus(TokenRecord.REVOKED));
                }
                HardwareTokenStore.unassign(c, serial, counter);
                return new Held(true, token);
            });
            if (!held.known()) {
                return options.refuse("No hardware token with the serial number " + serial + ".");
            }
            String owner = held.token() == null ? null : held.token().username();
            if (owner != null) {
                site.audit().record("hardware_token_unassigned", owner, "cli", held.token().id(), "serial=" + serial
                        + " by=" + site.operator() + " (helpdesk)");
            }
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("serial", serial);
            json.put("wasAssignedTo", owner);
            options.print(owner == null ? "Hardware token " + serial + " was not assigned to anyone."
                    : "Hardware token " + serial + " is back in the pool; " + owner + "'s token made from it is "
                    + "revoked.", json);
            return 0;
        } catch (SiteStore.Unusable e) {
            return options.refuse(e.getMessage());
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke a token (its secret is deleted); it can no longer log in.")
    int revoke(@Mixin AdminOptions options, @Parameters(paramLabel = "TOKEN-ID") String id) throws Exception {
        try (SiteStore site = options.open()) {
            TokenStore store = new TokenStore(site.db().dialect());
            Optional<TokenRecord> before = site.db().inTransaction(c -> {
                Optional<TokenRecord> found = store.findById(c, id);
                if (found.isPresent() && !TokenRecord.REVOKED.equals(found.get().status())) {
                    store.update(c, found.get().withStatus(TokenRecord.REVOKED));
                }
                return found;
            });
            if (before.isEmpty()) {
                return options.refuse("No token with the id " + id + " (see: admin tokens list USER).");
            }
            TokenRecord t = before.get();
            boolean already = TokenRecord.REVOKED.equals(t.status());
            if (!already) {
                site.audit().record("token_revoked", t.username(), "cli", t.id(), "by=" + site.operator()
                        + " (helpdesk)");
            }
            options.print(already ? "Token " + id + " (" + t.name() + " of " + t.username() + ") was revoked already."
                            : "Revoked token " + id + " (" + t.name() + " of " + t.username() + ").",
                    Map.of("id", id, "user", t.username(), "revoked", true, "wasRevokedAlready", already));
            return 0;
        } catch (SiteStore.Unusable e) {
            return options.refuse(e.getMessage());
        }
    }
}
