package se.lu.lunarc.otp.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Sign-ins waiting for their SMS code ({@code pending_logins}), under a hash of their id: the account, the number
 * the code went to, a hash of the code (never the code), its expiry, when it was sent, the tries and resends left.
 * Times in epoch milliseconds.
 */
public final class PendingLogins {
    private PendingLogins() {
    }

    public record PendingLogin(String username, String mobile, byte[] codeHash, long codeExpires, long lastSent,
                               int triesLeft, int resends) {}

    /** Keeps a new sign-in until {@code keptUntil}, dropping those already past. */
    public static void insert(Connection c, String idHash, PendingLogin login, long now, long keptUntil)
            throws SQLException {
        Sql.update(c, "DELETE FROM pending_logins WHERE expires <= ?", now);
        Sql.update(c, "INSERT INTO pending_logins (id_hash, username, mobile, "
                + "code_hash, code_expires, last_sent, tries_left, resends, expires) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", idHash, login.username(), login.mobile(), login.codeHash(),
                login.codeExpires(), login.lastSent(), login.triesLeft(), login.resends(), keptUntil);
    }

    /** The sign-in, or null when there is none or it is past being kept. */
    public static PendingLogin find(Connection c, String idHash, long now) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT username, mobile, code_hash, code_expires, last_sent, "
                + "tries_left, resends, expires FROM pending_logins WHERE id_hash = ?")) {
            p.setString(1, idHash);
            try (ResultSet r = p.executeQuery()) {
                if (!r.next() || r.getLong(8) <= now) {
                    return null;
                }
                return new PendingLogin(r.getString(1), r.getString(2), r.getBytes(3), r.getLong(4), r.getLong(5),
                        r.getInt(6), r.getInt(7));
            }
        }
    }

    public static void delete(Connection c, String idHash) throws SQLException {
        Sql.update(c, "DELETE FROM pending_logins WHERE id_hash = ?", idHash);
    }

    public static void setTriesLeft(Connection c, String idHash, int left) throws SQLException {
        Sql.update(c, "UPDATE pending_logins SET tries_left = ? WHERE id_hash = ?", left, idHash);
    }

    /** Counts a resend, sent at {@code now}. */
    public static void countResend(Connection c, String idHash, long now) throws SQLException {
        Sql.update(c, "UPDATE pending_logins SET resends = resends + 1, last_sent = ? WHERE id_hash = ?", now,
                idHash);
    }

    /** The new code's hash and expiry. */
    public static void setCode(Connection c, String idHash, byte[] codeHash, long codeExpires) throws SQLException {
        Sql.update(c, "UPDATE pending_logins SET code_hash = ?, code_expires = ? WHERE id_hash = ?", codeHash,
                codeExpires, idHash);
    }
}
