package se.lu.lunarc.otp.server.store;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.util.concurrent.Callable;

/**
 * {@code lunarc-otp server migrate-store}: moves a site from its SQLite file to a new PostgreSQL store, with the
 * server stopped. See {@link StoreMigration} for what is checked.
 */
@Command(name = "migrate-store", mixinStandardHelpOptions = true,
        description = "Copy a SQLite store into a new, empty PostgreSQL store, all or nothing. Stop the server "
                + "first. Every token secret is opened once with the key file, and every table is counted again "
                + "after the copy.")
public final class MigrateStoreCommand implements Callable<Integer> {
    @Option(names = "--from", required = true, paramLabel = "sqlite:FILE",
            description = "The SQLite store, e.g. sqlite:/var/lib/lunarc-otp/lunarc-otp.db")
    String from;

    @Option(names = "--to", required = true, paramLabel = "postgresql:URL",
            description = "The new store, e.g. postgresql://db.example.org:5432/lunarc_otp (or a jdbc:postgresql: URL)")
    String to;

    @Option(names = "--user", required = true, paramLabel = "NAME", description = "PostgreSQL user.")
    String user;

    @Option(names = "--password-file", paramLabel = "FILE", description = "File holding that user's password.")
    Path passwordFile;

    @Option(names = "--key-file", paramLabel = "FILE",
            description = "The key the secrets are sealed with (default: secret.key beside the SQLite file). Every "
                    + "node of the new store needs a copy of it.")
    Path keyFile;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!from.startsWith("sqlite:")) {
            err.println("--from must be sqlite:FILE");
            return 2;
        }
        String url = jdbcUrl(to);
        if (url == null) {
            err.println("--to must be postgresql://HOST[:PORT]/DATABASE or postgresql:jdbc:postgresql://…");
            return 2;
        }
        Path file = Path.of(from.substring("sqlite:".length())).toAbsolutePath();
        if (!Files.isRegularFile(file)) {
            err.println("No SQLite store at " + file);
            return 2;
        }
        Path key = keyFile != null ? keyFile : file.resolveSibling("secret.key");
        if (!Files.isRegularFile(key)) {
            // never made here: a new key would open nothing
            err.println("No key file at " + key + " (give --key-file)");
            return 2;
        }
        String shownUrl = url.replaceFirst("\\?.*", "");
        String password = passwordFile == null ? null : Files.readString(passwordFile).strip();
        SecretCipher cipher = SecretCipher.fromKeyFile(key);
        try (Database source = Database.open(file);
             Database target = Database.openPostgresql(url, user, password, 2)) {
            StoreMigration.Report report = StoreMigration.run(source, target, cipher, key.toString());
            out.println("Copied to " + shownUrl + ": " + StoreMigration.describe(report.rows()) + ".");
            out.println("Every table was counted again after the copy; " + report.secretsOpened()
                    + " token secrets opened with " + key + ".");
            out.println("Next: give every node a copy of that key file and a store: block with type: "
                    + "postgresql and url: " + shownUrl + ", then start them.");
            return 0;
        } catch (StoreMigration.Refused e) {
            err.println("Not migrated: " + e.getMessage());
            return 1;
        } catch (SQLException e) {
            err.println("Not migrated: " + describe(e) + ". The copy was rolled back; nothing was written.");
            return 1;
        }
    }

    /** {@code postgresql://…} or {@code postgresql:jdbc:postgresql://…} as a JDBC URL; null if neither. */
    static String jdbcUrl(String to) {
        if (!to.startsWith("postgresql:")) {
            return null;
        }
        String rest = to.substring("postgresql:".length());
        if (rest.startsWith("//")) {
            return "jdbc:postgresql:" + rest;
        }
        return rest.startsWith("jdbc:postgresql://") ? rest : null;
    }

    /**
     * The database's own words. A failed batch's message quotes the statement with its values, sealed secrets
     * among them, so it is replaced by the server's message for the entry that failed.
     */
    private static String describe(SQLException e) {
        SQLException shown = e;
        if (e instanceof BatchUpdateException && e.getNextException() != null) {
            shown = e.getNextException();
        } else if (e instanceof BatchUpdateException) {
            return "a batch of rows was refused (SQLState " + e.getSQLState() + ")";
        }
        return shown.getMessage();
    }
}
