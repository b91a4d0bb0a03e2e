package se.lu.lunarc.otp.server;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import se.lu.lunarc.otp.api.ErrorCode;
import se.lu.lunarc.otp.api.Problem;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One Bucket4j token bucket per key (a username, an address), refilled whole at the end of each window.
 * Idle buckets are dropped by Caffeine after a window, when they would be full again anyway.
 */
public final class RateLimiter {
    private final int attempts;
    private final Duration window;
    private final TimeMeter time;
    private final Cache<String, Bucket> buckets;

    public RateLimiter(ServerConfig.Limit limit, Clock clock) {
        this.attempts = limit.attempts();
        this.window = limit.window();
        this.time = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return TimeUnit.MILLISECONDS.toNanos(clock.millis());
            }

            @Override
            public boolean isWallClockBased() {
                return true;
            }
        };
        this.buckets = Caffeine.newBuilder().expireAfterAccess(window.plusSeconds(1)).maximumSize(1_000_000).build();
    }

    /** Takes one attempt for {@code key}, or throws {@code rate_limited} with the seconds until the next one. */
    public void take(String key, String what) {
        ConsumptionProbe probe = bucket(key).tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            throw limited(what, probe.getNanosToWaitForRefill());
        }
    }

    /** Takes one attempt for {@code key} if there is one left: for callers that refuse in a protocol of their own. */
    public boolean tryTake(String key) {
        return bucket(key).tryConsume(1);
    }

    /** Whether {@code key} has an attempt left, taking none. */
    public boolean hasRoom(String key) {
        return bucket(key).getAvailableTokens() >= 1;
    }

    /** For limits on failures: throws {@code rate_limited} when {@code key} has none left, takes nothing. */
    public void requireRoom(String key, String what) {
        Bucket bucket = bucket(key);
        if (bucket.getAvailableTokens() < 1) {
            throw limited(what, bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill());
        }
    }

    /** Counts one failure against {@code key}, without refusing anything now. */
    public void spend(String key) {
        bucket(key).tryConsume(1);
    }

    private Bucket bucket(String key) {
        return buckets.get(key, k -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(attempts).refillIntervally(attempts, window).build())
                .withCustomTimePrecision(time).build());
    }

    private static ProblemException limited(String what, long nanosToWait) {
        long wait = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(nanosToWait + 999_999_999L));
        return new ProblemException(Problem.of(429, ErrorCode.RATE_LIMITED, "Too many attempts",
                "Too many " + what + ". Try again in " + wait + " seconds.").withRetryAfter(wait));
    }
}
