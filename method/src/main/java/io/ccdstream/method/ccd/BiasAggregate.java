package io.ccdstream.method.ccd;

import java.util.Arrays;

/**
 * The running state of CLIP's class-bias estimate (ALGORITHM.md section 2), as a mergeable,
 * immutable value so that a windowed stream aggregation can fold images into it and merge
 * partial aggregates (sessions, partitions) in any order.
 *
 * <p>For every image whose raw global softmax {@code p} has an entropy ({@link Entropy}) at most
 * the entropy threshold, its top-1 class {@code k} gets {@code p_k} added to {@code topOneSum[k]}
 * and 1 added to {@code topOneCount[k]}. The bias is {@code bias_c = topOneSum[c] / topOneCount[c]},
 * 1 (no correction) for a class that was never top-1. Feed raw probabilities, before any floor.
 *
 * <p>The filter keeps {@code H(p) <= threshold}, as the released script does (it skips
 * {@code entropy > 2}); ALGORITHM.md says "below", which differs only at exact equality. A
 * {@code p} with a NaN entropy is counted in {@link #samples()} but not accepted. Ties for the top-1
 * class go to the lowest class index.
 *
 * <p>The components are plain arrays so that the streams layer can put them in Avro as they are;
 * the record copies them in and out, so an instance never changes.
 *
 * @param topOneSum per class, the sum of the top-1 probabilities of accepted images
 * @param topOneCount per class, how many accepted images had that class as top-1
 * @param samples how many images were offered to the aggregate, accepted or not
 */
public record BiasAggregate(double[] topOneSum, long[] topOneCount, long samples) {

    /** The released script's entropy threshold in nats, the default. */
    public static final double DEFAULT_ENTROPY_THRESHOLD = 2.0;
    /** The entropy threshold the paper writes, in nats. */
    public static final double PAPER_ENTROPY_THRESHOLD = 0.5;

    /** Validates and copies the arrays. */
    public BiasAggregate {
        if (topOneSum.length == 0 || topOneSum.length != topOneCount.length) {
            throw new IllegalArgumentException("need one sum and one count per class, got " + topOneSum.length
                    + " sums and " + topOneCount.length + " counts");
        }
        if (samples < 0) {
            throw new IllegalArgumentException("samples must not be negative, got " + samples);
        }
        topOneSum = topOneSum.clone();
        topOneCount = topOneCount.clone();
    }

    /**
     * @param classCount the number of classes, at least 1
     * @return the aggregate of no images
     */
    public static BiasAggregate empty(int classCount) {
        if (classCount < 1) {
            throw new IllegalArgumentException("classCount must be positive, got " + classCount);
        }
        return new BiasAggregate(new double[classCount], new long[classCount], 0);
    }

    /** @return the number of classes */
    public int classCount() {
        return topOneSum.length;
    }

    /** @return a copy of the per-class sums */
    @Override
    public double[] topOneSum() {
        return topOneSum.clone();
    }

    /** @return a copy of the per-class counts */
    @Override
    public long[] topOneCount() {
        return topOneCount.clone();
    }

    /** @return how many images passed the entropy filter */
    public long accepted() {
        return Arrays.stream(topOneCount).sum();
    }

    /**
     * Folds one image in.
     *
     * @param p the image's raw global softmax probabilities, one per class
     * @param entropyThreshold images with a higher entropy (nats) are not used; see
     *     {@link #DEFAULT_ENTROPY_THRESHOLD} and {@link #PAPER_ENTROPY_THRESHOLD}
     * @return a new aggregate; this one is unchanged
     */
    public BiasAggregate add(float[] p, double entropyThreshold) {
        if (p.length != classCount()) {
            throw new IllegalArgumentException(
                    "scores have " + p.length + " classes, the aggregate has " + classCount());
        }
        double[] sum = topOneSum.clone();
        long[] count = topOneCount.clone();
        if (Entropy.of(p) <= entropyThreshold) {
            int k = argMax(p);
            sum[k] += p[k];
            count[k]++;
        }
        return new BiasAggregate(sum, count, samples + 1);
    }

    /**
     * Combines two aggregates of disjoint image sets. Associative and commutative: counts exactly,
     * sums up to floating-point rounding (exactly for a few float probabilities, whose sums fit in a
     * double's mantissa).
     *
     * @param other an aggregate over the same classes
     * @return the aggregate of both image sets
     */
    public BiasAggregate merge(BiasAggregate other) {
        if (other.classCount() != classCount()) {
            throw new IllegalArgumentException("cannot merge " + other.classCount() + " classes into " + classCount());
        }
        double[] sum = new double[classCount()];
        long[] count = new long[classCount()];
        for (int c = 0; c < sum.length; c++) {
            sum[c] = topOneSum[c] + other.topOneSum[c];
            count[c] = topOneCount[c] + other.topOneCount[c];
        }
        return new BiasAggregate(sum, count, samples + other.samples);
    }

    /** @return {@code bias_c = sum_c / count_c}, or 1 where {@code count_c == 0} */
    public float[] bias() {
        float[] bias = new float[classCount()];
        for (int c = 0; c < bias.length; c++) {
            bias[c] = topOneCount[c] == 0 ? 1f : (float) (topOneSum[c] / topOneCount[c]);
        }
        return bias;
    }

    private static int argMax(float[] p) {
        int best = 0;
        for (int c = 1; c < p.length; c++) {
            if (p[c] > p[best]) {
                best = c;
            }
        }
        return best;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BiasAggregate other
                && samples == other.samples
                && Arrays.equals(topOneSum, other.topOneSum)
                && Arrays.equals(topOneCount, other.topOneCount);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(topOneSum) + Arrays.hashCode(topOneCount)) + Long.hashCode(samples);
    }

    @Override
    public String toString() {
        return "BiasAggregate[topOneSum=" + Arrays.toString(topOneSum) + ", topOneCount=" + Arrays.toString(topOneCount)
                + ", samples=" + samples + "]";
    }
}
