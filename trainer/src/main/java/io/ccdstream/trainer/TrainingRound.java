package io.ccdstream.trainer;

import io.ccdstream.schemas.CheckpointPhase;
import java.util.List;

/**
 * One training round the schedule asks for.
 *
 * @param phase          the phase of the checkpoint it may publish
 * @param baseVersion    the checkpoint it starts from; 0 for fresh weights
 * @param examples       the images and labels to train on
 * @param globalTargets  whether the targets are the debiased global labels (warm-up) or the final labels
 * @param beta           weight of the consistency loss
 * @param maxEpochs      most epochs; exactly this many without early stopping
 * @param earlyStopping  whether the label-free early-stopping rule picks the epoch
 * @param minGain        for a continuous round, the train-label mAP gain over the base checkpoint that
 *                       publishing needs; negative infinity when any result is published
 * @param throughSeq     the label sequence number the round covers
 */
record TrainingRound(
        CheckpointPhase phase,
        long baseVersion,
        List<TrainingExample> examples,
        boolean globalTargets,
        float beta,
        int maxEpochs,
        boolean earlyStopping,
        double minGain,
        long throughSeq) {

    /** Freezes the examples. */
    TrainingRound {
        examples = List.copyOf(examples);
    }

    /** Whether the result must beat the base checkpoint to be published. */
    boolean mustImprove() {
        return minGain != Double.NEGATIVE_INFINITY;
    }

    /** Images of the round with a VERIFIED label (a person's verdicts). */
    int verifiedCount() {
        return (int) examples.stream().filter(e -> e.label().verified()).count();
    }

    /** The training targets of {@code example}. */
    float[] targets(TrainingExample example) {
        return globalTargets ? example.label().global() : example.label().scores();
    }
}
