package io.ccdstream.streams.pipeline;

import io.ccdstream.method.ccd.Debias;
import io.ccdstream.method.ccd.FloorMode;
import io.ccdstream.method.ccd.Mix;
import io.ccdstream.method.image.ImageLimits;
import io.ccdstream.models.clip.ClassSet;
import io.ccdstream.models.scoring.LocalViews;
import io.ccdstream.models.scoring.RefinementSettings;
import io.ccdstream.streams.bias.BiasSettings;
import io.ccdstream.streams.labeler.LabelerSettings;
import io.ccdstream.streams.scorer.ScorerSettings;
import io.ccdstream.topics.ImageBytes;
import java.nio.file.Path;

/**
 * What the services of one process need besides the cluster: the CLIP model, the class set and
 * the labelling parameters.
 *
 * @param modelDir         CLIP model directory
 * @param classSet         the class set served
 * @param floor            debias floor (ALGORITHM.md section 2)
 * @param floorMode        the paper's floor and clamp, or the order-keeping map
 * @param alpha            weight of the global view in the final label (section 4)
 * @param claimChecks      where claim-checked images may be fetched from, and limits
 * @param bias             how the bias service windows the scores
 * @param labeler          when the labeler recomputes labels after the bias moved
 * @param scorer           how the scorer batches
 * @param refinement       how the classifier guides the crops
 * @param imageLimits      largest image the scorer decodes (encoded bytes, pixels, side)
 * @param decodeBudgetPixels pixels the scorer's decodes may hold at the same time; 0: twice
 *                         {@code imageLimits.maxPixels()}
 */
public record PipelineSettings(
        Path modelDir,
        ClassSet classSet,
        float floor,
        FloorMode floorMode,
        float alpha,
        ImageBytes claimChecks,
        BiasSettings bias,
        LabelerSettings labeler,
        ScorerSettings scorer,
        RefinementSettings refinement,
        ImageLimits imageLimits,
        long decodeBudgetPixels) {

    /** Every default (ALGORITHM.md's numbers) for {@code classSet} scored by the model in {@code modelDir}. */
    public static PipelineSettings defaults(Path modelDir, ClassSet classSet) {
        return new PipelineSettings(
                modelDir,
                classSet,
                Debias.DEFAULT_FLOOR,
                FloorMode.RANK,
                Mix.DEFAULT_ALPHA,
                ImageBytes.inlineOnly(),
                BiasSettings.DEFAULTS,
                LabelerSettings.DEFAULTS,
                ScorerSettings.DEFAULTS,
                RefinementSettings.DEFAULTS,
                ImageLimits.defaults(),
                0);
    }

    /** The labeler's bias correction: the floor and its mode. */
    public Debias debias() {
        return new Debias(floor, floorMode);
    }

    /** Whether the scorer refines with the classifier's CAM crops (CCD), so that labels wait for a checkpoint. */
    public boolean refinesWithCam() {
        return refinement.localViews() == LocalViews.CAM;
    }

    /** The same with other bias settings. */
    public PipelineSettings withBias(BiasSettings other) {
        return new PipelineSettings(
                modelDir,
                classSet,
                floor,
                floorMode,
                alpha,
                claimChecks,
                other,
                labeler,
                scorer,
                refinement,
                imageLimits,
                decodeBudgetPixels);
    }

    /** The same with other labeler settings. */
    public PipelineSettings withLabeler(LabelerSettings other) {
        return new PipelineSettings(
                modelDir,
                classSet,
                floor,
                floorMode,
                alpha,
                claimChecks,
                bias,
                other,
                scorer,
                refinement,
                imageLimits,
                decodeBudgetPixels);
    }

    /** The same with other scorer settings. */
    public PipelineSettings withScorer(ScorerSettings other) {
        return new PipelineSettings(
                modelDir,
                classSet,
                floor,
                floorMode,
                alpha,
                claimChecks,
                bias,
                labeler,
                other,
                refinement,
                imageLimits,
                decodeBudgetPixels);
    }

    /** The same with other refinement settings (e.g. other local views). */
    public PipelineSettings withRefinement(RefinementSettings other) {
        return new PipelineSettings(
                modelDir,
                classSet,
                floor,
                floorMode,
                alpha,
                claimChecks,
                bias,
                labeler,
                scorer,
                other,
                imageLimits,
                decodeBudgetPixels);
    }

    /** The same with another weight of the global view. */
    public PipelineSettings withAlpha(float other) {
        return new PipelineSettings(
                modelDir,
                classSet,
                floor,
                floorMode,
                other,
                claimChecks,
                bias,
                labeler,
                scorer,
                refinement,
                imageLimits,
                decodeBudgetPixels);
    }

    /** The same with other claim-check rules. */
    public PipelineSettings withClaimChecks(ImageBytes other) {
        return new PipelineSettings(
                modelDir,
                classSet,
                floor,
                floorMode,
                alpha,
                other,
                bias,
                labeler,
                scorer,
                refinement,
                imageLimits,
                decodeBudgetPixels);
    }

    /** The same with other image limits and decode budget for the scorer. */
    public PipelineSettings withImageLimits(ImageLimits limits, long budgetPixels) {
        return new PipelineSettings(
                modelDir,
                classSet,
                floor,
                floorMode,
                alpha,
                claimChecks,
                bias,
                labeler,
                scorer,
                refinement,
                limits,
                budgetPixels);
    }

    /** The same for another class set. */
    public PipelineSettings withClassSet(ClassSet other) {
        return new PipelineSettings(
                modelDir,
                other,
                floor,
                floorMode,
                alpha,
                claimChecks,
                bias,
                labeler,
                scorer,
                refinement,
                imageLimits,
                decodeBudgetPixels);
    }
}
