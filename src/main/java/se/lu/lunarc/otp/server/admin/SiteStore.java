package se.lu.lunarc.otp.server.admin;

import se.lu.lunarc.otp.server.ServerConfig;
import se.lu.lunarc.otp.server.audit.AuditLog;
import se.lu.lunarc.otp.server.store.Database;
import se.lu.lunarc.otp.server.store.KeyCheck;
import se.lu.lunarc.otp.server.store.SecretCipher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;

/**
 * What an administrator's command works on: the store the server's configuration names, its key, and its audit
 * log, for commands run on the server host beside the running service. It makes no file: a data folder where the
 * server never ran (no key, no audit log) is refused, and so is one owned by another user, since SQLite files or an
 * audit log made by, say, root would stop the service from writing them.
 */
public record SiteStore(ServerConfig config, Database db, SecretCipher cipher, AuditLog audit, String operator)
        implements AutoCloseable {

    /** A command cannot run here; the message says why and what to do. */
    public static final class Unusable extends Exception {
        public Unusable(String message) {
            super(message, null, false, false);
        }
    }

    public static SiteStore open(Path configFile, Clock clock) throws Unusable, IOException, SQLException {
        ServerConfig config = ServerConfig.load(configFile);
        Path data = config.dataDir();
        Path key = data.resolve("secret.key");
        Path auditFile = data.resolve("audit.jsonl");
        if (!Files.isRegularFile(key) || !Files.isRegularFile(auditFile)) {
            throw new Unusable("the server has not run on " + data + " yet (no secret.key or audit.jsonl there); "
                    + "start it once first");
        }
        String owner = Files.getOwner(data).getName();
        String me = System.getProperty("user.name");
        if (!owner.equals(me)) {
            throw new Unusable(data + " belongs to " + owner + ": run this as that user (sudo -u " + owner + " …), "
                    + "so that every file stays the service's");
        }
        SecretCipher cipher = SecretCipher.fromKeyFile(key);
        Database db = Database.open(config.store(), data, KeyCheck.verification(cipher, key.toString()));
        try {
            return new SiteStore(config, db, cipher, new AuditLog(auditFile, clock), whoRuns());
        } catch (RuntimeException | IOException e) {
            db.close();
            throw e;
        }
    }

    /** Who ran the command: the login name, and the one behind sudo when there is one. */
    public static String whoRuns() {
        String me = System.getProperty("user.name");
        String sudo = System.getenv("SUDO_USER");
        return sudo == null || sudo.isBlank() || sudo.equals(me) ? me : sudo + " (as " + me + ")";
    }

    @Override
    public void close() throws Exception {
        try {
            audit.close();
        } finally {
            db.close();
        }
    }
}
