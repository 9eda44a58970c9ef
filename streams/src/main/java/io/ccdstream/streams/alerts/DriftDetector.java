package io.ccdstream.streams.alerts;

import io.ccdstream.schemas.AlertKind;
import java.util.ArrayList;
import java.util.List;

/**
 * The drift rules, without Kafka: folds first scores into windows and compares each full window
 * (and each bias version) with the mean of the recent history.
 */
public final class DriftDetector {

    /** A signal beyond its threshold. */
    public record Finding(AlertKind kind, long window, double value, double baseline, double threshold) {}

    /** One closed window. */
    public record Summary(double[] distribution, double meanConfidence, double deadLetterShare) {}

    /**
     * A class set's open window and history (stored between records).
     *
     * @param windows        windows closed so far
     * @param count          images in the open window
     * @param topCounts      per class, images of the open window whose highest global score is that class
     * @param confidenceSum  sum of their highest global score
     * @param deadLettersAtStart dead letters counted when the window opened
     * @param history        the last closed windows, oldest first
     * @param biasHistory    the last bias vectors, oldest first
     * @param biasVersions   bias versions seen
     */
    public record State(
            long windows,
            int count,
            long[] topCounts,
            double confidenceSum,
            long deadLettersAtStart,
            List<Summary> history,
            List<double[]> biasHistory,
            long biasVersions) {

        /** An empty state for {@code classes} classes. */
        public static State empty(int classes, long deadLetters) {
            return new State(0, 0, new long[classes], 0, deadLetters, List.of(), List.of(), 0);
        }
    }

    private final DriftSettings settings;

    public DriftDetector(DriftSettings settings) {
        this.settings = settings;
    }

    /** Adds one image's global probabilities; returns the new state and what the window that closed, if any, raised. */
    public Step add(State state, float[] global, long deadLettersNow) {
        long[] counts = state.topCounts().clone();
        int top = 0;
        for (int c = 1; c < global.length; c++) {
            if (global[c] > global[top]) {
                top = c;
            }
        }
        counts[top]++;
        int count = state.count() + 1;
        double confidence = state.confidenceSum() + global[top];
        if (count < settings.window()) {
            return new Step(
                    new State(
                            state.windows(),
                            count,
                            counts,
                            confidence,
                            state.deadLettersAtStart(),
                            state.history(),
                            state.biasHistory(),
                            state.biasVersions()),
                    List.of());
        }
        double[] distribution = new double[counts.length];
        for (int c = 0; c < counts.length; c++) {
            distribution[c] = counts[c] / (double) count;
        }
        long deadLetters = Math.max(0, deadLettersNow - state.deadLettersAtStart());
        Summary summary = new Summary(distribution, confidence / count, deadLetters / (double) (deadLetters + count));
        long window = state.windows() + 1;
        List<Finding> findings = compare(window, summary, state.history());
        List<Summary> history = new ArrayList<>(state.history());
        history.add(summary);
        while (history.size() > settings.history()) {
            history.remove(0);
        }
        return new Step(
                new State(
                        window,
                        0,
                        new long[counts.length],
                        0,
                        deadLettersNow,
                        List.copyOf(history),
                        state.biasHistory(),
                        state.biasVersions()),
                findings);
    }

    /** Adds a new bias vector; returns the new state and a finding when it moved beyond the threshold. */
    public Step addBias(State state, double[] bias) {
        List<Finding> findings = new ArrayList<>();
        long version = state.biasVersions() + 1;
        if (!state.biasHistory().isEmpty()) {
            double[] baseline = new double[bias.length];
            for (double[] past : state.biasHistory()) {
                for (int c = 0; c < bias.length && c < past.length; c++) {
                    baseline[c] += past[c] / state.biasHistory().size();
                }
            }
            double diff = 0;
            double sum = 0;
            for (int c = 0; c < bias.length; c++) {
                diff += Math.abs(bias[c] - baseline[c]);
                sum += Math.abs(baseline[c]);
            }
            double shift = sum == 0 ? 0 : diff / sum;
            if (shift > settings.biasThreshold()) {
                findings.add(new Finding(AlertKind.BIAS_SHIFT, version, shift, 0, settings.biasThreshold()));
            }
        }
        List<double[]> history = new ArrayList<>(state.biasHistory());
        history.add(bias.clone());
        while (history.size() > settings.history()) {
            history.remove(0);
        }
        return new Step(
                new State(
                        state.windows(),
                        state.count(),
                        state.topCounts(),
                        state.confidenceSum(),
                        state.deadLettersAtStart(),
                        state.history(),
                        List.copyOf(history),
                        version),
                findings);
    }

    private List<Finding> compare(long window, Summary summary, List<Summary> history) {
        if (history.isEmpty()) {
            return List.of();
        }
        int classes = summary.distribution().length;
        double[] baseline = new double[classes];
        double confidence = 0;
        double share = 0;
        for (Summary past : history) {
            for (int c = 0; c < classes; c++) {
                baseline[c] += past.distribution()[c] / history.size();
            }
            confidence += past.meanConfidence() / history.size();
            share += past.deadLetterShare() / history.size();
        }
        double distance = 0;
        for (int c = 0; c < classes; c++) {
            distance += Math.abs(summary.distribution()[c] - baseline[c]);
        }
        distance /= 2;
        List<Finding> findings = new ArrayList<>();
        if (distance > settings.distributionThreshold()) {
            findings.add(
                    new Finding(AlertKind.LABEL_DISTRIBUTION, window, distance, 0, settings.distributionThreshold()));
        }
        if (Math.abs(summary.meanConfidence() - confidence) > settings.confidenceThreshold()) {
            findings.add(new Finding(
                    AlertKind.MEAN_CONFIDENCE,
                    window,
                    summary.meanConfidence(),
                    confidence,
                    settings.confidenceThreshold()));
        }
        if (summary.deadLetterShare() - share > settings.deadLetterThreshold()) {
            findings.add(new Finding(
                    AlertKind.DEAD_LETTER_SHARE,
                    window,
                    summary.deadLetterShare(),
                    share,
                    settings.deadLetterThreshold()));
        }
        return findings;
    }

    /** A new state and its findings. */
    public record Step(State state, List<Finding> findings) {}
}
