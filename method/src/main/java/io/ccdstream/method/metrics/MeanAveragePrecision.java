package io.ccdstream.method.metrics;

import java.util.Arrays;

/**
 * Per-class average precision ({@link AveragePrecision}) over a set of images and their mean.
 * Matrices are {@code [image][class]}, like scikit-learn's {@code y_score} and {@code y_true}.
 *
 * @param perClass the AP of every class, in [0, 1]; a class without positives has 0
 * @param map the mean of {@code perClass} times 100, the figure papers report (e.g. 85.3)
 */
public record MeanAveragePrecision(double[] perClass, double map) {

    /** Copies the per-class values. */
    public MeanAveragePrecision {
        perClass = perClass.clone();
    }

    /**
     * @param scores scores, {@code [image][class]}
     * @param positives ground truth, same shape
     * @return per-class AP and mAP
     */
    public static MeanAveragePrecision of(double[][] scores, boolean[][] positives) {
        int classes = classCount(scores, positives);
        double[] perClass = new double[classes];
        for (int c = 0; c < classes; c++) {
            perClass[c] = AveragePrecision.of(column(scores, c), column(positives, c));
        }
        return new MeanAveragePrecision(
                perClass, Arrays.stream(perClass).average().orElse(0) * 100);
    }

    /**
     * @param scores scores, {@code [image][class]}, e.g. sigmoid outputs
     * @param positives ground truth, same shape
     * @return per-class AP and mAP
     */
    public static MeanAveragePrecision of(float[][] scores, boolean[][] positives) {
        double[][] widened = new double[scores.length][];
        for (int i = 0; i < scores.length; i++) {
            widened[i] = new double[scores[i].length];
            for (int c = 0; c < scores[i].length; c++) {
                widened[i][c] = scores[i][c];
            }
        }
        return of(widened, positives);
    }

    /**
     * The label-free "train mAP" of early stopping (ALGORITHM.md section 5): the classifier's
     * sigmoid outputs against its own pseudo-labels, binarised.
     *
     * @param predictions sigmoid outputs, {@code [image][class]}
     * @param pseudoLabels the labels trained on, same shape
     * @param binarisation which labels count as positive
     * @return per-class AP and mAP
     */
    public static MeanAveragePrecision trainMap(
            float[][] predictions, float[][] pseudoLabels, LabelBinarisation binarisation) {
        return of(predictions, binarisation.apply(pseudoLabels));
    }

    /** @return a copy of the per-class AP values */
    @Override
    public double[] perClass() {
        return perClass.clone();
    }

    private static int classCount(double[][] scores, boolean[][] positives) {
        if (scores.length != positives.length) {
            throw new IllegalArgumentException(scores.length + " score rows for " + positives.length + " label rows");
        }
        if (scores.length == 0) {
            throw new IllegalArgumentException("need at least one image");
        }
        int classes = positives[0].length;
        for (int i = 0; i < scores.length; i++) {
            if (scores[i].length != classes || positives[i].length != classes) {
                throw new IllegalArgumentException("image " + i + " has " + scores[i].length + " scores and "
                        + positives[i].length + " labels, image 0 has " + classes + " labels");
            }
        }
        return classes;
    }

    private static double[] column(double[][] matrix, int c) {
        double[] column = new double[matrix.length];
        for (int i = 0; i < matrix.length; i++) {
            column[i] = matrix[i][c];
        }
        return column;
    }

    private static boolean[] column(boolean[][] matrix, int c) {
        boolean[] column = new boolean[matrix.length];
        for (int i = 0; i < matrix.length; i++) {
            column[i] = matrix[i][c];
        }
        return column;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MeanAveragePrecision other
                && Double.compare(map, other.map) == 0
                && Arrays.equals(perClass, other.perClass);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(perClass) + Double.hashCode(map);
    }

    @Override
    public String toString() {
        return "MeanAveragePrecision[perClass=" + Arrays.toString(perClass) + ", map=" + map + "]";
    }
}
