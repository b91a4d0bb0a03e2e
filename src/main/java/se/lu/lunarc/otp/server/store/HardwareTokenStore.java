package se.lu.lunarc.otp.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The pool of imported hardware tokens ({@code hardware_tokens}), by serial number: a vendor's seed sealed under the
 * store's key, how the token makes codes, and to whom it is assigned once a user registered it.
 */
public final class HardwareTokenStore {
    private HardwareTokenStore() {
    }

    /** A token as imported: how it makes codes, and for HOTP the next counter expected. */
    public record Pooled(String kind, int digits, int period, long counter, byte[] sealed) {}

    /** Adds the token unless its serial number is there already; whether it was added. */
    public static boolean insertIfAbsent(Connection c, String serial, String manufacturer, String kind, int digits,
                                         int period, long counter, byte[] sealedSecret, long importedEpochSecond)
            throws SQLException {
        return Sql.update(c, "INSERT INTO hardware_tokens (serial, manufacturer, kind, "
                + "digits, period, counter, secret, imported) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT (serial) DO NOTHING", serial, Sql.orNull(manufacturer, Sql.Null.TEXT), kind, digits,
                period, counter, sealedSecret, importedEpochSecond) == 1;
    }

    /** The token with this serial number if nobody has it yet; else null. */
    public static Pooled unassigned(Connection c, String serial) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT kind, digits, period, counter, secret "
                + "FROM hardware_tokens WHERE serial = ? AND assigned_to IS NULL")) {
            p.setString(1, serial);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? new Pooled(r.getString(1), r.getInt(2), r.getInt(3), r.getLong(4), r.getBytes(5))
                        : null;
            }
        }
    }

    /** Gives the token to {@code username} as the token {@code tokenId}; false when someone took it meanwhile. */
    public static boolean assign(Connection c, String serial, String username, String tokenId) throws SQLException {
        return Sql.update(c, "UPDATE hardware_tokens SET assigned_to = ?, token_id = ? "
                + "WHERE serial = ? AND assigned_to IS NULL", username, tokenId, serial) == 1;
    }

    /** Whether the serial is known, and the id of the token made from it (null: none, or not assigned). */
    public record Holder(boolean known, String tokenId) {}

    public static Holder holder(Connection c, String serial) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "SELECT token_id, assigned_to FROM hardware_tokens WHERE serial = ?")) {
            p.setString(1, serial);
            try (ResultSet r = p.executeQuery()) {
                if (!r.next()) {
                    return new Holder(false, null);
                }
                return new Holder(true, r.getString(2) == null ? null : r.getString(1));
            }
        }
    }

    /**
     * Back to the pool: nobody's, and for an event token its counter at least {@code nextCounter}, so the next
     * holder cannot use codes already spent.
     */
    public static void unassign(Connection c, String serial, long nextCounter) throws SQLException {
        Sql.update(c, "UPDATE hardware_tokens SET assigned_to = NULL, "
                + "token_id = NULL, counter = CASE WHEN kind = 'hotp' AND ? > counter THEN ? ELSE counter END "
                + "WHERE serial = ?", nextCounter, nextCounter, serial);
    }
}
