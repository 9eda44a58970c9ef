package io.ccdstream.streams.scorer;

import java.util.ArrayList;
import java.util.List;

/**
 * Chooses how many images the scorer gives the model in one call, from what the calls cost as they
 * run. The candidates are the floor, its doublings and the ceiling ({@code --batch-size}); each has
 * a running estimate of the model's time per image at that size.
 *
 * <p>The rule: among the candidates whose predicted call time (size x time per image) stays within
 * the budget, take the one with the lowest time per image; a larger candidate not tried yet is tried
 * while it fits the budget, and every {@value #EXPLORE_EVERY} calls a neighbour of the best is tried
 * again, so that a size that became better (a warmer model, another machine load) is found. The floor
 * is always allowed: one call cannot be smaller. Bigger is not always faster (on two cores a
 * ResNet-50-size CLIP runs slower per image at 32 than at 8), which is why sizes are measured
 * rather than assumed.
 *
 * <p>When a call costs far more per image than its size's estimate (the class set got a checkpoint,
 * and each image now takes its CAM crops' CLIP calls too), every estimate is scaled by the same
 * factor at once, so the next call already respects the budget.
 *
 * <p>Not thread-safe: used by the stream thread that owns the scorer task.
 */
final class BatchSizer {

    /** Calls between two tries of a neighbour of the best size. */
    static final int EXPLORE_EVERY = 32;
    /** Weight of the newest observation in a size's running estimate. */
    private static final double ALPHA = 0.3;
    /** A per-image time this many times above (or below) the estimate counts as a change of regime. */
    private static final double REGIME = 2.0;
    /** Per-image times within this factor count as equal. */
    private static final double TIE = 1.03;

    private final int[] sizes;
    private final double[] nanosPerImage;
    private final long budgetNanos;
    private long calls;
    private int exploring = -1;

    /**
     * @param floor       smallest call
     * @param ceiling     largest call
     * @param budgetNanos longest a call should take
     */
    BatchSizer(int floor, int ceiling, long budgetNanos) {
        if (floor < 1 || ceiling < floor) {
            throw new IllegalArgumentException("need 1 <= floor <= ceiling, got " + floor + " and " + ceiling);
        }
        List<Integer> candidates = new ArrayList<>();
        for (int size = floor; size < ceiling; size *= 2) {
            candidates.add(size);
        }
        candidates.add(ceiling);
        this.sizes = candidates.stream().mapToInt(Integer::intValue).toArray();
        this.nanosPerImage = new double[sizes.length];
        java.util.Arrays.fill(nanosPerImage, Double.NaN);
        this.budgetNanos = budgetNanos;
    }

    /** The size of the next call. */
    int next() {
        if (exploring >= 0) {
            return sizes[exploring];
        }
        int best = best();
        if (Double.isNaN(nanosPerImage[best])) {
            return sizes[best];
        }
        int larger = best + 1;
        if (larger < sizes.length && Double.isNaN(nanosPerImage[larger]) && fits(larger)) {
            exploring = larger;
        } else if (calls > 0 && calls % EXPLORE_EVERY == 0) {
            if (larger < sizes.length && fits(larger)) {
                exploring = larger;
            } else if (best > 0) {
                exploring = best - 1;
            }
        }
        return exploring >= 0 ? sizes[exploring] : sizes[best];
    }

    /** Records that a call of {@code size} images took {@code nanos}. */
    void observe(int size, long nanos) {
        if (size < 1 || nanos < 0) {
            return;
        }
        calls++;
        double perImage = (double) nanos / size;
        int index = indexOf(size);
        double reference = index >= 0 ? nanosPerImage[index] : estimate(nearest(size));
        if (!Double.isNaN(reference) && reference > 0) {
            double ratio = perImage / reference;
            if (ratio > REGIME || ratio < 1 / REGIME) {
                for (int i = 0; i < sizes.length; i++) {
                    nanosPerImage[i] *= ratio;
                }
            }
        }
        if (index >= 0) {
            nanosPerImage[index] = Double.isNaN(nanosPerImage[index])
                    ? perImage
                    : ALPHA * perImage + (1 - ALPHA) * nanosPerImage[index];
            if (index == exploring) {
                exploring = -1;
            }
        }
    }

    /** The predicted duration of a call of {@code size} images, nanoseconds; NaN before any observation. */
    double predictedNanos(int size) {
        return size * estimate(nearest(size));
    }

    /**
     * The candidate with the lowest time per image among those that fit, the larger one where two are
     * within {@value #TIE} of each other (fewer calls for the same work); the floor when none fits.
     */
    private int best() {
        int best = 0;
        for (int i = 0; i < sizes.length; i++) {
            if (!Double.isNaN(nanosPerImage[i])
                    && fits(i)
                    && (Double.isNaN(nanosPerImage[best]) || nanosPerImage[i] <= nanosPerImage[best] * TIE)) {
                best = i;
            }
        }
        return best;
    }

    private boolean fits(int index) {
        double estimate = estimate(index);
        return index == 0 || Double.isNaN(estimate) || sizes[index] * estimate <= budgetNanos;
    }

    /** The size's own estimate, or else that of the nearest measured size (same cost per image assumed). */
    private double estimate(int index) {
        if (!Double.isNaN(nanosPerImage[index])) {
            return nanosPerImage[index];
        }
        for (int distance = 1; distance < sizes.length; distance++) {
            for (int i : new int[] {index - distance, index + distance}) {
                if (i >= 0 && i < sizes.length && !Double.isNaN(nanosPerImage[i])) {
                    return nanosPerImage[i];
                }
            }
        }
        return Double.NaN;
    }

    private int indexOf(int size) {
        for (int i = 0; i < sizes.length; i++) {
            if (sizes[i] == size) {
                return i;
            }
        }
        return -1;
    }

    private int nearest(int size) {
        int nearest = 0;
        for (int i = 0; i < sizes.length; i++) {
            if (Math.abs(sizes[i] - size) < Math.abs(sizes[nearest] - size)) {
                nearest = i;
            }
        }
        return nearest;
    }
}
