package io.ccdstream.method.metrics;

/**
 * How soft pseudo-labels become positives for the label-free "train mAP" (ALGORITHM.md section 5).
 * Hard 0/1 labels give the same positives under either rule.
 */
public enum LabelBinarisation {
    /** Positive where {@code y == 1}, i.e. where the clamped label saturated; the default. */
    EQUALS_ONE,
    /** Positive where {@code y >= 0.5}. */
    AT_LEAST_HALF;

    /**
     * @param label a label value in [0, 1]
     * @return whether it counts as positive
     */
    public boolean isPositive(float label) {
        return this == EQUALS_ONE ? label == 1f : label >= 0.5f;
    }

    /**
     * @param labels labels, {@code [image][class]}
     * @return the positives, same shape
     */
    public boolean[][] apply(float[][] labels) {
        boolean[][] positives = new boolean[labels.length][];
        for (int i = 0; i < labels.length; i++) {
            positives[i] = new boolean[labels[i].length];
            for (int c = 0; c < labels[i].length; c++) {
                positives[i][c] = isPositive(labels[i][c]);
            }
        }
        return positives;
    }
}
