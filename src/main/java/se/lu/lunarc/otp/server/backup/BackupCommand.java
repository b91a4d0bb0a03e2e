package se.lu.lunarc.otp.server.backup;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import se.lu.lunarc.otp.server.admin.AdminOptions;
import se.lu.lunarc.otp.server.admin.SiteStore;
import se.lu.lunarc.otp.server.secrets.PrivateFiles;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code server backup --to DIR}: a consistent copy of the SQLite store while the server serves (SQLite's online
 * backup), the audit log up to that moment, and a manifest with each file's SHA-256. The key stays where it is:
 * the command says where it lives, to be kept apart from the copy.
 */
@Command(name = "backup", mixinStandardHelpOptions = true,
        description = {"Copy the store (SQLite) and the audit log while the server runs, with a manifest of "
                + "checksums, into a new folder. The key is not copied: keep it apart from the backup.",
                "A PostgreSQL store is backed up with pg_dump (see docs/backup.md)."})
public final class BackupCommand implements Callable<Integer> {
    @Mixin
    AdminOptions options;

    @Option(names = "--to", required = true, paramLabel = "DIR", description = "A new or empty folder for the copy.")
    Path to;

    @Override
    public Integer call() throws Exception {
        try (SiteStore site = options.open()) {
            if (!site.config().store().type().equals("sqlite")) {
                return options.refuse("Nothing copied: this store is PostgreSQL, which is backed up with pg_dump "
                        + "-Fc (see docs/backup.md); keep secret.key apart from the dump");
            }
            if (Files.exists(to) && (!Files.isDirectory(to) || hasFiles(to))) {
                return options.refuse("Nothing copied: " + to + " is not a new or empty folder");
            }
            PrivateFiles.createPrivateFolder(to);
            Instant started = options.clock.instant();
            long t0 = System.nanoTime();
            Path db = to.resolve("lunarc-otp.db");
            PrivateFiles.createIfMissing(db, "rw-------"); // the copy takes this file's mode: never readable by others
            site.db().backupTo(db);
            // the audit log as it stands once the copy is taken: lines are appended whole, so a prefix of the file
            // is a whole log
            Path auditCopy = to.resolve("audit.jsonl");
            copyPrefix(site.audit().file(), auditCopy, Files.size(site.audit().file()));
            Path keyFile = site.config().dataDir().resolve("secret.key").toAbsolutePath();
            Manifest manifest = new Manifest(Manifest.FORMAT, started.toString(), "sqlite",
                    site.db().schemaVersion(), keyFile.toString(), List.of(Manifest.of(db), Manifest.of(auditCopy)));
            manifest.write(to);
            PrivateFiles.restrict(to.resolve(Manifest.FILE));
            long millis = (System.nanoTime() - t0) / 1_000_000;
            site.audit().record("store_backed_up", null, "cli", null, "to=" + to.toAbsolutePath() + " by="
                    + site.operator());
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("backup", to.toAbsolutePath().toString());
            json.put("created", manifest.created());
            json.put("files", manifest.files());
            json.put("millis", millis);
            json.put("keyFile", keyFile.toString());
            options.print("Backed up the store and the audit log of " + site.config().dataDir() + " to " + to
                    + " in " + millis + " ms: " + describe(manifest) + ".\nThe key is not in the backup: keep a copy "
                    + "of " + keyFile + " apart from it. Without that key the token secrets in the backup cannot "
                    + "be opened; with it, anyone holding both can.", json);
            return 0;
        } catch (SiteStore.Unusable e) {
            return options.refuse("Nothing copied: " + e.getMessage());
        }
    }

    private static String describe(Manifest m) {
        StringBuilder out = new StringBuilder();
        for (Manifest.Entry e : m.files()) {
            out.append(out.length() == 0 ? "" : ", ").append(e.name()).append(" (").append(e.bytes())
                    .append(" bytes)");
        }
        return out.toString();
    }

    private static boolean hasFiles(Path dir) throws IOException {
        try (var entries = Files.list(dir)) {
            return entries.findAny().isPresent();
        }
    }

    /** The first {@code bytes} of {@code from} into a new private file {@code to}. */
    static void copyPrefix(Path from, Path to, long bytes) throws IOException {
        PrivateFiles.createIfMissing(to, "rw-------");
        try (InputStream in = Files.newInputStream(from);
             OutputStream out = Files.newOutputStream(to, StandardOpenOption.TRUNCATE_EXISTING)) {
            byte[] buffer = new byte[1 << 16];
            long left = bytes;
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    break;
                }
                out.write(buffer, 0, n);
                left -= n;
            }
        }
    }
}
