package se.lu.lunarc.otp.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;

/**
 * One statement run with its parameters bound in order by their Java type (String, Long, Integer, byte[], or a
 * typed {@link Null}), so that a store class says what it writes in one line instead of a binding per column.
 * Statements are still prepared on the connection given, so the pools' prepared-statement caches still apply.
 */
final class Sql {
    private Sql() {
    }

    /** SQL NULL of a type: the drivers want to know what a null parameter would have been. */
    enum Null {
        BYTES(Types.BINARY), LONG(Types.BIGINT), TEXT(Types.VARCHAR);

        final int sqlType;

        Null(int sqlType) {
            this.sqlType = sqlType;
        }
    }

    /** A value, or the typed null standing for it. */
    static Object orNull(Object value, Null ifNull) {
        return value == null ? ifNull : value;
    }

    /** Runs an INSERT, UPDATE or DELETE; returns the rows it changed. */
    static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            bind(p, params);
            return p.executeUpdate();
        }
    }

    static void bind(PreparedStatement p, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            int at = i + 1;
            Object v = params[i];
            if (v instanceof String s) {
                p.setString(at, s);
            } else if (v instanceof Long l) {
                p.setLong(at, l);
            } else if (v instanceof Integer n) {
                p.setInt(at, n);
            } else if (v instanceof byte[] b) {
                p.setBytes(at, b);
            } else if (v instanceof Null n) {
                p.setNull(at, n.sqlType);
            } else {
                // a bug, not a user's input: every parameter is one of the types above
                throw new IllegalArgumentException("parameter " + at + " has no SQL binding: "
                        + (v == null ? "an untyped null" : v.getClass().getName()));
            }
        }
    }
}
