package io.ccdstream.trainer;

import io.ccdstream.method.metrics.AveragePrecision;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * The trainer's label-free quality signal: mAP (%) of a classifier's sigmoid outputs on the held-out
 * slice against positives read from the slice's frozen pseudo-labels. The slice and its labels stay
 * the same from round to round, so two checkpoints' values compare.
 *
 * <p>Which label values are positives is the {@link PositiveRule}; a class with fewer than {@code
 * minPositives} positives in the slice (or no negative) is left out of the mean, so that classes the
 * pseudo-labels never name do not pull every checkpoint to the same value; {@link Result#classes()}
 * says how many counted. Fewer than {@code minImages} slice images, or no class counted: no value.
 *
 * @param rule         which pseudo-label values are positives
 * @param minPositives fewest positives a class needs in the slice to count
 * @param minImages    fewest slice images for a value
 */
public record HeldOutSignal(PositiveRule rule, int minPositives, int minImages) {

    /** The default: measured with {@code ccd bench rounds} (trainer README, "Held-out signal"). */
    public static final HeldOutSignal DEFAULT = new HeldOutSignal(PositiveRule.quantile(0.2), 3, 64);

    /** Validates. */
    public HeldOutSignal {
        Objects.requireNonNull(rule, "rule");
        if (minPositives < 1 || minImages < 1) {
            throw new IllegalArgumentException("minPositives and minImages must be at least 1");
        }
    }

    /**
     * The signal's value on one slice.
     *
     * @param map     mAP (%) over the counted classes; NaN when there is no value
     * @param images  slice images evaluated
     * @param classes classes counted in the mean
     */
    public record Result(double map, int images, int classes) {

        /** Whether there is a value. */
        public boolean present() {
            return !Double.isNaN(map);
        }

        @Override
        public String toString() {
            return present()
                    ? String.format(Locale.ROOT, "%.2f (%d images, %d classes)", map, images, classes)
                    : "none (" + images + " images, " + classes + " classes)";
        }
    }

    /**
     * @param predictions the classifier's sigmoid outputs, {@code [image][class]}
     * @param labels      the slice's frozen pseudo-labels, same shape
     * @return the signal
     */
    public Result evaluate(float[][] predictions, float[][] labels) {
        if (predictions.length != labels.length) {
            throw new IllegalArgumentException(predictions.length + " predictions for " + labels.length + " labels");
        }
        if (labels.length < minImages) {
            return new Result(Double.NaN, labels.length, 0);
        }
        boolean[][] positives = rule.apply(labels);
        int classCount = labels[0].length;
        double sum = 0;
        int counted = 0;
        for (int c = 0; c < classCount; c++) {
            boolean[] column = new boolean[labels.length];
            double[] scores = new double[labels.length];
            int p = 0;
            for (int i = 0; i < labels.length; i++) {
                column[i] = positives[i][c];
                scores[i] = predictions[i][c];
                p += column[i] ? 1 : 0;
            }
            if (p >= minPositives && p < labels.length) {
                sum += AveragePrecision.of(scores, column);
                counted++;
            }
        }
        return new Result(counted == 0 ? Double.NaN : 100 * sum / counted, labels.length, counted);
    }

    /**
     * Which pseudo-label values of the slice count as positives. Parsed from {@code at-least:T},
     * {@code relative:R}, {@code top:K} or {@code quantile:Q}.
     */
    public sealed interface PositiveRule {

        /** The positives of {@code labels}, {@code [image][class]}. */
        boolean[][] apply(float[][] labels);

        /** Positive where the label is at least {@code threshold} (ALGORITHM.md's 0.5 binarisation). */
        static PositiveRule atLeast(double threshold) {
            return new AtLeast(threshold);
        }

        /** Positive where the label is at least {@code ratio} times the image's highest label. */
        static PositiveRule relative(double ratio) {
            return new Relative(ratio);
        }

        /** The {@code k} highest labels of each image are positive. */
        static PositiveRule top(int k) {
            return new Top(k);
        }

        /** For each class, the images in the top {@code share} of that class's labels are positive. */
        static PositiveRule quantile(double share) {
            return new Quantile(share);
        }

        /**
         * @param text {@code at-least:T}, {@code relative:R}, {@code top:K} or {@code quantile:Q}
         * @throws IllegalArgumentException for anything else
         */
        static PositiveRule parse(String text) {
            String[] parts = text.strip().toLowerCase(Locale.ROOT).split(":", 2);
            if (parts.length == 2) {
                try {
                    return switch (parts[0]) {
                        case "at-least" -> atLeast(Double.parseDouble(parts[1]));
                        case "relative" -> relative(Double.parseDouble(parts[1]));
                        case "top" -> top(Integer.parseInt(parts[1]));
                        case "quantile" -> quantile(Double.parseDouble(parts[1]));
                        default -> throw new IllegalArgumentException(expected(text));
                    };
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(expected(text), e);
                }
            }
            throw new IllegalArgumentException(expected(text));
        }

        private static String expected(String text) {
            return "expected at-least:T, relative:R, top:K or quantile:Q, got '" + text + "'";
        }
    }

    /** See {@link PositiveRule#atLeast}. */
    record AtLeast(double threshold) implements PositiveRule {
        @Override
        public boolean[][] apply(float[][] labels) {
            boolean[][] out = new boolean[labels.length][];
            for (int i = 0; i < labels.length; i++) {
                out[i] = new boolean[labels[i].length];
                for (int c = 0; c < labels[i].length; c++) {
                    out[i][c] = labels[i][c] >= threshold;
                }
            }
            return out;
        }

        @Override
        public String toString() {
            return "at-least:" + threshold;
        }
    }

    /** See {@link PositiveRule#relative}. */
    record Relative(double ratio) implements PositiveRule {
        /** Validates. */
        Relative {
            if (!(ratio > 0 && ratio <= 1)) {
                throw new IllegalArgumentException("the ratio must be in (0, 1], got " + ratio);
            }
        }

        @Override
        public boolean[][] apply(float[][] labels) {
            return aboveCut(labels, row -> {
                float top = 0;
                for (float v : row) {
                    top = Math.max(top, v);
                }
                return ratio * top;
            });
        }

        @Override
        public String toString() {
            return "relative:" + ratio;
        }
    }

    /** See {@link PositiveRule#top}. */
    record Top(int k) implements PositiveRule {
        /** Validates. */
        Top {
            if (k < 1) {
                throw new IllegalArgumentException("k must be at least 1, got " + k);
            }
        }

        @Override
        public boolean[][] apply(float[][] labels) {
            return aboveCut(labels, row -> {
                float[] sorted = row.clone();
                Arrays.sort(sorted);
                return sorted[Math.max(0, sorted.length - k)];
            });
        }

        @Override
        public String toString() {
            return "top:" + k;
        }
    }

    /** See {@link PositiveRule#quantile}. */
    record Quantile(double share) implements PositiveRule {
        /** Validates. */
        Quantile {
            if (!(share > 0 && share < 1)) {
                throw new IllegalArgumentException("the share must be in (0, 1), got " + share);
            }
        }

        @Override
        public boolean[][] apply(float[][] labels) {
            boolean[][] out = new boolean[labels.length][labels.length == 0 ? 0 : labels[0].length];
            int keep = Math.max(1, (int) Math.round(share * labels.length));
            for (int c = 0; labels.length > 0 && c < labels[0].length; c++) {
                float[] column = new float[labels.length];
                for (int i = 0; i < labels.length; i++) {
                    column[i] = labels[i][c];
                }
                float[] sorted = column.clone();
                Arrays.sort(sorted);
                float cut = sorted[labels.length - keep];
                for (int i = 0; i < labels.length; i++) {
                    out[i][c] = column[i] >= cut;
                }
            }
            return out;
        }

        @Override
        public String toString() {
            return "quantile:" + share;
        }
    }

    /** Positive where a label is above zero and at least its image's cut. */
    private static boolean[][] aboveCut(float[][] labels, java.util.function.ToDoubleFunction<float[]> cut) {
        boolean[][] out = new boolean[labels.length][];
        for (int i = 0; i < labels.length; i++) {
            double imageCut = cut.applyAsDouble(labels[i]);
            out[i] = new boolean[labels[i].length];
            for (int c = 0; c < labels[i].length; c++) {
                out[i][c] = labels[i][c] > 0 && labels[i][c] >= imageCut;
            }
        }
        return out;
    }
}
