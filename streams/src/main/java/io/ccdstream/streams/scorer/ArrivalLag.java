package io.ccdstream.streams.scorer;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Tells whether the scorer is behind its input: the lag of the latest image it took (wall clock when
 * taken minus the record's timestamp) against the smallest such lag of the last ten minutes. Comparing
 * with that floor, not with zero, makes the answer independent of the producers' clocks: a constant
 * skew moves both. An idle scorer (no image in the last {@value #RECENT_MS} ms) is not behind.
 *
 * <p>Not thread-safe: used by one stream task.
 */
final class ArrivalLag {

    private static final long BUCKET_MS = 60_000;
    private static final int BUCKETS = 10;
    private static final long RECENT_MS = 10_000;

    /** Smallest lag per minute, oldest first: {start of the minute, smallest lag}. */
    private final Deque<long[]> floors = new ArrayDeque<>();

    private long latestLag;
    private long latestAt = Long.MIN_VALUE;

    /** Records that an image with record timestamp {@code timestampMs} was taken at {@code nowMs}. */
    void observe(long nowMs, long timestampMs) {
        long lag = nowMs - timestampMs;
        latestLag = lag;
        latestAt = nowMs;
        long minute = Math.floorDiv(nowMs, BUCKET_MS) * BUCKET_MS;
        long[] last = floors.peekLast();
        if (last == null || last[0] != minute) {
            floors.addLast(new long[] {minute, lag});
        } else {
            last[1] = Math.min(last[1], lag);
        }
        while (floors.size() > BUCKETS) {
            floors.removeFirst();
        }
    }

    /** Whether the latest image came more than {@code toleranceMs} later than the recent best, and recently. */
    boolean behind(long nowMs, long toleranceMs) {
        if (latestAt == Long.MIN_VALUE || nowMs - latestAt > RECENT_MS) {
            return false;
        }
        long floor = floors.stream().mapToLong(b -> b[1]).min().orElse(latestLag);
        return latestLag - floor > toleranceMs;
    }
}
