package se.lu.lunarc.otp.server.admin;

import se.lu.lunarc.otp.server.ServerConfig;
import se.lu.lunarc.otp.server.audit.AuditLog;
import se.lu.lunarc.otp.server.limits.RateLimits;
import se.lu.lunarc.otp.server.notify.Notifier;
import se.lu.lunarc.otp.server.sms.SmsGateway;
import se.lu.lunarc.otp.server.users.UserDirectories;
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
public record SiteStore(ServerConfig config, Database db, SecretCipher cipher, AuditLog audit, String operator,
                        Notifier notifier) implements AutoCloseable {

    /** A command cannot run here; the message says why and what to do. */
    public static final class Unusable extends Exception {
        public Unusable(String message) {
            super(message, null, false, false);
        }
    }

    public static SiteStore open(Path configFile, Clock clock) throws Exception {
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
        SecretCipher cipher = SecretCipher.forStore(config.store(), key, clock);
        Database db = Database.open(config.store(), data, KeyCheck.verification(cipher, key.toString()));
        try {
            AuditLog audit = new AuditLog(auditFile, clock);
            // the helpdesk's changes are told to the user like the user's own (a directory of its own: the
            // process ends with the command)
            Notifier notifier = config.notifications() == null ? null : Notifier.forSite(config,
                    UserDirectories.open(config.users()), SmsGateway.of(config, clock), audit, RateLimits.local(clock),
                    clock);
            return new SiteStore(config, db, cipher, audit, whoRuns(), notifier);
        } catch (Exception e) {
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
            if (notifier != null) {
                notifier.close(); // the messages go out before the command ends
                notifier.directory().close();
            }
            audit.close();
        } finally {
            db.close();
        }
    }
}
