package io.ccdstream.method.ccd;

/**
 * Mixes debiased global and local labels (ALGORITHM.md section 4.5):
 * {@code clamp(alpha * global + (1 - alpha) * local, 0, 1)}.
 *
 * @param alpha weight of the global view; 0.4 in the paper, 0.2 in the released script
 */
public record Mix(float alpha) {

    /** The paper's alpha. */
    public static final float DEFAULT_ALPHA = 0.4f;

    /** Validates alpha. */
    public Mix {
        if (!(alpha >= 0f && alpha <= 1f)) {
            throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
        }
    }

    /** The final label; with no local scores (no checkpoint yet) the global scores alone. */
    public float[] apply(float[] global, float[] local) {
        if (local == null) {
            return global.clone();
        }
        if (local.length != global.length) {
            throw new IllegalArgumentException("local has " + local.length + " classes, global has " + global.length);
        }
        float[] mixed = new float[global.length];
        for (int c = 0; c < global.length; c++) {
            mixed[c] = Debias.clamp01(alpha * global[c] + (1f - alpha) * local[c]);
        }
        return mixed;
    }
}
