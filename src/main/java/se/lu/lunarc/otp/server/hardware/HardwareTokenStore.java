package se.lu.lunarc.otp.server.hardware;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** SQL for the pool of imported hardware tokens, the same on SQLite and PostgreSQL. */
final class HardwareTokenStore {
    private HardwareTokenStore() {
    }

    /** Adds the token unless its serial number is there already; whether it was added. */
    static boolean insertIfAbsent(Connection c, Pskc.Seed seed, byte[] sealedSecret, long importedEpochSecond)
            throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO hardware_tokens (serial, manufacturer, kind, "
                + "digits, period, counter, secret, imported) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT (serial) DO NOTHING")) {
            p.setString(1, seed.serial());
            p.setString(2, seed.manufacturer());
            p.setString(3, seed.kind().name().toLowerCase(java.util.Locale.ROOT));
            p.setInt(4, seed.digits());
            p.setInt(5, seed.timeStep());
            p.setLong(6, seed.counter());
            p.setBytes(7, sealedSecret);
            p.setLong(8, importedEpochSecond);
            return p.executeUpdate() == 1;
        }
    }
}
