package se.lu.lunarc.otp.server;

import se.lu.lunarc.otp.api.ErrorCode;
import se.lu.lunarc.otp.api.SessionInfo;
import se.lu.lunarc.otp.server.store.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Signed-in sessions: 256-bit random bearer tokens that end after an idle period, at an absolute lifetime
 * however busy they are (ASVS 3.3.2), or at logout. Only a hash of each token is kept, in the store, so a session
 * opened on one node works on every other. Each session also has a public identifier, so a user can see and end
 * her other sessions (ASVS 3.3.4) without any token being shown. The clock is the server's {@link Clock}, so
 * tests can move time.
 */
public final class SessionStore {
    private final Database db;
    private final Duration idle;
    private final Duration lifetime;
    private final Clock clock;

    public SessionStore(Database db, Duration idle, Duration lifetime, Clock clock) {
        this.db = db;
        this.idle = idle;
        this.lifetime = lifetime;
        this.clock = clock;
    }

    public Duration idle() {
        return idle;
    }

    /** What is kept of a session. */
    private record Session(String id, String username, long created, long lastUsed, String address) {}

    private static final String SESSION_COLUMNS = "SELECT id, username, created, last_used, address FROM sessions ";

    public String open(String username, String address) {
        String token = Secrets.randomId(256);
        long now = clock.millis();
        write(c -> {
            // ended sessions go as new ones come, so the table holds only live ones and a day's stragglers
            try (PreparedStatement p = c.prepareStatement(
                    "DELETE FROM sessions WHERE last_used <= ? OR created <= ?")) {
                p.setLong(1, now - idle.toMillis());
                p.setLong(2, now - lifetime.toMillis());
                p.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO sessions (token_hash, id, username, created, "
                    + "last_used, address) VALUES (?, ?, ?, ?, ?, ?)")) {
                p.setString(1, Secrets.sha256(token));
                p.setString(2, Secrets.randomId(128));
                p.setString(3, username);
                p.setLong(4, now);
                p.setLong(5, now);
                p.setString(6, address);
                p.executeUpdate();
            }
            return null;
        });
        return token;
    }

    /** The session's user; refreshes its idle timer. Throws {@code session_expired} for unknown or ended ones. */
    public String require(String bearer) {
        return session(bearer).username();
    }

    private Session session(String bearer) {
        if (bearer == null) {
            throw expired();
        }
        String hash = Secrets.sha256(bearer);
        long now = clock.millis();
        Session s = write(c -> {
            Session found = null;
            try (PreparedStatement p = c.prepareStatement(SESSION_COLUMNS + "WHERE token_hash = ?")) {
                p.setString(1, hash);
                try (ResultSet r = p.executeQuery()) {
                    if (r.next()) {
                        found = read(r);
                    }
                }
            }
            if (found == null) {
                return null;
            }
            if (!live(found, now)) {
                delete(c, hash);
                return null;
            }
            try (PreparedStatement p = c.prepareStatement("UPDATE sessions SET last_used = ? WHERE token_hash = ?")) {
                p.setLong(1, now);
                p.setString(2, hash);
                p.executeUpdate();
            }
            return found;
        });
        if (s == null) {
            throw expired();
        }
        return s;
    }

    private boolean live(Session s, long now) {
        return now - s.lastUsed() < idle.toMillis() && now < s.created() + lifetime.toMillis();
    }

    /** The user's live sessions, oldest first, marking the one {@code bearer} belongs to. */
    public List<SessionInfo> list(String bearer) {
        Session mine = session(bearer);
        long now = clock.millis();
        List<Session> all = read(c -> {
            List<Session> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement(SESSION_COLUMNS + "WHERE username = ? ORDER BY created, id")) {
                p.setString(1, mine.username());
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        out.add(read(r));
                    }
                }
            }
            return out;
        });
        // read after session() committed this one's use: it is live, and its last use is now
        return all.stream().filter(s -> live(s, now))
                .map(s -> new SessionInfo(s.id(), Instant.ofEpochMilli(s.created()), Instant.ofEpochMilli(s.lastUsed()),
                        Instant.ofEpochMilli(s.created()).plus(lifetime), s.address(), s.id().equals(mine.id())))
                .toList();
    }

    /** Ends the user's session {@code id}; false when she has none by that identifier. */
    public boolean end(String bearer, String id) {
        Session mine = session(bearer);
        return write(c -> {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM sessions WHERE id = ? AND username = ?")) {
                p.setString(1, id);
                p.setString(2, mine.username());
                return p.executeUpdate() == 1;
            }
        });
    }

    public void close(String bearer) {
        if (bearer != null) {
            String hash = Secrets.sha256(bearer);
            write(c -> {
                delete(c, hash);
                return null;
            });
        }
    }

    private static void delete(Connection c, String hash) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("DELETE FROM sessions WHERE token_hash = ?")) {
            p.setString(1, hash);
            p.executeUpdate();
        }
    }

    private static Session read(ResultSet r) throws SQLException {
        return new Session(r.getString(1), r.getString(2), r.getLong(3), r.getLong(4), r.getString(5));
    }

    private static ProblemException expired() {
        return new ProblemException(401, ErrorCode.SESSION_EXPIRED, "Session expired",
                "Your session has ended. Sign in again.");
    }

    private <T> T write(Database.Work<T> work) {
        return StoreUnavailable.write(db, work);
    }

    private <T> T read(Database.Work<T> work) {
        return StoreUnavailable.read(db, work);
    }
}
