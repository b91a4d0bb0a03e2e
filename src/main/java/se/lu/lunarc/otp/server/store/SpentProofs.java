package se.lu.lunarc.otp.server.store;

import java.sql.Connection;
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
        Sql.update(c, "DELETE FROM spent_proofs WHERE expires < ?", now);
        return Sql.update(c, "INSERT INTO spent_proofs (signature, expires) "
                + "VALUES (?, ?) ON CONFLICT (signature) DO NOTHING", signature, keepUntil) == 1;
    }
}
