package se.lu.lunarc.otp.server.admin;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import se.lu.lunarc.otp.api.Usernames;
import se.lu.lunarc.otp.server.store.IdentityMerge;
import se.lu.lunarc.otp.server.users.DirectoryUnavailable;
import se.lu.lunarc.otp.server.users.User;
import se.lu.lunarc.otp.server.users.UserDirectories;
import se.lu.lunarc.otp.server.users.UserDirectory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code lunarc-otp server admin identities list | merge SPELLING --into NAME}: the way out for a site whose store
 * holds tokens under two spellings of one name (kept so by versions before one identity per account: {@code ALICE}
 * signed in and enrolled beside {@code alice}). Lists them with the directory's own spelling, and joins one into
 * it, audited.
 */
@Command(name = "identities", mixinStandardHelpOptions = true,
        description = "Names that hold tokens under more than one spelling (alice, ALICE): 'list' them with the "
                + "directory's own spelling, 'merge' one into it.")
public final class IdentitiesCommand {
    /** One name's spellings that hold tokens, and what the directory calls the account (null: not asked). */
    public record Variants(Map<String, Integer> tokensBySpelling, String directorysName) {}

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the names that hold tokens under more than one spelling, with the directory's own.")
    int list(@Mixin AdminOptions options) throws Exception {
        try (SiteStore site = options.open()) {
            Map<String, Map<String, Integer>> found = site.db().read(IdentityMerge::variants);
            List<Variants> report = new ArrayList<>();
            StringBuilder text = new StringBuilder();
            try (UserDirectory users = UserDirectories.open(site.config().users())) {
                for (Map<String, Integer> spellings : found.values()) {
                    String any = spellings.keySet().iterator().next();
                    String own = directorysName(users, any).orElse(null);
                    report.add(new Variants(spellings, own));
                    text.append(describe(options, spellings, own)).append('\n');
                }
            }
            site.audit().record("admin_identities_listed", null, "cli", null, "variants=" + report.size() + " by="
                    + site.operator());
            options.print(report.isEmpty() ? "No name holds tokens under more than one spelling."
                    : text.toString().stripTrailing(), report);
            return 0;
        } catch (SiteStore.Unusable e) {
            return options.refuse(e.getMessage());
        }
    }

    private static String describe(AdminOptions options, Map<String, Integer> spellings, String own) {
        StringBuilder line = new StringBuilder();
        spellings.forEach((name, tokens) -> line.append(line.isEmpty() ? "" : ", ").append(name).append(" (")
                .append(tokens).append(tokens == 1 ? " token)" : " tokens)"));
        if (own == null) {
            return line + ": the directory did not name the account; ask again when it answers.";
        }
        StringBuilder out = new StringBuilder(line + ": the directory's name is " + own + ".");
        for (String name : spellings.keySet()) {
            if (!name.equals(own)) {
                out.append("\n  join with: lunarc-otp-server admin identities merge ").append(name)
                        .append(" --into ").append(own).append(" --config ").append(options.config);
            }
        }
        return out.toString();
    }

    /** The directory's spelling of the account {@code name} is, when it answers and has one. */
    private static Optional<String> directorysName(UserDirectory users, String name) {
        try {
            return users.find(name).map(User::username);
        } catch (DirectoryUnavailable e) {
            return Optional.empty();
        }
    }

    @Command(name = "merge", mixinStandardHelpOptions = true,
            description = "Move SPELLING's tokens to the account NAME (the directory's own spelling of the same "
                    + "name); SPELLING's sessions end. A token name NAME already uses gets \" (SPELLING)\" added.")
    int merge(@Mixin AdminOptions options, @Parameters(paramLabel = "SPELLING") String from,
              @Option(names = "--into", required = true, paramLabel = "NAME") String into) throws Exception {
        if (!Usernames.isValid(from) || !Usernames.isValid(into)) {
            return options.refuse("Not a username: " + (Usernames.isValid(from) ? into : from));
        }
        if (from.equals(into) || !from.equalsIgnoreCase(into)) {
            return options.refuse("Nothing merged: " + from + " and " + into + " are not two spellings of one name. "
                    + "This command only joins spellings that differ in case.");
        }
        try (SiteStore site = options.open()) {
            String own;
            String intoOwn;
            try (UserDirectory users = UserDirectories.open(site.config().users())) {
                own = users.find(from).map(User::username).orElse(null);
                intoOwn = users.find(into).map(User::username).orElse(null);
            } catch (DirectoryUnavailable e) {
                return options.refuse("Nothing merged: the directory is not answering, so it cannot say whose "
                        + "account " + from + " is. Try again when it answers.");
            }
            if (own == null) {
                return options.refuse("Nothing merged: the directory has no account " + from + ".");
            }
            if (intoOwn != null && !intoOwn.equals(own)) {
                return options.refuse("Nothing merged: the directory has " + own + " and " + intoOwn + " as two "
                        + "accounts (a users file with caseSensitive: true), so their tokens are two people's.");
            }
            if (!into.equals(own)) {
                String other = own.equals(from) ? into : from;
                return options.refuse("Nothing merged: the directory names this account " + own + "; join the other "
                        + "spelling into it: admin identities merge " + other + " --into " + own + ".");
            }
            int moved = site.db().inTransaction(c -> IdentityMerge.merge(c, from, into));
            site.audit().record("admin_identity_merged", into, "cli", null, "from=" + from + " tokens=" + moved
                    + " by=" + site.operator());
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("from", from);
            json.put("into", into);
            json.put("tokensMoved", moved);
            options.print("Moved " + moved + " token(s) from " + from + " to " + into + ".", json);
            return 0;
        } catch (SiteStore.Unusable e) {
            return options.refuse(e.getMessage());
        }
    }
}
