package io.ccdstream.bench;

import io.ccdstream.models.classifier.TrainingTargets;
import io.ccdstream.models.scoring.LocalViews;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The configurations of {@code ccd bench quality}, one per row of the paper's ablation (its
 * Table 2) plus the CDUL grid baseline (ALGORITHM.md section 7). Every row runs the same pipeline
 * and trainer schedule (warm-up, then the refinement round with label-free early stopping); rows
 * differ only in what the scorer's local views are, whether labels are debiased, the consistency
 * weight, for the grid, the mix weight and, for the weak-label baselines of the paper's Table 1,
 * the trainer's targets.
 */
public enum Ablation {
    /** Global CLIP labels, no local views, no debias, no consistency. */
    GLOBAL("global", "global labels only", LocalViews.NONE, false, 0f, 86.4),
    /** CAM-guided label update. */
    UPDATE("update", "+ label update", LocalViews.CAM, false, 0f, 88.7),
    /** Label update and debiased labels. */
    UPDATE_DEBIAS("update-debias", "+ label update + debias", LocalViews.CAM, true, 0f, 89.4),
    /** Label update and the consistency loss. */
    UPDATE_CONSISTENCY("update-consistency", "+ label update + consistency", LocalViews.CAM, false, 1f, 88.8),
    /** CCD: all three. */
    CCD("ccd", "all three (CCD)", LocalViews.CAM, true, 1f, 90.1),
    /** The CDUL-style baseline: global view averaged with the max over a 3x3 grid, no debias. */
    GRID("grid", "CDUL 3x3 grid", LocalViews.GRID, false, 0f, 88.6),
    /**
     * The paper's Table 1 weak-label baseline "assume negative": global labels binarised (at least
     * 0.5, or the top class), everything else negative, BCE; no local views, no debias, no consistency.
     */
    ASSUME_NEGATIVE(
            "assume-negative",
            "assume negative (global labels binarised)",
            LocalViews.NONE,
            false,
            0f,
            Double.NaN,
            TrainingTargets.ASSUME_NEGATIVE),
    /** The Table 1 baseline "label smoothing": the assume-negative targets smoothed by epsilon (default 0.1). */
    LABEL_SMOOTHING(
            "label-smoothing",
            "label smoothing (global labels binarised, smoothed)",
            LocalViews.NONE,
            false,
            0f,
            Double.NaN,
            TrainingTargets.LABEL_SMOOTHING);

    /** The grid baseline's label is the mean of global and tile scores (ALGORITHM.md section 7). */
    public static final float GRID_ALPHA = 0.5f;

    private final String id;
    private final String title;
    private final LocalViews localViews;
    private final boolean debias;
    private final float beta;
    private final double paperVoc2012;
    private final TrainingTargets targets;

    Ablation(String id, String title, LocalViews localViews, boolean debias, float beta, double paperVoc2012) {
        this(id, title, localViews, debias, beta, paperVoc2012, TrainingTargets.SOFT);
    }

    Ablation(
            String id,
            String title,
            LocalViews localViews,
            boolean debias,
            float beta,
            double paperVoc2012,
            TrainingTargets targets) {
        this.id = id;
        this.title = title;
        this.localViews = localViews;
        this.debias = debias;
        this.beta = beta;
        this.paperVoc2012 = paperVoc2012;
        this.targets = targets;
    }

    /** The command-line name, e.g. {@code update-debias}. */
    public String id() {
        return id;
    }

    /** The row's name in the table. */
    public String title() {
        return title;
    }

    public LocalViews localViews() {
        return localViews;
    }

    /** Whether the classifier's CAM crops update the labels. */
    public boolean labelUpdate() {
        return localViews == LocalViews.CAM;
    }

    public boolean debias() {
        return debias;
    }

    /** Weight of the consistency loss after warm-up. */
    public float beta() {
        return beta;
    }

    /** What the trainer's supervised term trains towards (the trainer's {@code ccd.trainer.loss}). */
    public TrainingTargets targets() {
        return targets;
    }

    /** The weight of the global view in the final label, given the configured one. */
    public float alpha(float configured) {
        return this == GRID ? GRID_ALPHA : configured;
    }

    /**
     * The paper's classifier mAP on PASCAL VOC 2012 for this configuration (ALGORITHM.md, paper
     * figures); NaN for the weak-label baselines, whose figures ALGORITHM.md does not give.
     */
    public double paperVoc2012() {
        return paperVoc2012;
    }

    /** The configuration named {@code id}, any case. */
    public static Ablation of(String id) {
        String wanted = id.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(a -> a.id.equals(wanted))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown configuration '" + id + "'; known: "
                        + Arrays.stream(values()).map(Ablation::id).collect(Collectors.joining(", "))));
    }
}
