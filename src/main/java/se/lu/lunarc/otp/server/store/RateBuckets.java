package se.lu.lunarc.otp.server.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The shared rate limits' table on PostgreSQL ({@code rate_buckets}), which Bucket4j's PostgreSQL backend reads and
 * writes itself; here only what the helpdesk does to it.
 */
public final class RateBuckets {
    private RateBuckets() {
    }

    /** Removes one bucket, so that its limit starts afresh; 1 if there was one. */
    public static int delete(Connection c, String bucketId) throws SQLException {
        return Sql.update(c, "DELETE FROM rate_buckets WHERE id = ?", bucketId);
    }
}
