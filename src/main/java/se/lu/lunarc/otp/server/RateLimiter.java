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
        Bucket bucket = buckets.get(key, k -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(attempts).refillIntervally(attempts, window).build())
                .withCustomTimePrecision(time).build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            long wait = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill() + 999_999_999L));
            throw new ProblemException(Problem.of(429, ErrorCode.RATE_LIMITED, "Too many attempts",
                    "Too many " + what + ". Try again in " + wait + " seconds.").withRetryAfter(wait));
        }
    }
}
