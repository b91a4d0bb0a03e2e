package se.lu.lunarc.otp.server;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import se.lu.lunarc.otp.api.ErrorCode;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Signed-in sessions: 256-bit random bearer tokens that end after an idle period or at logout. Only a hash of
 * each token is kept. The idle clock is the server's {@link Clock}, so tests can move time.
 */
public final class SessionStore {
    private final Cache<String, String> usernameByTokenHash;
    private final Duration idle;

    public SessionStore(Duration idle, Clock clock) {
        this.idle = idle;
        this.usernameByTokenHash = Caffeine.newBuilder()
                .expireAfterAccess(idle)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .build();
    }

    public Duration idle() {
        return idle;
    }

    public String open(String username) {
        String token = Secrets.randomId(256);
        usernameByTokenHash.put(Secrets.sha256(token), username);
        return token;
    }

    /** The session's user; refreshes its idle timer. Throws {@code session_expired} for unknown or idle ones. */
    public String require(String bearer) {
        String username = bearer == null ? null : usernameByTokenHash.getIfPresent(Secrets.sha256(bearer));
        if (username == null) {
            throw new ProblemException(401, ErrorCode.SESSION_EXPIRED, "Session expired",
                    "Your session has ended. Sign in again.");
        }
        return username;
    }

    public void close(String bearer) {
        if (bearer != null) {
            usernameByTokenHash.invalidate(Secrets.sha256(bearer));
        }
    }
}
