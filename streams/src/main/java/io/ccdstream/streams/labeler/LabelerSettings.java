package io.ccdstream.streams.labeler;

import java.time.Duration;

/**
 * When the labeler recomputes labels because the bias moved.
 *
 * @param relabelInterval how often the labeler compares the current bias with the one its labels
 *                        were last recomputed against
 * @param minBiasChange   largest per-class change of the bias that does not trigger a
 *                        recomputation; above it every label of the class set made with another
 *                        bias version is recomputed from its stored raw scores
 * @param debias          whether labels are corrected for CLIP's class bias (ALGORITHM.md section 2);
 *                        without, a label's global and local scores are the raw CLIP probabilities (no
 *                        bias, no floor) and nothing is recomputed when the bias moves: the "no debias"
 *                        rows of the ablation
 * @param relabelBatch    most labels recomputed per check; a larger recomputation goes on at the next
 *                        checks from where it stopped (the position is kept in a changelogged store)
 * @param relabelSettle   how long a bias version must have been the newest (since its {@code updatedAt})
 *                        before labels made with another version are recomputed with it even though it
 *                        moved by no more than {@code minBiasChange}: labels converge to the newest bias
 *                        within {@code relabelSettle + ceil(labels / relabelBatch) * relabelInterval} of
 *                        its publication (plus a check's own time), however small the last moves were
 * @param noneThreshold   an image whose highest debiased global score is below this is labelled "none"
 *                        (no class of the set; not trained on); 0: no detection
 */
public record LabelerSettings(
        Duration relabelInterval,
        float minBiasChange,
        boolean debias,
        int relabelBatch,
        Duration relabelSettle,
        float noneThreshold) {

    /** Labels recomputed per check by default. */
    public static final int DEFAULT_RELABEL_BATCH = 1000;

    /** Default time a small bias move waits before labels converge to it. */
    public static final Duration DEFAULT_RELABEL_SETTLE = Duration.ofSeconds(30);

    /** These rules, converging to a small move after {@link #DEFAULT_RELABEL_SETTLE}. */
    public LabelerSettings(Duration relabelInterval, float minBiasChange, boolean debias, int relabelBatch) {
        this(relabelInterval, minBiasChange, debias, relabelBatch, DEFAULT_RELABEL_SETTLE);
    }

    /** These rules, without "none" detection. */
    public LabelerSettings(
            Duration relabelInterval, float minBiasChange, boolean debias, int relabelBatch, Duration relabelSettle) {
        this(relabelInterval, minBiasChange, debias, relabelBatch, relabelSettle, 0f);
    }

    /**
     * Check every 10 s; recompute when some class's bias moved by more than 0.05, or when a newer
     * version has been the newest for 30 s; 1000 labels a check; debias.
     */
    public static final LabelerSettings DEFAULTS = new LabelerSettings(Duration.ofSeconds(10), 0.05f);

    /** Debiasing labels, with these relabelling rules. */
    public LabelerSettings(Duration relabelInterval, float minBiasChange) {
        this(relabelInterval, minBiasChange, true);
    }

    /** These relabelling rules, 1000 labels a check. */
    public LabelerSettings(Duration relabelInterval, float minBiasChange, boolean debias) {
        this(relabelInterval, minBiasChange, debias, DEFAULT_RELABEL_BATCH);
    }

    /** The same with debiasing on or off. */
    public LabelerSettings withDebias(boolean on) {
        return new LabelerSettings(relabelInterval, minBiasChange, on, relabelBatch, relabelSettle, noneThreshold);
    }

    /** The same with another settle time. */
    public LabelerSettings withRelabelSettle(Duration settle) {
        return new LabelerSettings(relabelInterval, minBiasChange, debias, relabelBatch, settle, noneThreshold);
    }

    /** The same with another "none" threshold. */
    public LabelerSettings withNoneThreshold(float threshold) {
        return new LabelerSettings(relabelInterval, minBiasChange, debias, relabelBatch, relabelSettle, threshold);
    }

    /** Validates. */
    public LabelerSettings {
        if (relabelInterval.isNegative() || relabelInterval.isZero()) {
            throw new IllegalArgumentException("relabelInterval must be positive, got " + relabelInterval);
        }
        if (!(minBiasChange >= 0)) {
            throw new IllegalArgumentException("minBiasChange must not be negative, got " + minBiasChange);
        }
        if (relabelBatch < 1) {
            throw new IllegalArgumentException("relabelBatch must be positive, got " + relabelBatch);
        }
        if (!(noneThreshold >= 0f && noneThreshold <= 1f)) {
            throw new IllegalArgumentException("noneThreshold must be in [0, 1], got " + noneThreshold);
        }
        if (relabelSettle.isNegative()) {
            throw new IllegalArgumentException("relabelSettle must not be negative, got " + relabelSettle);
        }
    }
}
