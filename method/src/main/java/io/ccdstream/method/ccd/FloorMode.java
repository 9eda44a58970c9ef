package io.ccdstream.method.ccd;

/**
 * How {@link Debias} keeps a debiased score in [0, 1]: the paper's floor and clamp, or a monotone
 * map that keeps every raw score's order within a class (per-class average precision is
 * invariant to such a map, so the debiased labels rank images as the raw scores do).
 */
public enum FloorMode {
    /**
     * The paper: {@code y = clamp(max(p, floor) / bias, 0, 1)}. Every score below the floor ties at
     * {@code floor / bias} and every score above the bias ties at 1.
     */
    CLAMP,
    /**
     * Order-keeping: {@code x = (floor + (1 - floor) * p) / bias}, then {@code y = x} up to
     * {@link Debias#RANK_KNEE} and above it a soft clamp,
     * {@code y = 1 - (1 - knee)^2 / (x - knee + (1 - knee))}, continuous with its slope, strictly
     * increasing and below 1; it approaches 1 like {@code 1/x} rather than exponentially so that
     * large values stay apart in float precision ({@code x = 1}, a score equal to its class's bias,
     * gives 0.9). The floor is reached at {@code p = 0} only; {@code x >= p / bias}, so a score the
     * paper's rule puts at or above 0.5 stays there (the trainer's "at least half" positives are
     * those of {@link #CLAMP} and a few more just below). Order is kept down to float resolution:
     * raw scores closer than about {@code 1e-8} near the floor can still meet.
     */
    RANK
}
