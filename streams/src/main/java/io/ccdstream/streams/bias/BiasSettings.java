package io.ccdstream.streams.bias;

import io.ccdstream.method.ccd.BiasAggregate;

/**
 * How the bias service windows the raw global scores of each class set.
 *
 * @param windowSize       images the estimate covers once warm (at bucket granularity)
 * @param buckets          buckets of the window; the estimate is republished each time one fills
 * @param minSamples       low-entropy images needed before the first bias is published; until then
 *                         no bias exists and the labeler applies no correction (bias 1 for every class)
 * @param entropyThreshold images with a higher entropy (nats) do not count (released script: 2.0)
 */
public record BiasSettings(int windowSize, int buckets, int minSamples, double entropyThreshold) {

    /** Defaults: a window of 2000 images in 10 buckets, first estimate after 200 accepted images. */
    public static final BiasSettings DEFAULTS =
            new BiasSettings(2000, 10, 200, BiasAggregate.DEFAULT_ENTROPY_THRESHOLD);

    /** Validates. */
    public BiasSettings {
        if (windowSize < 1 || buckets < 1 || buckets > windowSize) {
            throw new IllegalArgumentException(
                    "need 1 <= buckets <= windowSize, got " + buckets + " and " + windowSize);
        }
        if (minSamples < 1) {
            throw new IllegalArgumentException("minSamples must be positive, got " + minSamples);
        }
        if (!(entropyThreshold > 0)) {
            throw new IllegalArgumentException("entropyThreshold must be positive, got " + entropyThreshold);
        }
    }
}
