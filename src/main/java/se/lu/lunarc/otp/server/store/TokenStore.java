package se.lu.lunarc.otp.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * SQL for tokens and validate lock-outs, the same on SQLite and PostgreSQL but for the column that orders rows
 * created in one second. Callers hold the connection inside {@link Database#inTransaction}.
 */
public final class TokenStore {
    private final Database.Dialect dialect;

    public TokenStore(Database.Dialect dialect) {
        this.dialect = dialect;
    }

    private static final String COLUMNS = "id, username, name, status, secret, created, activate_before, activated, "
            + "expires, last_used, last_step, drift_steps, failed_attempts, replayed_at, kind, digits, period, serial";

    public List<TokenRecord> listFor(Connection c, String username) throws SQLException {
        return query(c, "SELECT " + COLUMNS + " FROM tokens WHERE username = ? ORDER BY created, "
                + dialect.creationOrder, username);
    }

    /**
     * Every token kept under any spelling of {@code username} (alice, ALICE): what the helpdesk looks at, so that
     * tokens a spelling holds are not missed (see {@link IdentityMerge}).
     */
    public List<TokenRecord> listForAnyCase(Connection c, String username) throws SQLException {
        return query(c, "SELECT " + COLUMNS + " FROM tokens WHERE lower(username) = lower(?) ORDER BY created, "
                + dialect.creationOrder, username);
    }

    /** The user's active tokens, in no particular order: what a code check looks at, and no more. */
    public List<TokenRecord> activeFor(Connection c, String username) throws SQLException {
        return query(c, "SELECT " + COLUMNS + " FROM tokens WHERE username = ? AND status = 'active'", username);
    }

    /** What a code check reads first: the user's active tokens, and the state of the source the code comes from. */
    public record CheckView(List<TokenRecord> active, SourceFailures.State state) {}

    private static final String CHECK_VIEW = "SELECT t." + COLUMNS.replace(", ", ", t.")
            + ", f.failures, f.next_try, f.last_success FROM tokens t LEFT JOIN code_failures f"
            + " ON f.username = t.username AND f.source = ? WHERE t.username = ? AND t.status = 'active'";

    /**
     * {@link #activeFor} and {@link SourceFailures#CODES}' state in one statement, so one read transaction: the
     * login path's hottest query. Without an active token the state is NONE, as nothing is then checked.
     */
    public CheckView checkView(Connection c, String username, String source) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(CHECK_VIEW)) {
            p.setString(1, source);
            p.setString(2, username);
            List<TokenRecord> active = new ArrayList<>();
            SourceFailures.State state = SourceFailures.State.NONE;
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    active.add(record(r));
                    long failures = r.getLong(19);
                    if (active.size() == 1 && !r.wasNull()) {
                        state = new SourceFailures.State(failures, r.getLong(20), nullableLong(r, 21));
                    }
                }
            }
            return new CheckView(active, state);
        }
    }

    public Optional<TokenRecord> find(Connection c, String username, String id) throws SQLException {
        return query(c, "SELECT " + COLUMNS + " FROM tokens WHERE username = ? AND id = ?", username, id)
                .stream().findFirst();
    }

    /** A token by its id alone, whoever's it is: for the helpdesk's commands. */
    public Optional<TokenRecord> findById(Connection c, String id) throws SQLException {
        return query(c, "SELECT " + COLUMNS + " FROM tokens WHERE id = ?", id).stream().findFirst();
    }

    public int countNotRevoked(Connection c, String username) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "SELECT count(*) FROM tokens WHERE username = ? AND status <> 'revoked'")) {
            p.setString(1, username);
            try (ResultSet r = p.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    /** Names compare without case, among the user's tokens that are not revoked. */
    public boolean nameTaken(Connection c, String username, String name, String exceptId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM tokens WHERE username = ? AND lower(name) = lower(?) "
                + "AND status <> 'revoked' AND id <> ?")) {
            p.setString(1, username);
            p.setString(2, name);
            p.setString(3, exceptId == null ? "" : exceptId);
            try (ResultSet r = p.executeQuery()) {
                return r.next();
            }
        }
    }

    public void insert(Connection c, TokenRecord t) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO tokens (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            bind(p, t);
            // how the token makes its codes is fixed when it is made: update() leaves it alone
            p.setString(15, t.otp().kind());
            p.setInt(16, t.otp().digits());
            p.setInt(17, t.otp().periodSeconds());
            p.setString(18, t.otp().serial());
            p.executeUpdate();
        }
    }

    /**
     * Marks {@code step} used on an active token, if no step this late was used before: the row count decides,
     * so two checks of the same code, on one node or two, cannot both succeed. False: someone was first. The
     * token's clock offset, as this code showed it, is remembered with it.
     */
    public boolean takeStep(Connection c, String id, long step, long driftSteps, long nowEpochSecond)
            throws SQLException {
        return Sql.update(c, "UPDATE tokens SET last_step = ?, drift_steps = ?, "
                + "last_used = ?, failed_attempts = 0 WHERE id = ? AND status = 'active' AND last_step < ?", step,
                driftSteps, nowEpochSecond, id, step) == 1;
    }

    /** Notes that a code of this token was presented a second time (shown on the Tokens tab). */
    public void markReplayed(Connection c, String id, long nowEpochSecond) throws SQLException {
        Sql.update(c, "UPDATE tokens SET replayed_at = ? WHERE id = ?", nowEpochSecond, id);
    }

    public void update(Connection c, TokenRecord t) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE tokens SET id = ?, username = ?, name = ?, status = ?, "
                + "secret = ?, created = ?, activate_before = ?, activated = ?, expires = ?, last_used = ?, "
                + "last_step = ?, drift_steps = ?, failed_attempts = ?, replayed_at = ? WHERE id = ?")) {
            bind(p, t);
            p.setString(15, t.id());
            p.executeUpdate();
        }
    }

    private static void bind(PreparedStatement p, TokenRecord t) throws SQLException {
        p.setString(1, t.id());
        p.setString(2, t.username());
        p.setString(3, t.name());
        p.setString(4, t.status());
        if (t.sealedSecret() == null) {
            p.setNull(5, Types.BINARY);
        } else {
            p.setBytes(5, t.sealedSecret());
        }
        p.setLong(6, t.created().getEpochSecond());
        setInstant(p, 7, t.activateBefore());
        setInstant(p, 8, t.activated());
        setInstant(p, 9, t.expires());
        setInstant(p, 10, t.lastUsed());
        p.setLong(11, t.lastStep());
        p.setLong(12, t.driftSteps());
        p.setInt(13, t.failedAttempts());
        setInstant(p, 14, t.replayedAt());
    }

    private static void setInstant(PreparedStatement p, int index, Instant value) throws SQLException {
        if (value == null) {
            p.setNull(index, Types.INTEGER);
        } else {
            p.setLong(index, value.getEpochSecond());
        }
    }

    private static List<TokenRecord> query(Connection c, String sql, String... args) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                p.setString(i + 1, args[i]);
            }
            List<TokenRecord> out = new ArrayList<>();
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(record(r));
                }
            }
            return out;
        }
    }

    /** The row's first columns, in the order of {@link #COLUMNS}. */
    private static TokenRecord record(ResultSet r) throws SQLException {
        return new TokenRecord(r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getBytes(5),
                Instant.ofEpochSecond(r.getLong(6)), instant(r, 7), instant(r, 8), instant(r, 9), instant(r, 10),
                r.getLong(11), r.getLong(12), r.getInt(13), instant(r, 14),
                new TokenRecord.Otp(r.getString(15), r.getInt(16), r.getInt(17), r.getString(18)));
    }

    private static Instant instant(ResultSet r, int index) throws SQLException {
        Long v = nullableLong(r, index);
        return v == null ? null : Instant.ofEpochSecond(v);
    }

    /**
     * A column that may be NULL. {@link ResultSet#wasNull} speaks of the last column read, so it is asked right
     * after that column's own read, here, and nowhere else: asked after the next column's read it once turned
     * "never succeeded here" into "succeeded at 1970", which let guesses past the cap on new sources.
     */
    static Long nullableLong(ResultSet r, int index) throws SQLException {
        long v = r.getLong(index);
        return r.wasNull() ? null : v;
    }
}
