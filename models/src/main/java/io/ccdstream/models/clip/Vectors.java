package io.ccdstream.models.clip;

/** Small float-vector helpers for embeddings already copied out of native memory. */
final class Vectors {

    private Vectors() {}

    static float dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return (float) sum;
    }

    /** @return {@code v / |v|}; a zero vector stays zero */
    static float[] l2Normalised(float[] v) {
        double norm = Math.sqrt(dot(v, v));
        float[] out = new float[v.length];
        if (norm > 0) {
            for (int i = 0; i < v.length; i++) {
                out[i] = (float) (v[i] / norm);
            }
        }
        return out;
    }

    /** @return the element-wise mean of equally long rows */
    static float[] mean(float[][] rows) {
        float[] out = new float[rows[0].length];
        for (float[] row : rows) {
            for (int i = 0; i < out.length; i++) {
                out[i] += row[i];
            }
        }
        for (int i = 0; i < out.length; i++) {
            out[i] /= rows.length;
        }
        return out;
    }

    /** Numerically stable softmax (the maximum is subtracted first). */
    static float[] softmax(float[] logits) {
        float max = Float.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] exp = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            exp[i] = Math.exp(logits[i] - max);
            sum += exp[i];
        }
        float[] out = new float[logits.length];
        for (int i = 0; i < logits.length; i++) {
            out[i] = (float) (exp[i] / sum);
        }
        return out;
    }
}
