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
 */
public record LabelerSettings(Duration relabelInterval, float minBiasChange) {

    /** Check every 10 s; recompute when some class's bias moved by more than 0.05. */
    public static final LabelerSettings DEFAULTS = new LabelerSettings(Duration.ofSeconds(10), 0.05f);

    /** Validates. */
    public LabelerSettings {
        if (relabelInterval.isNegative() || relabelInterval.isZero()) {
            throw new IllegalArgumentException("relabelInterval must be positive, got " + relabelInterval);
        }
        if (!(minBiasChange >= 0)) {
            throw new IllegalArgumentException("minBiasChange must not be negative, got " + minBiasChange);
        }
    }
}
