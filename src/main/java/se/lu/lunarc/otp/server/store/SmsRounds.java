package se.lu.lunarc.otp.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;

/**
 * The RADIUS SMS fallback's rounds ({@code radius_sms_rounds}), one per user: a hash of the last code (null once a
 * send failed or was taken back), its expiry, when it was sent, the tries left, the codes sent in the round, and
 * when the round ends. Times in epoch milliseconds.
 */
public final class SmsRounds {
    private SmsRounds() {
    }

    public record Round(byte[] codeHash, long codeExpires, Long lastSent, int triesLeft, int codesSent,
                        long expires) {}

    /** The user's round, or null when there is none or it has ended. */
    public static Round find(Connection c, String username, long now) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT code_hash, code_expires, last_sent, tries_left, "
                + "codes_sent, expires FROM radius_sms_rounds WHERE username = ?")) {
            p.setString(1, username);
            try (ResultSet r = p.executeQuery()) {
                if (!r.next() || r.getLong(6) <= now) {
                    return null;
                }
                byte[] hash = r.getBytes(1);
                long expires = r.getLong(2);
                Long sent = TokenStore.nullableLong(r, 3);
                return new Round(hash, expires, sent, r.getInt(4), r.getInt(5), r.getLong(6));
            }
        }
    }

    public static void save(Connection c, String username, Round round) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO radius_sms_rounds (username, code_hash, "
                + "code_expires, last_sent, tries_left, codes_sent, expires) VALUES (?, ?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT (username) DO UPDATE SET code_hash = excluded.code_hash, code_expires = "
                + "excluded.code_expires, last_sent = excluded.last_sent, tries_left = excluded.tries_left, "
                + "codes_sent = excluded.codes_sent, expires = excluded.expires")) {
            p.setString(1, username);
            if (round.codeHash() == null) {
                p.setNull(2, Types.BINARY);
            } else {
                p.setBytes(2, round.codeHash());
            }
            p.setLong(3, round.codeExpires());
            if (round.lastSent() == null) {
                p.setNull(4, Types.BIGINT);
            } else {
                p.setLong(4, round.lastSent());
            }
            p.setInt(5, round.triesLeft());
            p.setInt(6, round.codesSent());
            p.setLong(7, round.expires());
            p.executeUpdate();
        }
    }

    /** Ends the user's round: its code was used, and the next login gets a new one. */
    public static void delete(Connection c, String username) throws SQLException {
        Sql.update(c, "DELETE FROM radius_sms_rounds WHERE username = ?", username);
    }
}
