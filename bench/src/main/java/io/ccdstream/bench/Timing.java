package io.ccdstream.bench;

import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Latencies of the items of one measured run and the run's wall time.
 *
 * @param latencyNanos per-item latency, sorted ascending
 * @param elapsedNanos from the first item started to the last one finished
 */
public record Timing(long[] latencyNanos, long elapsedNanos) {

    /** Validates and sorts a copy of the latencies. */
    public Timing {
        if (latencyNanos.length == 0 || elapsedNanos <= 0) {
            throw new IllegalArgumentException("a timing needs items and a positive elapsed time");
        }
        latencyNanos = latencyNanos.clone();
        Arrays.sort(latencyNanos);
    }

    /**
     * Runs {@code work} on {@code items} in consecutive batches of {@code batchSize}; each item's
     * latency is the time its batch took.
     */
    public static <T> Timing ofBatches(List<T> items, int batchSize, Consumer<List<T>> work) {
        long[] latencies = new long[items.size()];
        long start = System.nanoTime();
        for (int from = 0; from < items.size(); from += batchSize) {
            int to = Math.min(items.size(), from + batchSize);
            long batchStart = System.nanoTime();
            work.accept(items.subList(from, to));
            Arrays.fill(latencies, from, to, System.nanoTime() - batchStart);
        }
        return new Timing(latencies, System.nanoTime() - start);
    }

    /** Items measured. */
    public int count() {
        return latencyNanos.length;
    }

    /** Items per second over the whole run. */
    public double perSecond() {
        return count() / (elapsedNanos / 1e9);
    }

    /** The nearest-rank {@code quantile} (0 to 1) of the latencies, in milliseconds. */
    public double percentileMs(double quantile) {
        int rank = (int) Math.ceil(quantile * count());
        return latencyNanos[Math.max(0, rank - 1)] / 1e6;
    }
}
