package io.ccdstream.method.ccd;

/**
 * Corrects CLIP's class bias (ALGORITHM.md section 2):
 * {@code y_c = clamp(max(p_c, floor) / bias_c, 0, 1)}, without renormalisation.
 *
 * @param floor lower bound applied to each probability before dividing; 0.05 for VOC-sized class
 *              sets, 1/80 for COCO-sized ones
 */
public record Debias(float floor) {

    /** The default floor for class sets of about 20 classes. */
    public static final float DEFAULT_FLOOR = 0.05f;

    /** Validates the floor. */
    public Debias {
        if (!(floor >= 0f && floor < 1f)) {
            throw new IllegalArgumentException("debias floor must be in [0, 1), got " + floor);
        }
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
            debiased[c] = clamp01(Math.max(probabilities[c], floor) / b);
        }
        return debiased;
    }

    static float clamp01(float value) {
        return Math.min(1f, Math.max(0f, value));
    }
}
