package se.lu.lunarc.otp.server.backup;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import se.lu.lunarc.otp.server.ServerConfig;
import se.lu.lunarc.otp.server.admin.AdminOptions;
import se.lu.lunarc.otp.server.audit.AuditLog;
import se.lu.lunarc.otp.server.secrets.PrivateFiles;
import se.lu.lunarc.otp.server.store.Database;
import se.lu.lunarc.otp.server.store.KeyCheck;
import se.lu.lunarc.otp.server.store.SecretCipher;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code server restore --from DIR}: puts a backup's store in place on a stopped server, after checking it whole
 * (the manifest's checksums, SQLite's integrity check) and sealed with the key this data folder holds. The store it
 * replaces is kept beside it, renamed, never deleted.
 */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = {"Put a backup made by 'backup' in place of the store (SQLite), on a stopped server. The data "
                + "folder must hold the key the backup was sealed with (secret.key). The store it replaces is kept, "
                + "renamed lunarc-otp.db.before-restore-TIME.",
                "A PostgreSQL store is restored with pg_restore (see docs/backup.md)."})
public final class RestoreCommand implements Callable<Integer> {
    private static final String DB = "lunarc-otp.db";

    @Mixin
    AdminOptions options;

    @Option(names = "--from", required = true, paramLabel = "DIR", description = "A folder made by 'backup'.")
    Path from;

    @Override
    public Integer call() throws Exception {
        ServerConfig config = ServerConfig.load(options.configFile());
        if (!config.store().type().equals("sqlite")) {
            return options.refuse("Nothing restored: this store is PostgreSQL, which is restored with pg_restore "
                    + "(see docs/backup.md)");
        }
        Manifest manifest;
        try {
            manifest = Manifest.read(from);
        } catch (IOException e) {
            return options.refuse("Nothing restored: " + e.getMessage());
        }
        String damage = manifest.damage(from);
        if (damage != null) {
            return options.refuse("Nothing restored: the backup is damaged: " + damage + ". Take another backup or "
                    + "use an older one");
        }
        if (serverAnswers(config)) {
            return options.refuse("Nothing restored: a server answers on " + config.listen() + ". Stop it first "
                    + "(systemctl stop lunarc-otp-server), on this node and on every node sharing this data folder");
        }
        Path data = config.dataDir();
        Path key = data.resolve("secret.key");
        if (!Files.isRegularFile(key)) {
            return options.refuse("Nothing restored: " + key + " is missing. Put the key the backup was sealed with "
                    + "there first (0600, owned by the service's user); the backup named it "
                    + manifest.keyFile());
        }
        String me = System.getProperty("user.name");
        String owner = Files.getOwner(data).getName();
        if (!owner.equals(me)) {
            return options.refuse("Nothing restored: " + data + " belongs to " + owner + ": run this as that user "
                    + "(sudo -u " + owner + " …), so that every file stays the service's");
        }
        long t0 = System.nanoTime();
        Path incoming = data.resolve(DB + ".restoring");
        Files.deleteIfExists(incoming);
        PrivateFiles.createIfMissing(incoming, "rw-------");
        Files.copy(from.resolve(DB), incoming, StandardCopyOption.REPLACE_EXISTING);
        PrivateFiles.restrict(incoming);
        try {
            String problem = check(incoming, key, config.store(), options.clock);
            if (problem != null) {
                return options.refuse("Nothing restored: " + problem);
            }
        } finally {
            for (String tail : new String[] {"-wal", "-shm"}) {
                Files.deleteIfExists(data.resolve(DB + ".restoring" + tail));
            }
        }
        String stamp = options.clock.instant().toString().replace(":", "");
        String kept = null;
        for (String tail : new String[] {"", "-wal", "-shm"}) {
            Path old = data.resolve(DB + tail);
            if (Files.exists(old)) {
                Path aside = data.resolve(DB + ".before-restore-" + stamp + tail);
                Files.move(old, aside);
                kept = kept == null ? aside.toString() : kept;
            }
        }
        Files.move(incoming, data.resolve(DB), StandardCopyOption.ATOMIC_MOVE);
        Path auditFile = data.resolve("audit.jsonl");
        if (!Files.exists(auditFile)) {
            BackupCommand.copyPrefix(from.resolve("audit.jsonl"), auditFile, Files.size(from.resolve("audit.jsonl")));
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        try (AuditLog audit = new AuditLog(auditFile, options.clock)) {
            audit.record("store_restored", null, "cli", null, "from=" + from.toAbsolutePath() + " taken="
                    + manifest.created() + " by=" + se.lu.lunarc.otp.server.admin.SiteStore.whoRuns());
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("restored", from.toAbsolutePath().toString());
        json.put("taken", manifest.created());
        json.put("keptAs", kept);
        json.put("millis", millis);
        options.print("Restored the store taken " + manifest.created() + " into " + data + " in " + millis + " ms"
                + (kept == null ? "" : "; the store it replaced is kept as " + kept) + ". Start the server now.",
                json);
        return 0;
    }

    /** Null when the copy opens with this folder's key and passes SQLite's integrity check, else why not. */
    private static String check(Path copy, Path key, ServerConfig.Store store, java.time.Clock clock)
            throws IOException {
        SecretCipher cipher = SecretCipher.forStore(store, key, clock);
        try (Database db = Database.open(copy, KeyCheck.verification(cipher, key.toString()))) {
            String integrity = db.integrityCheck();
            return integrity.equals("ok") ? null : "the backup's store fails SQLite's integrity check: " + integrity;
        } catch (KeyCheck.WrongKey e) {
            return "the backup was sealed with another key than " + key + ". Put the key file kept with this backup "
                    + "there (a copy of the secret.key the server used when it was taken)";
        } catch (java.sql.SQLException e) {
            return "the backup's store cannot be opened: " + e.getMessage();
        }
    }

    /** Whether something accepts connections where the server listens (a running server must not be restored under). */
    private static boolean serverAnswers(ServerConfig config) {
        if (config.port() == 0) {
            return false;
        }
        String host = config.host().equals("0.0.0.0") || config.host().equals("::") ? "127.0.0.1" : config.host();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, config.port()), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
