package io.ccdstream.streams.shadow;

import io.ccdstream.schemas.Checkpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Decides whether a candidate checkpoint replaces the one in use, from label-free signals only.
 * A candidate is rejected when any of these holds, and promoted otherwise:
 *
 * <ol>
 *   <li>both have the trainer's held-out mAP and the candidate's is lower by more than {@code heldOutTolerance} points;
 *   <li>it chose crops on fewer than {@code minSelectingShare} of the sample's images (it would refine nothing);
 *   <li>its crop agreement (the share of its crops whose class CLIP also sees) is below {@code minCropAgreement},
 *       or lower than the checkpoint in use's by more than {@code cropAgreementTolerance};
 *   <li>compared with a checkpoint in use, its crop selection shifts by more than {@code maxSelectionShift}
 *       (the label distribution would jump).
 * </ol>
 *
 * @param heldOutTolerance       points of held-out mAP the candidate may lose
 * @param minSelectingShare      least share of sampled images with at least one crop
 * @param minCropAgreement       least crop agreement, in [0, 1]
 * @param cropAgreementTolerance crop agreement the candidate may lose against the checkpoint in use
 * @param maxSelectionShift      largest selection shift against the checkpoint in use, in [0, 1]
 */
public record PromotionRule(
        double heldOutTolerance,
        double minSelectingShare,
        double minCropAgreement,
        double cropAgreementTolerance,
        double maxSelectionShift) {

    /** The defaults (README, "Safe rollout"). */
    public static final PromotionRule DEFAULTS = new PromotionRule(2.0, 0.1, 0.0, 0.1, 0.6);

    /** The verdict: promote, or reject with the reasons. */
    public record Verdict(boolean promote, String reason) {}

    /** Validates. */
    public PromotionRule {
        if (heldOutTolerance < 0 || cropAgreementTolerance < 0) {
            throw new IllegalArgumentException("tolerances must be >= 0");
        }
        for (double share : new double[] {minSelectingShare, minCropAgreement, maxSelectionShift}) {
            if (share < 0 || share > 1) {
                throw new IllegalArgumentException("shares must lie in [0, 1], got " + share);
            }
        }
    }

    /** Judges {@code candidate} against {@code current} (null: none in use) on their evaluation. */
    public Verdict decide(Checkpoint candidate, Checkpoint current, ShadowEvaluation evaluation) {
        List<String> failures = new ArrayList<>();
        Double candidateMap = candidate.getMetrics().getHeldOutMap();
        Double currentMap = current == null ? null : current.getMetrics().getHeldOutMap();
        if (candidateMap != null && currentMap != null && candidateMap < currentMap - heldOutTolerance) {
            failures.add(format("held-out mAP %.1f < %.1f - %.1f", candidateMap, currentMap, heldOutTolerance));
        }
        double selecting = selectingShare(evaluation);
        if (selecting < minSelectingShare) {
            failures.add(format("crops on %.2f of the sample < %.2f", selecting, minSelectingShare));
        }
        Double agreement = evaluation.candidateCropAgreement();
        if (agreement != null && agreement < minCropAgreement) {
            failures.add(format("crop agreement %.2f < %.2f", agreement, minCropAgreement));
        }
        Double currentAgreement = evaluation.currentCropAgreement();
        if (agreement != null && currentAgreement != null && agreement < currentAgreement - cropAgreementTolerance) {
            failures.add(
                    format("crop agreement %.2f < %.2f - %.2f", agreement, currentAgreement, cropAgreementTolerance));
        }
        if (current != null && evaluation.selectionShift() > maxSelectionShift) {
            failures.add(format("selection shift %.2f > %.2f", evaluation.selectionShift(), maxSelectionShift));
        }
        if (!failures.isEmpty()) {
            return new Verdict(false, "rejected in shadow: " + String.join("; ", failures));
        }
        return new Verdict(
                true,
                format(
                        "promoted in shadow: crop agreement %s, selection shift %.2f, held-out mAP %s",
                        agreement == null ? "n/a" : format("%.2f", agreement),
                        evaluation.selectionShift(),
                        candidateMap == null ? "n/a" : format("%.1f", candidateMap)));
    }

    /** Share of images where the candidate chose at least one crop. */
    static double selectingShare(ShadowEvaluation evaluation) {
        return evaluation.selectingImages() / (double) evaluation.sampleImages();
    }

    private static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}
