package io.ccdstream.trainer;

import io.ccdstream.schemas.Label;
import io.ccdstream.schemas.LabelStage;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What the trainer keeps of a label: its stage, the checkpoint that refined it, and the two
 * target vectors it may train on.
 *
 * @param stage             INITIAL (global view only), REFINED (mixed with CAM-crop scores) or VERIFIED (a
 *                          person's verdicts on some classes, the pseudo-label on the others)
 * @param checkpointVersion the checkpoint that examined the image (chose its crops, or none: an
 *                          INITIAL label); null before any checkpoint
 * @param scores            the final label per class, in [0, 1]: the targets after warm-up
 * @param global            the debiased global label per class, in [0, 1]: the warm-up targets (for a
 *                          VERIFIED label, the verdicts replace the reviewed classes here too)
 */
record StoredLabel(LabelStage stage, Long checkpointVersion, float[] scores, float[] global) {

    /** Validates and copies the vectors. */
    StoredLabel {
        Objects.requireNonNull(stage, "stage");
        scores = scores.clone();
        global = global.clone();
        if (scores.length != global.length) {
            throw new IllegalArgumentException(scores.length + " scores but " + global.length + " global scores");
        }
    }

    /** The label of a {@link Label} record, with its vectors clamped into [0, 1] (BCE targets). */
    static StoredLabel of(Label label) {
        float[] scores = clamped(label.getScores());
        float[] global = clamped(label.getGlobal());
        if (label.getStage() == LabelStage.VERIFIED) {
            for (String reviewed : label.getReviewedClasses()) {
                int c = label.getClassNames().indexOf(reviewed);
                if (c >= 0) {
                    global[c] = scores[c];
                }
            }
        }
        return new StoredLabel(label.getStage(), label.getCheckpointVersion(), scores, global);
    }

    /** Whether a person reviewed the image: a pseudo-label must not replace this label. */
    boolean verified() {
        return stage == LabelStage.VERIFIED;
    }

    /**
     * Whether checkpoint {@code version} or a later one examined the image: it chose the crops of a
     * REFINED label, or chose none, and the label stays the global view's (INITIAL).
     */
    boolean refinedWith(long version) {
        return checkpointVersion != null && checkpointVersion >= version;
    }

    @Override
    public float[] scores() {
        return scores.clone();
    }

    @Override
    public float[] global() {
        return global.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoredLabel other
                && stage == other.stage
                && Objects.equals(checkpointVersion, other.checkpointVersion)
                && Arrays.equals(scores, other.scores)
                && Arrays.equals(global, other.global);
    }

    @Override
    public int hashCode() {
        return Objects.hash(stage, checkpointVersion, Arrays.hashCode(scores), Arrays.hashCode(global));
    }

    @Override
    public String toString() {
        return "StoredLabel[" + stage + ", checkpoint " + checkpointVersion + ", scores " + Arrays.toString(scores)
                + "]";
    }

    private static float[] clamped(List<Float> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            float v = values.get(i);
            out[i] = Float.isNaN(v) ? 0f : Math.max(0f, Math.min(1f, v));
        }
        return out;
    }
}
