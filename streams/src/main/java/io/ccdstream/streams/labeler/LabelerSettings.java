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
 */
public record LabelerSettings(Duration relabelInterval, float minBiasChange, boolean debias, int relabelBatch) {

    /** Labels recomputed per check by default. */
    public static final int DEFAULT_RELABEL_BATCH = 1000;

    /** Check every 10 s; recompute when some class's bias moved by more than 0.05, 1000 labels a check; debias. */
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
        return new LabelerSettings(relabelInterval, minBiasChange, on, relabelBatch);
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
    }
}
