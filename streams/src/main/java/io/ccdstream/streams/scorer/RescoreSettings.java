package io.ccdstream.streams.scorer;

/**
 * How the scorer re-scores images it has already labelled when a clearly better classifier
 * checkpoint arrives (see {@link RescoreQueue}).
 *
 * @param enabled  whether scored images are kept for re-scoring at all
 * @param capacity images kept per scorer task; past it the one that arrived first leaves (its label
 *                 stays as it is)
 * @param share    largest share of the scorer's wall-clock time re-scoring may take, in (0, 1]; new
 *                 images are always scored first
 * @param minGain  held-out quality points (the trainer's {@code heldOutMap}) a checkpoint must gain over
 *                 the one that made an image's scores before that image is re-scored with it
 */
public record RescoreSettings(boolean enabled, int capacity, double share, double minGain) {

    /** On: 5,000 images per task, a quarter of the scorer's time, 1 point of held-out mAP. */
    public static final RescoreSettings DEFAULTS = new RescoreSettings(true, 5_000, 0.25, 1.0);

    /** Never re-scores. */
    public static final RescoreSettings OFF = new RescoreSettings(false, 1, 0.25, 1.0);

    /** Validates. */
    public RescoreSettings {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive, got " + capacity);
        }
        if (!(share > 0 && share <= 1)) {
            throw new IllegalArgumentException("share must be in (0, 1], got " + share);
        }
        if (!(minGain >= 0) || Double.isInfinite(minGain)) {
            throw new IllegalArgumentException("minGain must be a finite number >= 0, got " + minGain);
        }
    }
}
