package io.ccdstream.bench;

import io.ccdstream.bench.ContinuousReport.Interval;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;

/**
 * Percentile bootstrap over images: statistics computed on the images as they are and on
 * resamples drawn with replacement, with a fixed seed so that a report is reproducible.
 */
final class Bootstrap {

    private final int resamples;
    private final long seed;

    /**
     * @param resamples resamples per interval; 0 gives intervals without a spread (low = high = value)
     * @param seed      seed of the resampling
     */
    Bootstrap(int resamples, long seed) {
        if (resamples < 0) {
            throw new IllegalArgumentException("resamples must not be negative: " + resamples);
        }
        this.resamples = resamples;
        this.seed = seed;
    }

    /**
     * Intervals of several statistics of {@code n} images, each resample shared by all of them so
     * that a difference of two statistics can be one of the statistics.
     *
     * @param statistic the statistics of the images whose indices it is given (an index may repeat)
     */
    Interval[] intervals(int n, Function<int[], double[]> statistic) {
        if (n < 1) {
            throw new IllegalArgumentException("need at least one image");
        }
        double[] point = statistic.apply(IntStream.range(0, n).toArray());
        double[][] drawn = new double[point.length][resamples];
        SplittableRandom random = new SplittableRandom(seed);
        for (int r = 0; r < resamples; r++) {
            double[] values = statistic.apply(random.ints(n, 0, n).toArray());
            for (int k = 0; k < point.length; k++) {
                drawn[k][r] = values[k];
            }
        }
        // R-7, the estimator of numpy.percentile's default
        Percentile percentile = new Percentile().withEstimationType(Percentile.EstimationType.R_7);
        Interval[] intervals = new Interval[point.length];
        for (int k = 0; k < point.length; k++) {
            intervals[k] = resamples == 0
                    ? new Interval(point[k], point[k], point[k])
                    : new Interval(point[k], percentile.evaluate(drawn[k], 2.5), percentile.evaluate(drawn[k], 97.5));
        }
        return intervals;
    }
}
