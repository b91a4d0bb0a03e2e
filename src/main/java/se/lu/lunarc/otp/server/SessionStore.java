package se.lu.lunarc.otp.server;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import se.lu.lunarc.otp.api.ErrorCode;
import se.lu.lunarc.otp.api.SessionInfo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Signed-in sessions: 256-bit random bearer tokens that end after an idle period, at an absolute lifetime
 * however busy they are (ASVS 3.3.2), or at logout. Only a hash of each token is kept. Each session also has a
 * public identifier, so a user can see and end her other sessions (ASVS 3.3.4) without any token being shown.
 * The clock is the server's {@link Clock}, so tests can move time.
 */
public final class SessionStore {
    /** What is kept of a session, under the hash of its token. */
    private static final class Session {
        final String id = Secrets.randomId(128);
        final String username;
        final Instant created;
        final String address;
        volatile Instant lastUsed;

        Session(String username, Instant created, String address) {
            this.username = username;
            this.created = created;
            this.address = address;
            this.lastUsed = created;
        }
    }

    private final Cache<String, Session> byTokenHash;
    private final Duration idle;
    private final Duration lifetime;
    private final Clock clock;

    public SessionStore(Duration idle, Duration lifetime, Clock clock) {
        this.idle = idle;
        this.lifetime = lifetime;
        this.clock = clock;
        this.byTokenHash = Caffeine.newBuilder()
                .expireAfterAccess(idle)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .maximumSize(200_000)
                .build();
    }

    public Duration idle() {
        return idle;
    }

    public String open(String username, String address) {
        String token = Secrets.randomId(256);
        byTokenHash.put(Secrets.sha256(token), new Session(username, clock.instant(), address));
        return token;
    }

    /** The session's user; refreshes its idle timer. Throws {@code session_expired} for unknown or ended ones. */
    public String require(String bearer) {
        return session(bearer).username;
    }

    private Session session(String bearer) {
        String hash = bearer == null ? null : Secrets.sha256(bearer);
        Session s = hash == null ? null : byTokenHash.getIfPresent(hash);
        Instant now = clock.instant();
        if (s != null && !now.isBefore(s.created.plus(lifetime))) {
            byTokenHash.invalidate(hash);
            s = null;
        }
        if (s == null) {
            throw new ProblemException(401, ErrorCode.SESSION_EXPIRED, "Session expired",
                    "Your session has ended. Sign in again.");
        }
        s.lastUsed = now;
        return s;
    }

    /** The user's live sessions, oldest first, marking the one {@code bearer} belongs to. */
    public List<SessionInfo> list(String bearer) {
        Session mine = session(bearer);
        Instant now = clock.instant();
        return byTokenHash.asMap().values().stream()
                .filter(s -> s.username.equals(mine.username) && now.isBefore(s.created.plus(lifetime)))
                .sorted(Comparator.comparing((Session s) -> s.created))
                .map(s -> new SessionInfo(s.id, s.created, s.lastUsed, s.created.plus(lifetime), s.address, s == mine))
                .toList();
    }

    /** Ends the user's session {@code id}; false when she has none by that identifier. */
    public boolean end(String bearer, String id) {
        Session mine = session(bearer);
        return byTokenHash.asMap().entrySet().removeIf(e -> e.getValue().id.equals(id)
                && e.getValue().username.equals(mine.username));
    }

    public void close(String bearer) {
        if (bearer != null) {
            byTokenHash.invalidate(Secrets.sha256(bearer));
        }
    }
}
