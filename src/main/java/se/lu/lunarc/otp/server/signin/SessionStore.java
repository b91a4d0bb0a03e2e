package se.lu.lunarc.otp.server.signin;

import se.lu.lunarc.otp.server.errors.ProblemException;
import se.lu.lunarc.otp.server.errors.StoreUnavailable;
import se.lu.lunarc.otp.server.secrets.Secrets;

import se.lu.lunarc.otp.api.ErrorCode;
import se.lu.lunarc.otp.api.SessionInfo;
import se.lu.lunarc.otp.server.store.Database;
import se.lu.lunarc.otp.server.store.Sessions;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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

    public String open(String username, String address) {
        String token = Secrets.randomId(256);
        long now = clock.millis();
        write(c -> {
            // ended sessions go as new ones come, so the table holds only live ones and a day's stragglers
            Sessions.dropEnded(c, now - idle.toMillis(), now - lifetime.toMillis());
            Sessions.insert(c, Secrets.sha256(token), new Sessions.Session(Secrets.randomId(128), username, now, now,
                    address));
            return null;
        });
        return token;
    }

    /** The session's user; refreshes its idle timer. Throws {@code session_expired} for unknown or ended ones. */
    public String require(String bearer) {
        return session(bearer).username();
    }

    private Sessions.Session session(String bearer) {
        if (bearer == null) {
            throw expired();
        }
        String hash = Secrets.sha256(bearer);
        long now = clock.millis();
        Sessions.Session s = write(c -> {
            Sessions.Session found = Sessions.byTokenHash(c, hash);
            if (found == null) {
                return null;
            }
            if (!live(found, now)) {
                Sessions.endByTokenHash(c, hash);
                return null;
            }
            Sessions.touch(c, hash, now);
            return found;
        });
        if (s == null) {
            throw expired();
        }
        return s;
    }

    private boolean live(Sessions.Session s, long now) {
        return now - s.lastUsed() < idle.toMillis() && now < s.created() + lifetime.toMillis();
    }

    /** The user's live sessions, oldest first, marking the one {@code bearer} belongs to. */
    public List<SessionInfo> list(String bearer) {
        Sessions.Session mine = session(bearer);
        long now = clock.millis();
        List<Sessions.Session> all = read(c -> Sessions.of(c, mine.username()));
        // read after session() committed this one's use: it is live, and its last use is now
        return all.stream().filter(s -> live(s, now))
                .map(s -> new SessionInfo(s.id(), Instant.ofEpochMilli(s.created()), Instant.ofEpochMilli(s.lastUsed()),
                        Instant.ofEpochMilli(s.created()).plus(lifetime), s.address(), s.id().equals(mine.id())))
                .toList();
    }

    /** Ends the user's session {@code id}; false when she has none by that identifier. */
    public boolean end(String bearer, String id) {
        Sessions.Session mine = session(bearer);
        return write(c -> Sessions.endById(c, id, mine.username()));
    }

    public void close(String bearer) {
        if (bearer != null) {
            String hash = Secrets.sha256(bearer);
            write(c -> {
                Sessions.endByTokenHash(c, hash);
                return null;
            });
        }
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
