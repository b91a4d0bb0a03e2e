package se.lu.lunarc.otp.server.limits;

import se.lu.lunarc.otp.server.ServerConfig;

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

    /**
     * Every limiter, by the name that keeps its keys apart from other limiters' in the shared table, and what its
     * keys are: an address, a NAS, a serial, or a user (for the helpdesk's unlock, which clears the user's ones).
     */
    public enum Name {
        HUMAN_CHECK_ADDRESS("human-check-address", Key.OTHER),
        LOGIN_ADDRESS("login-address", Key.OTHER),
        PASSWORD_FAILURES_NEW_SOURCES("password-failures-new-sources", Key.FOLDED_NAME),
        SMS_CODE_ADDRESS("sms-code-address", Key.OTHER),
        SMS_CODE_FAILURES_USER("sms-code-failures-user", Key.USER),
        TOKEN_CODE_USER("token-code-user", Key.USER),
        VALIDATE_ADDRESS("validate-address", Key.OTHER),
        CODE_FAILURES_NEW_SOURCES("code-failures-new-sources", Key.USER),
        HARDWARE_REGISTER_USER("hardware-register-user", Key.USER),
        HARDWARE_REGISTER_SERIAL("hardware-register-serial", Key.OTHER),
        HARDWARE_REGISTER_ADDRESS("hardware-register-address", Key.OTHER),
        RADIUS_CLIENT("radius-client", Key.OTHER),
        RADIUS_USER("radius-user", Key.USER),
        RADIUS_PASSWORD_STATION("radius-password-station", Key.OTHER),
        NOTIFY_USER("notify-user", Key.USER);

        /** What a limiter's keys are. */
        public enum Key {
            /** The account's identity, as the directory names it. */
            USER,
            /** The name as typed, case folded: counted before the directory has said whose it is. */
            FOLDED_NAME,
            /** An address, a NAS, a serial number or a pair: nothing the helpdesk clears per user. */
            OTHER
        }

        public final String id;
        public final Key key;

        Name(String id, Key key) {
            this.id = id;
            this.key = key;
        }

        /** The row id this limiter's bucket for {@code key} has in the shared {@code rate_buckets} table. */
        public String bucketId(String key) {
            return id + ":" + key;
        }
    }

    /** The limiter {@code name}, with its attempts per window. */
    public RateLimiter limiter(Name name, ServerConfig.Limit limit) {
        return new RateLimiter(limit, buckets(name, limit.window()));
    }

    private Buckets buckets(Name name, Duration window) {
        if (shared != null) {
            return (key, configuration) -> shared.builder().build(name.bucketId(key), configuration);
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
