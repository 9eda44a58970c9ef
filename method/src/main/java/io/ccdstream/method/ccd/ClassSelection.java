package io.ccdstream.method.ccd;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Which classes of an image get a CAM crop (ALGORITHM.md section 4.1): those whose classifier
 * sigmoid score is at least a threshold {@code t}. The threshold is either {@link Fixed} (the
 * paper's {@code t = 0.5}) or {@link Calibrated} on a batch or window of images so that the mean
 * number of selected classes per image, the mean number of CLIP crop inferences, hits a target
 * (the released script aims at the interval (4, 6); the paper's ablation finds about 10 best).
 */
public sealed interface ClassSelection permits ClassSelection.Fixed, ClassSelection.Calibrated {

    /** The paper's fixed threshold. */
    float PAPER_THRESHOLD = 0.5f;

    /**
     * Resolves the threshold for a batch of images.
     *
     * @param scores classifier sigmoid scores, {@code [image][class]}
     * @return the threshold and the mean number of classes it selects on that batch
     */
    Calibration resolve(float[][] scores);

    /** @return the paper's selection, {@code t = 0.5} */
    static ClassSelection paperDefault() {
        return new Fixed(PAPER_THRESHOLD);
    }

    /**
     * @return the services' default: 3..5 classes per image (at most 6 CLIP inferences per image,
     *     60% of the 3x3 grid's 10), calibrated over the last {@value Calibrated#DEFAULT_WINDOW}
     *     images (README: the measured reason; the paper's fixed t = 0.5 gives almost no crops with
     *     a warm-up classifier, the released script's 4..6 up to 7 inferences)
     */
    static ClassSelection serviceDefault() {
        return new Calibrated(3, 5, Calibrated.DEFAULT_WINDOW);
    }

    /** @return the released script's selection: calibrated to 4..6 classes per image */
    static ClassSelection releasedScript() {
        return new Calibrated(4, 6);
    }

    /**
     * @param scores one image's classifier sigmoid scores
     * @param threshold the selection threshold
     * @return the indices of classes whose score is {@code >= threshold}, ascending
     */
    static int[] select(float[] scores, float threshold) {
        return IntStream.range(0, scores.length)
                .filter(c -> scores[c] >= threshold)
                .toArray();
    }

    /**
     * @param scores classifier sigmoid scores, {@code [image][class]}
     * @param threshold the selection threshold
     * @return the mean number of selected classes per image; 0 for no images
     */
    static double meanCount(float[][] scores, float threshold) {
        long selected = Arrays.stream(scores)
                .mapToLong(row -> select(row, threshold).length)
                .sum();
        return scores.length == 0 ? 0 : (double) selected / scores.length;
    }

    /**
     * A resolved threshold.
     *
     * @param threshold the threshold to select with
     * @param meanCount the mean number of classes per image it selects on the batch it was resolved on
     * @param withinTarget whether {@code meanCount} is within the calibration target (always true
     *     for a fixed threshold)
     */
    record Calibration(float threshold, double meanCount, boolean withinTarget) {}

    /**
     * A fixed threshold.
     *
     * @param threshold the threshold, in [0, 1]
     */
    record Fixed(float threshold) implements ClassSelection {

        /** Validates the threshold. */
        public Fixed {
            if (!(threshold >= 0f && threshold <= 1f)) {
                throw new IllegalArgumentException("threshold must be in [0, 1], got " + threshold);
            }
        }

        @Override
        public Calibration resolve(float[][] scores) {
            return new Calibration(threshold, meanCount(scores, threshold), true);
        }
    }

    /**
     * A threshold calibrated so that the mean number of selected classes per image lies in
     * {@code [targetLow, targetHigh]}; a target mean {@code m} is {@code new Calibrated(m, m)}.
     *
     * <p>The mean count is a step function of {@code t} that only changes at the scores
     * themselves, so instead of bisecting on {@code t} the calibration is exact: every distinct
     * score {@code v} of the batch (and one value just above the largest, which selects nothing)
     * is a candidate, with mean count {@code #{scores >= v} / images}; the candidate whose mean
     * count is closest to the target's midpoint wins, the higher threshold on a tie (fewer
     * inferences). If any candidate lies within the target, the winner does. The result is
     * deterministic and independent of image order. The released script instead raises
     * {@code t} from 0.001 in steps of 0.001 until the mean count over 100 images enters (4, 6),
     * which lands near the top of the interval.
     *
     * <p>With {@code window > 0} the scorer calibrates on the classifier scores of the last
     * {@code window} images it refined (the current batch included, {@link SelectionWindow})
     * rather than on each batch alone: the threshold then moves slowly, so the mean count lands on
     * the target over the window while a batch of simple images gets fewer crops than a batch of
     * complex ones. {@link #resolve} itself always calibrates on the scores it is given.
     *
     * @param targetLow the lowest acceptable mean count, at least 0
     * @param targetHigh the highest acceptable mean count, at least {@code targetLow}
     * @param window images the threshold is calibrated over; 0: each scoring batch alone
     */
    record Calibrated(double targetLow, double targetHigh, int window) implements ClassSelection {

        /** The default window: the last 256 images. */
        public static final int DEFAULT_WINDOW = 256;

        /** Validates the target. */
        public Calibrated {
            if (!(targetLow >= 0 && targetHigh >= targetLow && Double.isFinite(targetHigh))) {
                throw new IllegalArgumentException(
                        "target must satisfy 0 <= low <= high, got [" + targetLow + ", " + targetHigh + "]");
            }
            if (window < 0) {
                throw new IllegalArgumentException("window must be at least 0 images, got " + window);
            }
        }

        /** Calibrated on each scoring batch alone (the released script's per-batch rule). */
        public Calibrated(double targetLow, double targetHigh) {
            this(targetLow, targetHigh, 0);
        }

        /**
         * @param targetMean the mean number of selected classes per image to aim at
         * @return a calibration to exactly that mean
         */
        public static Calibrated toMean(double targetMean) {
            return new Calibrated(targetMean, targetMean);
        }

        @Override
        public Calibration resolve(float[][] scores) {
            float[] sorted = sortedScores(scores);
            double mid = (targetLow + targetHigh) / 2;
            float bestThreshold = Math.nextUp(sorted[sorted.length - 1]);
            double bestMean = 0;
            for (int i = sorted.length - 1; i >= 0; i--) {
                if (i > 0 && sorted[i] == sorted[i - 1]) {
                    continue;
                }
                double mean = (double) (sorted.length - i) / scores.length;
                if (Math.abs(mean - mid) < Math.abs(bestMean - mid)) {
                    bestThreshold = sorted[i];
                    bestMean = mean;
                }
            }
            return new Calibration(bestThreshold, bestMean, targetLow <= bestMean && bestMean <= targetHigh);
        }

        private static float[] sortedScores(float[][] scores) {
            if (scores.length == 0 || scores[0].length == 0) {
                throw new IllegalArgumentException("calibration needs at least one image and one class");
            }
            float[] all = new float[scores.length * scores[0].length];
            for (int i = 0; i < scores.length; i++) {
                if (scores[i].length != scores[0].length) {
                    throw new IllegalArgumentException(
                            "image " + i + " has " + scores[i].length + " scores, image 0 has " + scores[0].length);
                }
                System.arraycopy(scores[i], 0, all, i * scores[0].length, scores[0].length);
            }
            for (float v : all) {
                if (Float.isNaN(v)) {
                    throw new IllegalArgumentException("scores contain NaN");
                }
            }
            Arrays.sort(all);
            return all;
        }
    }
}
