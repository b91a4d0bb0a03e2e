package se.lu.lunarc.otp.server;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Where the rate limits' buckets are kept. On one node, in this process (Caffeine drops a bucket once it would be
 * full again). With a shared PostgreSQL store, in its {@code rate_buckets} table through Bucket4j's PostgreSQL
 * backend, so that every node takes from the same bucket; expired rows are removed each minute.
 */
public final class RateLimits implements AutoCloseable {
    /** The bucket a limiter keeps under a key, made with {@code configuration} the first time. */
    interface Buckets {
        Bucket get(String key, Supplier<BucketConfiguration> configuration);
    }

    private final TimeMeter time;
    private final ProxyManager<String> shared;
    private final ScheduledExecutorService cleaner;

    private RateLimits(Clock clock, ProxyManager<String> shared) {
        this.time = timeOf(clock);
        this.shared = shared;
        if (shared instanceof PostgreSQLSelectForUpdateBasedProxyManager<String> expiring) {
            this.cleaner = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "rate-limit-cleaner");
                t.setDaemon(true);
                return t;
            });
            cleaner.scheduleWithFixedDelay(() -> {
                try {
                    int removed;
                    do {
                        removed = expiring.removeExpired(1000);
                    } while (removed == 1000);
                } catch (RuntimeException e) {
                    // the next round tries again; a failed clean-up changes no limit
                }
            }, 1, 1, TimeUnit.MINUTES);
        } else {
            this.cleaner = null;
        }
    }

    /** Buckets in this process. */
    public static RateLimits local(Clock clock) {
        return new RateLimits(clock, null);
    }

    /** Buckets in the shared PostgreSQL store (table {@code rate_buckets}), timed by the server's clock. */
    public static RateLimits shared(DataSource store, Clock clock) {
        ProxyManager<String> manager = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(store)
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table("rate_buckets")
                .idColumn("id")
                .stateColumn("state")
                .expiresAtColumn("expires_at")
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                        Duration.ofSeconds(10)))
                .clientClock(timeOf(clock))
                .build();
        return new RateLimits(clock, manager);
    }

    /** A limiter named {@code name}: the name keeps its keys apart from other limiters' in a shared table. */
    public RateLimiter limiter(String name, ServerConfig.Limit limit) {
        return new RateLimiter(limit, buckets(name, limit.window()));
    }

    private Buckets buckets(String name, Duration window) {
        if (shared != null) {
            return (key, configuration) -> shared.builder().build(name + ":" + key, configuration);
        }
        // an idle bucket is dropped once a window has passed: it would be full again anyway
        Cache<String, Bucket> local = Caffeine.newBuilder().maximumSize(1_000_000)
                .expireAfterAccess(window.plusSeconds(1))
                .build();
        return (key, configuration) -> local.get(key, k -> {
            var bucket = Bucket.builder().withCustomTimePrecision(time);
            for (var limit : configuration.get().getBandwidths()) {
                bucket.addLimit(limit);
            }
            return bucket.build();
        });
    }

    private static TimeMeter timeOf(Clock clock) {
        return new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return TimeUnit.MILLISECONDS.toNanos(clock.millis());
            }

            @Override
            public boolean isWallClockBased() {
                return true;
            }
        };
    }

    @Override
    public void close() {
        if (cleaner != null) {
            cleaner.shutdownNow();
        }
    }
}
