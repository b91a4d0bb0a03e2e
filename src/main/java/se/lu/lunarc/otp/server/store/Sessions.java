package se.lu.lunarc.otp.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Signed-in sessions ({@code sessions}), under a hash of their bearer token, with a public identifier of their
 * own, the user, when they began and were last used (epoch ms), and the address they began from.
 */
public final class Sessions {
    private Sessions() {
    }

    public record Session(String id, String username, long created, long lastUsed, String address) {}

    private static final String COLUMNS = "SELECT id, username, created, last_used, address FROM sessions ";

    /** Drops sessions that ended (idle since {@code idleBefore}, or begun before {@code begunBefore}). */
    public static void dropEnded(Connection c, long idleBefore, long begunBefore) throws SQLException {
        Sql.update(c, "DELETE FROM sessions WHERE last_used <= ? OR created <= ?", idleBefore, begunBefore);
    }

    public static void insert(Connection c, String tokenHash, Session s) throws SQLException {
        Sql.update(c, "INSERT INTO sessions (token_hash, id, username, created, "
                + "last_used, address) VALUES (?, ?, ?, ?, ?, ?)", tokenHash, s.id(), s.username(), s.created(),
                s.lastUsed(), Sql.orNull(s.address(), Sql.Null.TEXT));
    }

    public static Session byTokenHash(Connection c, String tokenHash) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(COLUMNS + "WHERE token_hash = ?")) {
            p.setString(1, tokenHash);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? read(r) : null;
            }
        }
    }

    public static void touch(Connection c, String tokenHash, long now) throws SQLException {
        Sql.update(c, "UPDATE sessions SET last_used = ? WHERE token_hash = ?", now, tokenHash);
    }

    /** The user's sessions, oldest first. */
    public static List<Session> of(Connection c, String username) throws SQLException {
        List<Session> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(COLUMNS + "WHERE username = ? ORDER BY created, id")) {
            p.setString(1, username);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(read(r));
                }
            }
        }
        return out;
    }

    /** Ends the user's session {@code id}; false when she has none by that identifier. */
    public static boolean endById(Connection c, String id, String username) throws SQLException {
        return Sql.update(c, "DELETE FROM sessions WHERE id = ? AND username = ?", id, username) == 1;
    }

    public static void endByTokenHash(Connection c, String tokenHash) throws SQLException {
        Sql.update(c, "DELETE FROM sessions WHERE token_hash = ?", tokenHash);
    }

    /** Ends every session of {@code username}: a spelling joined into another account signs in again. */
    public static void endAllOf(Connection c, String username) throws SQLException {
        Sql.update(c, "DELETE FROM sessions WHERE username = ?", username);
    }

    private static Session read(ResultSet r) throws SQLException {
        return new Session(r.getString(1), r.getString(2), r.getLong(3), r.getLong(4), r.getString(5));
    }
}
