package io.ccdstream.method.ccd;

import java.util.ArrayList;
import java.util.List;

/**
 * The bias estimate over the most recent images of a stream (ALGORITHM.md section 2 computes it
 * over "the target image set"; a stream has a window instead). The window is a ring of up to
 * {@code bucketCount} full buckets of {@code bucketSize} images each plus the one filling: when a
 * bucket has just filled, the estimate covers exactly the last {@code bucketCount * bucketSize}
 * images (once that many arrived). Immutable; buckets are oldest first, the last one is filling.
 *
 * @param bucketSize  images per bucket
 * @param bucketCount buckets kept
 * @param buckets     the buckets, oldest first
 */
public record BiasWindow(int bucketSize, int bucketCount, List<BiasAggregate> buckets) {

    /** Validates and freezes. */
    public BiasWindow {
        if (bucketSize < 1 || bucketCount < 1) {
            throw new IllegalArgumentException(
                    "bucket size and count must be positive, got " + bucketSize + " and " + bucketCount);
        }
        if (buckets.isEmpty() || buckets.size() > bucketCount + 1) {
            throw new IllegalArgumentException("need 1 to " + (bucketCount + 1) + " buckets, got " + buckets.size());
        }
        buckets = List.copyOf(buckets);
    }

    /** An empty window over {@code windowSize} images in {@code bucketCount} buckets. */
    public static BiasWindow empty(int classCount, int windowSize, int bucketCount) {
        int bucketSize = Math.max(1, windowSize / bucketCount);
        return new BiasWindow(bucketSize, bucketCount, List.of(BiasAggregate.empty(classCount)));
    }

    /** The window with one more image; a full bucket starts a new one and the oldest falls out. */
    public BiasWindow add(float[] probabilities, double entropyThreshold) {
        List<BiasAggregate> next = new ArrayList<>(buckets);
        BiasAggregate filling = next.remove(next.size() - 1).add(probabilities, entropyThreshold);
        next.add(filling);
        if (filling.samples() >= bucketSize) {
            next.add(BiasAggregate.empty(filling.classCount()));
            while (next.size() > bucketCount + 1) {
                next.remove(0);
            }
        }
        return new BiasWindow(bucketSize, bucketCount, next);
    }

    /** Whether the last {@link #add} completed a bucket: the moment to republish the estimate. */
    public boolean bucketJustCompleted() {
        return buckets.size() > 1 && buckets.get(buckets.size() - 1).samples() == 0;
    }

    /** All buckets merged: the current estimate. */
    public BiasAggregate total() {
        BiasAggregate total = buckets.get(0);
        for (int i = 1; i < buckets.size(); i++) {
            total = total.merge(buckets.get(i));
        }
        return total;
    }

    /** Number of classes. */
    public int classCount() {
        return buckets.get(0).classCount();
    }
}
