package se.lu.lunarc.otp.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * RADIUS States (RFC 2865 §5.24) between the rounds of one login, in the store so that any node can take the
 * answer: under a hash of the State, with the account's identity, the name the first round was asked under, the
 * NAS, what the answer must carry and an optional notice. Made only after a right password, so few.
 */
public final class RadiusStates {
    private RadiusStates() {
    }

    /** What a State stands for. {@code expect} is the caller's own name for what the next round must carry. */
    public record Pending(String identity, String askedAs, String nas, String expect, String notice) {}

    /** Keeps a new State until {@code expires} (epoch ms), dropping those already past. */
    public static void put(Connection c, String stateHash, Pending p, long expires, long now) throws SQLException {
        Sql.update(c, "DELETE FROM radius_states WHERE expires <= ?", now);
        Sql.update(c, "INSERT INTO radius_states (state_hash, username, asked_as, "
                + "nas, expect, notice, expires) VALUES (?, ?, ?, ?, ?, ?, ?)", stateHash, p.identity(),
                Sql.orNull(p.askedAs(), Sql.Null.TEXT), Sql.orNull(p.nas(), Sql.Null.TEXT),
                Sql.orNull(p.expect(), Sql.Null.TEXT), Sql.orNull(p.notice(), Sql.Null.TEXT), expires);
    }

    /** Takes a State once, over all nodes: one statement both deletes it and says what it stood for. */
    public static Pending take(Connection c, String stateHash, long now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM radius_states WHERE state_hash = ? "
                + "RETURNING username, asked_as, nas, expect, notice, expires")) {
            s.setString(1, stateHash);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next() || r.getLong(6) <= now) {
                    return null;
                }
                return new Pending(r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5));
            }
        }
    }
}
