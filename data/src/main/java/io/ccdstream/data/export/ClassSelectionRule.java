package io.ccdstream.data.export;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Which classes of an image an export marks present, from the labels' final scores only (no ground
 * truth):
 *
 * <ul>
 *   <li>fixed: a class is present when its score is at least its threshold — the ontology's
 *       per-class threshold when it has one, else {@code --threshold};
 *   <li>calibrated: per class, the expected number of positives is the sum of its scores over the
 *       exported images (the scores read as probabilities: their mean is the class's estimated
 *       prevalence); the threshold is the score of the class's n-th highest image, n that sum rounded,
 *       so the share of images marked present matches the estimated prevalence (ties at the threshold
 *       are all kept; n = 0 marks none);
 *   <li>top-k: at most k classes per image, the highest scoring of those that pass the thresholds
 *       (alone, {@code --top-k} keeps the k highest whatever their score).
 * </ul>
 *
 * @param thresholds per class, the minimum score; NaN for no minimum
 * @param topK       most classes per image, or 0 for no limit
 * @param rule       the rule in words, written into the exports that have room for it
 */
public record ClassSelectionRule(double[] thresholds, int topK, String rule) {

    /** Fixed thresholds: {@code perClass[c]} when not null, else {@code threshold} (NaN: none). */
    public static ClassSelectionRule fixed(List<Double> perClass, double threshold, int topK) {
        double[] t = new double[perClass.size()];
        for (int c = 0; c < t.length; c++) {
            t[c] = perClass.get(c) != null ? perClass.get(c) : threshold;
        }
        String rule = Double.isNaN(threshold)
                ? "top " + topK + " classes per image"
                : String.format(
                        Locale.ROOT,
                        "score >= %s%s%s",
                        threshold,
                        perClass.stream().anyMatch(d -> d != null) ? " (or the ontology's per-class threshold)" : "",
                        topK > 0 ? ", at most " + topK + " per image" : "");
        return new ClassSelectionRule(t, topK, rule);
    }

    /** Calibrated thresholds from {@code scores} (one row per image), see the class comment. */
    public static ClassSelectionRule calibrated(List<float[]> scores, int classes, int topK) {
        double[] t = new double[classes];
        for (int c = 0; c < classes; c++) {
            float[] column = new float[scores.size()];
            double sum = 0;
            for (int i = 0; i < column.length; i++) {
                column[i] = scores.get(i)[c];
                sum += column[i];
            }
            long n = Math.round(sum);
            if (n <= 0) {
                t[c] = Double.POSITIVE_INFINITY;
                continue;
            }
            Arrays.sort(column);
            t[c] = column[(int) Math.max(0, column.length - Math.min(n, column.length))];
        }
        return new ClassSelectionRule(
                t,
                topK,
                "calibrated: per class, the top round(sum of scores) images (estimated prevalence)"
                        + (topK > 0 ? ", at most " + topK + " per image" : ""));
    }

    /** The indices of the present classes of an image with {@code scores}, highest score first. */
    public List<Integer> select(float[] scores) {
        List<Integer> chosen = new ArrayList<>();
        for (int c = 0; c < scores.length; c++) {
            if (c >= thresholds.length || Double.isNaN(thresholds[c]) || scores[c] >= thresholds[c]) {
                chosen.add(c);
            }
        }
        chosen.sort(Comparator.comparingDouble((Integer c) -> -scores[c]).thenComparing(c -> c));
        return topK > 0 && chosen.size() > topK ? List.copyOf(chosen.subList(0, topK)) : List.copyOf(chosen);
    }
}
