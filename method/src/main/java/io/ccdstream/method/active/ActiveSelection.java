package io.ccdstream.method.active;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * How useful a person's review of an image would be, from the signals the pipeline already has and
 * no ground truth. For an image with final label {@code s}, debiased global scores {@code g} and
 * debiased local (CAM crop) scores {@code l} over C classes:
 * <ul>
 *   <li>{@code uncertainty = sum_c r_c * H(s_c)}, with {@code H} the binary entropy in bits: 1 at the
 *       decision threshold 0.5 (where the trainer binarises and exports select), 0 at 0 or 1. It adds up
 *       over classes, so an image with several undecided classes ranks above one with a single one.
 *   <li>{@code disagreement = sum_c r_c * |g_c - l_c| + TIE_BREAK * uncertainty}: the classes where the
 *       whole-image view and the views the classifier's CAMs chose tell different stories. An image
 *       without local views has no disagreement and ranks by the small uncertainty term only.
 *   <li>{@code random}: a hash of the image id and the seed, uniform in [0, 1): the control.
 * </ul>
 * The rarity weight {@code r_c = min(MAX_RARITY, sqrt(mean_k(n_k + 1) / (n_c + 1)))} with {@code n_c}
 * the images so far whose label holds class c at 0.5 or more: an answer about a rare class counts more,
 * since its class has fewer labels to learn from and its pseudo-labels are the least reliable (CLIP's
 * class bias). The square root and the cap keep a class never seen from taking over.
 */
public final class ActiveSelection {

    /** Weight of the uncertainty term that orders images without disagreement under DISAGREEMENT. */
    public static final double TIE_BREAK = 0.05;
    /** Largest rarity weight of a class. */
    public static final double MAX_RARITY = 4.0;
    /** The score at which a class counts as present. */
    public static final double THRESHOLD = 0.5;

    private final SelectionStrategy strategy;
    private final long seed;

    /** A selection by {@code strategy}; {@code seed} orders {@link SelectionStrategy#RANDOM}. */
    public ActiveSelection(SelectionStrategy strategy, long seed) {
        this.strategy = Objects.requireNonNull(strategy, "strategy");
        this.seed = seed;
    }

    /** The strategy. */
    public SelectionStrategy strategy() {
        return strategy;
    }

    /**
     * The usefulness of reviewing an image (higher: ask sooner).
     *
     * @param imageId   the image's id (for RANDOM)
     * @param scores    the final label per class, in [0, 1]
     * @param global    the debiased global scores per class
     * @param local     the debiased local scores per class, or null without local views
     * @param positives per class, images so far whose label holds it ({@link #THRESHOLD} or more); may be
     *                  all zeros
     */
    public double usefulness(String imageId, float[] scores, float[] global, float[] local, long[] positives) {
        int classes = scores.length;
        if (global.length != classes || positives.length != classes || (local != null && local.length != classes)) {
            throw new IllegalArgumentException("scores, global, local and positives must have one value per class");
        }
        if (strategy == SelectionStrategy.RANDOM) {
            return random(imageId);
        }
        double[] rarity = rarity(positives);
        double uncertainty = 0;
        for (int c = 0; c < classes; c++) {
            uncertainty += rarity[c] * binaryEntropy(scores[c]);
        }
        if (strategy == SelectionStrategy.UNCERTAINTY) {
            return uncertainty;
        }
        double disagreement = 0;
        if (local != null) {
            for (int c = 0; c < classes; c++) {
                disagreement += rarity[c] * Math.abs(clamp(global[c]) - clamp(local[c]));
            }
        }
        return disagreement + TIE_BREAK * uncertainty;
    }

    /** The rarity weight of each class given its positive counts. */
    public static double[] rarity(long[] positives) {
        double mean = 0;
        for (long n : positives) {
            mean += n + 1;
        }
        mean /= Math.max(1, positives.length);
        double[] rarity = new double[positives.length];
        for (int c = 0; c < positives.length; c++) {
            rarity[c] = Math.min(MAX_RARITY, Math.sqrt(mean / (positives[c] + 1)));
        }
        return rarity;
    }

    /** Binary entropy in bits of a score clamped into [0, 1]. */
    static double binaryEntropy(float score) {
        double p = clamp(score);
        if (p <= 0 || p >= 1) {
            return 0;
        }
        return -(p * Math.log(p) + (1 - p) * Math.log(1 - p)) / Math.log(2);
    }

    private double random(String imageId) {
        // SplitMix64 of the id's bytes and the seed: stable across runs and JVMs
        long h = seed ^ 0x9E3779B97F4A7C15L;
        for (byte b : imageId.getBytes(StandardCharsets.UTF_8)) {
            h = mix(h ^ b);
        }
        return (mix(h) >>> 11) * 0x1.0p-53;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static double clamp(float v) {
        return Float.isNaN(v) ? 0 : Math.max(0, Math.min(1, v));
    }
}
