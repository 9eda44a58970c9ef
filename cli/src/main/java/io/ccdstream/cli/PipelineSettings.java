package io.ccdstream.cli;

import io.ccdstream.processors.clip.ClassSet;
import io.ccdstream.processors.scoring.RefinementSettings;
import io.ccdstream.streams.bias.BiasSettings;
import io.ccdstream.streams.scorer.ScorerSettings;
import io.ccdstream.streams.labeler.LabelerSettings;
import java.nio.file.Path;
import java.util.List;

/**
 * What the services of one process need besides the cluster: the CLIP model, the class set and
 * the labelling parameters.
 *
 * @param modelDir         CLIP model directory
 * @param classSet         the class set served
 * @param floor            debias floor (ALGORITHM.md section 2)
 * @param alpha            weight of the global view in the final label (section 4)
 * @param allowedFileRoots directories that {@code file:} claim checks may point into
 * @param maxFetchBytes    largest claim-checked image accepted
 * @param bias             how the bias service windows the scores
 * @param labeler          when the labeler recomputes labels after the bias moved
 * @param scorer           how the scorer batches
 * @param refinement       how the classifier guides the crops
 */
record PipelineSettings(Path modelDir, ClassSet classSet, float floor, float alpha, List<Path> allowedFileRoots,
    long maxFetchBytes, BiasSettings bias, LabelerSettings labeler, ScorerSettings scorer,
    RefinementSettings refinement) {
}
