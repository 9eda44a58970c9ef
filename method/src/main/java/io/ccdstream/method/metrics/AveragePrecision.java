package io.ccdstream.method.metrics;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Average precision of one class, as scikit-learn's {@code average_precision_score}: the
 * step-wise (not interpolated, not VOC 11-point) area under the precision-recall curve,
 * {@code AP = sum_n (R_n - R_{n-1}) P_n}, with one operating point per distinct score (images
 * with equal scores enter together, as scikit-learn's {@code precision_recall_curve} does) and
 * {@code R_0 = 0}.
 *
 * <p>A class without any positive scores 0: the project's rule, so that mAP stays defined and
 * such a class counts against it. scikit-learn instead warns and
 * returns a value of its own (-0.0 in scikit-learn 1.2; NaN in some older versions). A class with
 * only positives scores 1.
 */
public final class AveragePrecision {

    private AveragePrecision() {}

    /**
     * @param scores one score per image, higher means more likely positive; no NaN
     * @param positives the ground truth per image
     * @return the average precision in [0, 1]
     */
    public static double of(double[] scores, boolean[] positives) {
        if (scores.length != positives.length) {
            throw new IllegalArgumentException(scores.length + " scores for " + positives.length + " labels");
        }
        int totalPositives = countPositives(positives);
        if (totalPositives == 0) {
            return 0.0;
        }
        Integer[] order = descendingOrder(scores);
        double ap = 0;
        double previousRecall = 0;
        int truePositives = 0;
        for (int n = 0; n < order.length; n++) {
            truePositives += positives[order[n]] ? 1 : 0;
            boolean lastOfTies = n == order.length - 1 || scores[order[n + 1]] != scores[order[n]];
            if (lastOfTies) {
                double recall = (double) truePositives / totalPositives;
                ap += (recall - previousRecall) * truePositives / (n + 1);
                previousRecall = recall;
            }
        }
        return ap;
    }

    /**
     * @param scores one score per image, higher means more likely positive; no NaN
     * @param positives the ground truth per image
     * @return the average precision in [0, 1]
     */
    public static double of(float[] scores, boolean[] positives) {
        double[] widened = new double[scores.length];
        for (int i = 0; i < scores.length; i++) {
            widened[i] = scores[i];
        }
        return of(widened, positives);
    }

    private static int countPositives(boolean[] positives) {
        int count = 0;
        for (boolean p : positives) {
            count += p ? 1 : 0;
        }
        return count;
    }

    private static Integer[] descendingOrder(double[] scores) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            if (Double.isNaN(scores[i])) {
                throw new IllegalArgumentException("score " + i + " is NaN");
            }
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
        return order;
    }
}
