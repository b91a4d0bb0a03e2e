package se.lu.lunarc.otp.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** Human-check proofs already spent ({@code spent_proofs}), by their signature, until they would expire anyway. */
public final class SpentProofs {
    private SpentProofs() {
    }

    /**
     * Records the proof as spent, kept until {@code keepUntil} (epoch ms), dropping those past {@code now}; false
     * when it was spent before, here or on another node.
     */
    public static boolean firstUse(Connection c, String signature, long now, long keepUntil) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("DELETE FROM spent_proofs WHERE expires < ?")) {
            p.setLong(1, now);
            p.executeUpdate();
        }
        try (PreparedStatement p = c.prepareStatement("INSERT INTO spent_proofs (signature, expires) "
                + "VALUES (?, ?) ON CONFLICT (signature) DO NOTHING")) {
            p.setString(1, signature);
            p.setLong(2, keepUntil);
            return p.executeUpdate() == 1;
        }
    }
}
