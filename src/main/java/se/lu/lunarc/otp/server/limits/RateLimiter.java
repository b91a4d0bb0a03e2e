package se.lu.lunarc.otp.server.limits;

import se.lu.lunarc.otp.server.ServerConfig;
import se.lu.lunarc.otp.server.errors.ProblemException;
import se.lu.lunarc.otp.server.errors.StoreUnavailable;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import se.lu.lunarc.otp.api.ErrorCode;
import se.lu.lunarc.otp.api.Problem;

import java.util.concurrent.TimeUnit;

/**
 * One Bucket4j token bucket per key (a username, an address), refilled whole at the end of each window, kept
 * where {@link RateLimits} says: in this process, or in the store shared by all nodes.
 */
public final class RateLimiter {
    private final BucketConfiguration configuration;
    private final RateLimits.Buckets buckets;

    /** Made by {@link RateLimits#limiter}, which decides where the buckets are kept. */
    RateLimiter(ServerConfig.Limit limit, RateLimits.Buckets buckets) {
        this.configuration = BucketConfiguration.builder().addLimit(Bandwidth.builder().capacity(limit.attempts())
                .refillIntervally(limit.attempts(), limit.window()).build()).build();
        this.buckets = buckets;
    }

    /** Takes one attempt for {@code key}, or throws {@code rate_limited} with the seconds until the next one. */
    public void take(String key, String what) {
        ConsumptionProbe probe = onBucket(key, b -> b.tryConsumeAndReturnRemaining(1));
        if (!probe.isConsumed()) {
            throw limited(what, probe.getNanosToWaitForRefill());
        }
    }

    /** Takes one attempt for {@code key} if there is one left: for callers that refuse in a protocol of their own. */
    public boolean tryTake(String key) {
        return onBucket(key, b -> b.tryConsume(1));
    }

    /** Whether {@code key} has an attempt left, taking none. */
    public boolean hasRoom(String key) {
        return onBucket(key, b -> b.getAvailableTokens() >= 1);
    }

    /** Seconds until {@code key} has an attempt again (at least 1), taking none. */
    public long secondsUntilRoom(String key) {
        return seconds(onBucket(key, b -> b.estimateAbilityToConsume(1).getNanosToWaitForRefill()));
    }

    /** For limits on failures: throws {@code rate_limited} when {@code key} has none left, takes nothing. */
    public void requireRoom(String key, String what) {
        long waitNanos = onBucket(key, b -> b.getAvailableTokens() < 1
                ? Math.max(1, b.estimateAbilityToConsume(1).getNanosToWaitForRefill()) : 0L);
        if (waitNanos > 0) {
            throw limited(what, waitNanos);
        }
    }

    /** Counts one failure against {@code key}, without refusing anything now. */
    public void spend(String key) {
        onBucket(key, b -> b.tryConsume(1));
    }

    /**
     * Returns an attempt taken with {@link #tryTake} that turned out not to count (a limit on failures reserves
     * the place before the check, so that checks running at once cannot all pass a limit with one place left).
     */
    public void giveBack(String key) {
        onBucket(key, b -> {
            b.addTokens(1);
            return null;
        });
    }

    private Bucket bucket(String key) {
        return buckets.get(key, () -> configuration);
    }

    /**
     * One operation on {@code key}'s bucket. Kept in a shared PostgreSQL store, it is a statement there, and one
     * that fails (the store down) is {@link StoreUnavailable}: 503, try again, never an internal error.
     */
    private <T> T onBucket(String key, java.util.function.Function<Bucket, T> operation) {
        try {
            return operation.apply(bucket(key));
        } catch (io.github.bucket4j.BucketExceptions.BucketExecutionException e) {
            throw new StoreUnavailable(e);
        }
    }

    private static long seconds(long nanosToWait) {
        return Math.max(1, TimeUnit.NANOSECONDS.toSeconds(nanosToWait + 999_999_999L));
    }

    private static ProblemException limited(String what, long nanosToWait) {
        long wait = seconds(nanosToWait);
        return new ProblemException(Problem.of(429, ErrorCode.RATE_LIMITED, "Too many attempts",
                "Too many " + what + ". Try again in " + wait + " seconds.").withRetryAfter(wait));
    }
}
