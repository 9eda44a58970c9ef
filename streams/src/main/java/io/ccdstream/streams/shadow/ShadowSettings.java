package io.ccdstream.streams.shadow;

import java.time.Duration;

/**
 * How the shadow service samples the stream and judges candidates.
 *
 * @param mode          rollout mode; under {@link RolloutMode#immediate} the shadow service has nothing to do
 * @param sampleRate    share of the images (by a hash of their id) that join the sample
 * @param sampleSize    most recent sampled images kept per class set, each candidate is scored on
 * @param minSample     fewest sampled images a candidate is judged on; it waits for more before
 * @param checkInterval how often the service looks for a candidate to judge
 * @param rule          the promotion rule
 */
public record ShadowSettings(
        RolloutMode mode,
        double sampleRate,
        int sampleSize,
        int minSample,
        Duration checkInterval,
        PromotionRule rule) {

    /** The defaults (README, "Safe rollout"). */
    public static final ShadowSettings DEFAULTS =
            new ShadowSettings(RolloutMode.shadow, 1.0, 64, 16, Duration.ofSeconds(1), PromotionRule.DEFAULTS);

    /** Checkpoints served as announced, as before rollout states existed. */
    public static final ShadowSettings IMMEDIATE = DEFAULTS.withMode(RolloutMode.immediate);

    /** Validates. */
    public ShadowSettings {
        if (!(sampleRate > 0 && sampleRate <= 1)) {
            throw new IllegalArgumentException("sample rate must lie in (0, 1], got " + sampleRate);
        }
        if (sampleSize < 1 || minSample < 1 || minSample > sampleSize) {
            throw new IllegalArgumentException(
                    "need 1 <= min sample <= sample size, got " + minSample + " and " + sampleSize);
        }
    }

    /** The same in another rollout mode. */
    public ShadowSettings withMode(RolloutMode other) {
        return new ShadowSettings(other, sampleRate, sampleSize, minSample, checkInterval, rule);
    }

    /** Whether an image id joins the sample. */
    public boolean sampled(String imageId) {
        return sampleRate >= 1 || Math.floorMod(imageId.hashCode(), 10_000) < sampleRate * 10_000;
    }
}
