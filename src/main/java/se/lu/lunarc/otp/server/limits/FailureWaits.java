package se.lu.lunarc.otp.server.limits;

/**
 * How long a source waits after failures in a row, for wrong codes and wrong passwords alike: the first
 * {@code free} failures are checked back to back; after the {@code free}-th the source waits 1 s, after the next
 * 2 s, then 4 … up to {@code longestSeconds}. So the failure after the free ones is refused unchecked unless it
 * comes a second later. Only a success from that source resets its count; waiting does not.
 */
public record FailureWaits(int free, long longestSeconds) {
    /** The wait after the {@code failures}-th failure in a row. */
    public long after(long failures) {
        long over = failures - free;
        return over < 0 ? 0 : Math.min(longestSeconds, 1L << Math.min(over, 30));
    }
}
