package io.ccdstream.method.ccd;

/**
 * Shannon entropy of a probability vector in nats, as the bias estimator filters images with it
 * (ALGORITHM.md section 2): {@code H(p) = -sum_c p_c ln(p_c + 1e-10)}.
 */
public final class Entropy {

    /** Added inside the logarithm so that a zero probability contributes 0, not NaN. */
    public static final double LOG_EPSILON = 1e-10;

    private Entropy() {}

    /**
     * @param p a probability vector (a softmax output); not checked to sum to 1
     * @return the entropy in nats, computed in double precision
     */
    public static double of(float[] p) {
        double sum = 0;
        for (float pc : p) {
            sum -= pc * Math.log(pc + LOG_EPSILON);
        }
        return sum;
    }
}
