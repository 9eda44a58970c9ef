package io.ccdstream.trainer;

import io.ccdstream.schemas.CheckpointPhase;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A snapshot of what the trainer is doing, for a command line or a dashboard.
 *
 * @param state             what the trainer is doing
 * @param detail            a human-readable line: what it waits for, or the failure
 * @param trainingSetImages images (or labels awaiting their image) in the local training set
 * @param labelledImages    images of the training set with both pixels and a label
 * @param skippedRecords    input records skipped and dead-lettered (undecodable, unreadable image, other
 *                          class names)
 * @param round             the round in progress or last finished; null before the first
 * @param published         the latest published checkpoint; null before the first
 */
public record TrainerStatus(
        State state,
        String detail,
        int trainingSetImages,
        int labelledImages,
        long skippedRecords,
        Round round,
        Published published) {

    /** What the trainer is doing. */
    public enum State {
        /** Reconciling the checkpoint store with the checkpoints topic. */
        STARTING,
        /** Reading labels and images until the schedule calls for a round. */
        WAITING,
        /** Running a round. */
        TRAINING,
        /** Closed. */
        STOPPED,
        /** Stopped by an error; {@link TrainerStatus#detail()} says which. */
        FAILED
    }

    /**
     * Progress of a training round.
     *
     * @param phase         the phase the round may publish
     * @param epoch         the current (or last) epoch, 1-based
     * @param maxEpochs     most epochs of the round
     * @param step          steps done in the current epoch
     * @param stepsPerEpoch steps per epoch
     * @param lastLoss      loss of the latest step
     * @param trainMaps     train-label mAP (%) after each finished epoch
     * @param images        images the round trains on
     * @param verifiedImages of them, images with a VERIFIED label (a person's verdicts)
     */
    public record Round(
            CheckpointPhase phase,
            int epoch,
            int maxEpochs,
            int step,
            int stepsPerEpoch,
            double lastLoss,
            List<Double> trainMaps,
            int images,
            int verifiedImages) {

        /** Freezes the list. */
        public Round {
            trainMaps = List.copyOf(trainMaps);
        }

        /** A round whose images are not counted. */
        public Round(
                CheckpointPhase phase,
                int epoch,
                int maxEpochs,
                int step,
                int stepsPerEpoch,
                double lastLoss,
                List<Double> trainMaps) {
            this(phase, epoch, maxEpochs, step, stepsPerEpoch, lastLoss, trainMaps, 0, 0);
        }
    }

    /**
     * The latest published checkpoint.
     *
     * @param version       its version
     * @param phase         WARMUP, REFINE or CONTINUOUS
     * @param trainLabelMap its train-label mAP (%)
     * @param epochs        epochs trained up to the kept epoch
     * @param location      where consumers fetch it
     */
    public record Published(long version, CheckpointPhase phase, double trainLabelMap, int epochs, String location) {}

    /** One line, e.g. {@code TRAINING REFINE epoch 3/10 step 5/8 loss 0.412 train-label mAP [41.0, 44.2] | ...}. */
    public String summary() {
        StringBuilder line = new StringBuilder(state.name());
        if (state == State.TRAINING && round != null) {
            line.append(String.format(
                    Locale.ROOT,
                    " %s epoch %d/%d step %d/%d",
                    round.phase(),
                    round.epoch(),
                    round.maxEpochs(),
                    round.step(),
                    round.stepsPerEpoch()));
            if (!Double.isNaN(round.lastLoss())) {
                line.append(String.format(Locale.ROOT, " loss %.4f", round.lastLoss()));
            }
            if (!round.trainMaps().isEmpty()) {
                line.append(" train-label mAP ")
                        .append(round.trainMaps().stream()
                                .map(m -> String.format(Locale.ROOT, "%.1f", m))
                                .collect(Collectors.joining(", ", "[", "]")));
            }
        } else if (!detail.isEmpty()) {
            line.append(' ').append(detail);
        }
        line.append(String.format(
                Locale.ROOT, " | training set %d images, %d labelled", trainingSetImages, labelledImages));
        if (published != null) {
            line.append(String.format(
                    Locale.ROOT,
                    " | published v%d %s (train-label mAP %.1f)",
                    published.version(),
                    published.phase(),
                    published.trainLabelMap()));
        }
        if (skippedRecords > 0) {
            line.append(" | skipped ").append(skippedRecords).append(" records");
        }
        return line.toString();
    }
}
