package io.ccdstream.models.classifier;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What the supervised BCE term trains towards, given an image's pseudo-label (the paper's Table 1
 * compares CCD with two standard ways of training on weak labels):
 *
 * <ul>
 *   <li>{@link #SOFT}: the pseudo-label as it is, soft values in [0, 1] (CCD, ALGORITHM.md section
 *       5);
 *   <li>{@link #ASSUME_NEGATIVE}: the pseudo-label binarised: 1 where it is at least 0.5, or for the
 *       top class alone when no class reaches 0.5 (so every image has a positive), 0 everywhere
 *       else ("assume negative": what is not labelled is taken as absent);
 *   <li>{@link #LABEL_SMOOTHING}: the same binary targets smoothed by epsilon, {@code (1 - eps) * t
 *       + eps / 2}: positives become {@code 1 - eps/2}, negatives {@code eps/2}.
 * </ul>
 */
public enum TrainingTargets {
    /** The soft pseudo-label. */
    SOFT("soft"),
    /** Binarised pseudo-label, the rest negative. */
    ASSUME_NEGATIVE("assume-negative"),
    /** Binarised pseudo-label smoothed by epsilon. */
    LABEL_SMOOTHING("label-smoothing");

    /** Default epsilon of {@link #LABEL_SMOOTHING}. */
    public static final float DEFAULT_EPSILON = 0.1f;

    private static final float POSITIVE = 0.5f;

    private final String id;

    TrainingTargets(String id) {
        this.id = id;
    }

    /** @return the setting's name, e.g. {@code assume-negative} */
    public String id() {
        return id;
    }

    /**
     * @param label a pseudo-label, values in [0, 1], at least one class
     * @param epsilon the smoothing of {@link #LABEL_SMOOTHING}, in [0, 1); ignored otherwise
     * @return the targets, a new array
     * @throws IllegalArgumentException for an empty label or an epsilon out of range
     */
    public float[] of(float[] label, float epsilon) {
        if (label.length == 0) {
            throw new IllegalArgumentException("a pseudo-label needs at least one class");
        }
        if (!(epsilon >= 0 && epsilon < 1)) {
            throw new IllegalArgumentException("label smoothing epsilon must be in [0, 1), got " + epsilon);
        }
        if (this == SOFT) {
            return label.clone();
        }
        float[] targets = new float[label.length];
        int top = 0;
        boolean any = false;
        for (int c = 0; c < label.length; c++) {
            if (label[c] >= POSITIVE) {
                targets[c] = 1f;
                any = true;
            }
            if (label[c] > label[top]) {
                top = c;
            }
        }
        if (!any) {
            targets[top] = 1f;
        }
        if (this == LABEL_SMOOTHING) {
            for (int c = 0; c < targets.length; c++) {
                targets[c] = (1 - epsilon) * targets[c] + epsilon / 2;
            }
        }
        return targets;
    }

    /**
     * @param id a name as {@link #id()}, any case
     * @return the policy
     * @throws IllegalArgumentException naming the known policies
     */
    public static TrainingTargets of(String id) {
        String wanted = id.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(v -> v.id.equals(wanted))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown training targets '" + id + "'; known: "
                        + Arrays.stream(values()).map(TrainingTargets::id).collect(Collectors.joining(", "))));
    }
}
