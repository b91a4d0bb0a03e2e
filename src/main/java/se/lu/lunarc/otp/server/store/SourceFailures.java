package se.lu.lunarc.otp.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;

/**
 * Failures of one user from one source (the place she logs in from), in one of two tables: wrong login codes
 * ({@code code_failures}) and wrong passwords ({@code password_failures}). A source never seen has none; a
 * success there resets its count and makes it known good. Callers hold the connection inside a transaction.
 */
public enum SourceFailures {
    CODES("code_failures", "code"), PASSWORDS("password_failures", "password");

    /** The failures in a row, when the next try may be checked, and the last success there (null: never). */
    public record State(long failures, long nextTryEpochSecond, Long lastSuccessEpochSecond) {
        public static final State NONE = new State(0, 0, null);

        public boolean knownGood() {
            return lastSuccessEpochSecond != null;
        }
    }

    final String table;
    private final String kind;

    SourceFailures(String table, String kind) {
        this.table = table;
        this.kind = kind;
    }

    /** What fails here, in a word: code, password. */
    public String kind() {
        return kind;
    }

    /** How many (user, source) places must wait before their next try at {@code nowEpochSecond}. */
    public long waiting(Connection c, long nowEpochSecond) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT COUNT(*) FROM " + table + " WHERE next_try > ?")) {
            p.setLong(1, nowEpochSecond);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? r.getLong(1) : 0;
            }
        }
    }

    public State read(Connection c, String username, String source) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "SELECT failures, next_try, last_success FROM " + table + " WHERE username = ? AND source = ?")) {
            p.setString(1, username);
            p.setString(2, source);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? new State(r.getLong(1), r.getLong(2), TokenStore.nullableLong(r, 3)) : State.NONE;
            }
        }
    }

    public void save(Connection c, String username, String source, State s) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO " + table + " (username, source, failures, "
                + "next_try, last_success) VALUES (?, ?, ?, ?, ?) ON CONFLICT (username, source) DO UPDATE SET "
                + "failures = excluded.failures, next_try = excluded.next_try, last_success = excluded.last_success")) {
            p.setString(1, username);
            p.setString(2, source);
            p.setLong(3, s.failures());
            p.setLong(4, s.nextTryEpochSecond());
            if (s.lastSuccessEpochSecond() == null) {
                p.setNull(5, Types.BIGINT);
            } else {
                p.setLong(5, s.lastSuccessEpochSecond());
            }
            p.executeUpdate();
        }
    }

    /**
     * Forgets sources that never succeeded and whose last wait ended before {@code beforeEpochSecond}: rows a
     * guesser leaves for made-up names would otherwise pile up for good. (Known-good sources are kept.)
     */
    public int forgetStale(Connection c, long beforeEpochSecond) throws SQLException {
        return Sql.update(c, "DELETE FROM " + table
                + " WHERE last_success IS NULL AND next_try < ?", beforeEpochSecond);
    }

    /**
     * Lifts the waits at every source of {@code username} (the helpdesk's unlock), keeping which sources are known
     * good; how many sources had failures to clear.
     */
    public int clear(Connection c, String username) throws SQLException {
        return Sql.update(c, "UPDATE " + table + " SET failures = 0, next_try = 0 "
                + "WHERE username = ? AND (failures > 0 OR next_try > 0)", username);
    }
}
