package io.ccdstream.method.ccd;

import java.util.Objects;

/**
 * Corrects CLIP's class bias (ALGORITHM.md section 2), without renormalisation. Under
 * {@link FloorMode#CLAMP} (the paper) {@code y_c = clamp(max(p_c, floor) / bias_c, 0, 1)}; under
 * {@link FloorMode#RANK} a monotone map with the same floor and a soft clamp at the top keeps the
 * raw scores' order within each class (see {@link FloorMode}).
 *
 * @param floor lower bound of the debiased numerator; 0.05 for VOC-sized class sets, 1/80 for
 *              COCO-sized ones
 * @param mode  how scores below the floor and above the bias are treated
 */
public record Debias(float floor, FloorMode mode) {

    /** The default floor for class sets of about 20 classes. */
    public static final float DEFAULT_FLOOR = 0.05f;

    /** Where {@link FloorMode#RANK}'s soft clamp starts bending values towards 1. */
    public static final double RANK_KNEE = 0.8;

    /** Validates the floor. */
    public Debias {
        if (!(floor >= 0f && floor < 1f)) {
            throw new IllegalArgumentException("debias floor must be in [0, 1), got " + floor);
        }
        Objects.requireNonNull(mode, "mode");
    }

    /** The paper's floor and clamp. */
    public Debias(float floor) {
        this(floor, FloorMode.CLAMP);
    }

    /** Debiases {@code probabilities} by {@code bias}; a null bias means no bias is known yet (all ones). */
    public float[] apply(float[] probabilities, float[] bias) {
        if (bias != null && bias.length != probabilities.length) {
            throw new IllegalArgumentException(
                    "bias has " + bias.length + " classes, scores have " + probabilities.length);
        }
        float[] debiased = new float[probabilities.length];
        for (int c = 0; c < probabilities.length; c++) {
            float b = bias == null ? 1f : bias[c];
            debiased[c] = mode == FloorMode.CLAMP
                    ? clamp01(Math.max(probabilities[c], floor) / b)
                    : rank(probabilities[c], b);
        }
        return debiased;
    }

    private float rank(float p, float b) {
        double x = (floor + (1.0 - floor) * Math.min(1f, Math.max(0f, p))) / b;
        if (x <= RANK_KNEE) {
            return (float) x;
        }
        double span = 1.0 - RANK_KNEE;
        return (float) (1.0 - span * span / (x - RANK_KNEE + span));
    }

    static float clamp01(float value) {
        return Math.min(1f, Math.max(0f, value));
    }
}
