package io.ccdstream.streams.alerts;

/**
 * When the drift service raises an alert: each window of {@code window} first scores of a class
 * set (and each new bias version) is compared with the mean of the previous {@code history}.
 *
 * @param window                 images per window (one bias bucket by default, so that a change shows within a bias window)
 * @param history                windows (bias versions) the baseline averages; no alert before the first
 * @param distributionThreshold  total variation distance between the window's top-class distribution and the baseline's
 * @param confidenceThreshold    change of the mean top-class probability
 * @param biasThreshold          sum of |bias - baseline| over the sum of the baseline
 * @param deadLetterThreshold    rise of the share of dead letters among the window's records
 */
public record DriftSettings(
        int window,
        int history,
        double distributionThreshold,
        double confidenceThreshold,
        double biasThreshold,
        double deadLetterThreshold) {

    /** The defaults (README, "Drift alerts"). */
    public static final DriftSettings DEFAULTS = new DriftSettings(200, 5, 0.25, 0.1, 0.3, 0.05);

    /** Validates. */
    public DriftSettings {
        if (window < 1 || history < 1) {
            throw new IllegalArgumentException("window and history must be >= 1");
        }
        if (distributionThreshold <= 0 || confidenceThreshold <= 0 || biasThreshold <= 0 || deadLetterThreshold <= 0) {
            throw new IllegalArgumentException("thresholds must be > 0");
        }
    }
}
