package io.ccdstream.trainer;

import io.ccdstream.schemas.Checkpoint;
import io.ccdstream.schemas.CheckpointPhase;
import java.util.List;
import java.util.Locale;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the trainer reports as it goes: keeps the latest {@link TrainerStatus} for readers on other
 * threads and logs steps, epochs and publications.
 */
final class TrainerProgress {

    private static final Logger LOG = LoggerFactory.getLogger(TrainerProgress.class);
    private static final int LOG_EVERY_STEPS = 10;

    private final IntSupplier trainingSetImages;
    private final IntSupplier labelledImages;
    private final LongSupplier skippedRecords;
    private volatile TrainerStatus.State state = TrainerStatus.State.STARTING;
    private volatile String detail = "";
    private volatile TrainerStatus.Round round;
    private volatile TrainerStatus.Published published;

    TrainerProgress(IntSupplier trainingSetImages, IntSupplier labelledImages, LongSupplier skippedRecords) {
        this.trainingSetImages = trainingSetImages;
        this.labelledImages = labelledImages;
        this.skippedRecords = skippedRecords;
    }

    /** The current snapshot. */
    TrainerStatus status() {
        return new TrainerStatus(
                state,
                detail,
                trainingSetImages.getAsInt(),
                labelledImages.getAsInt(),
                skippedRecords.getAsLong(),
                round,
                published);
    }

    void waiting(String waitingFor) {
        detail = waitingFor;
        state = TrainerStatus.State.WAITING;
    }

    void roundStarted(TrainingRound plan, int stepsPerEpoch) {
        LOG.info(
                "{} round: {} images ({} verified), up to {} epochs of {} steps, beta {}, from {}",
                plan.phase(),
                plan.examples().size(),
                plan.verifiedCount(),
                plan.maxEpochs(),
                stepsPerEpoch,
                plan.beta(),
                plan.baseVersion() == 0 ? "fresh weights" : "checkpoint v" + plan.baseVersion());
        round = new TrainerStatus.Round(
                plan.phase(),
                1,
                plan.maxEpochs(),
                0,
                stepsPerEpoch,
                Double.NaN,
                List.of(),
                plan.examples().size(),
                plan.verifiedCount());
        state = TrainerStatus.State.TRAINING;
    }

    void stepDone(CheckpointPhase phase, int epoch, int maxEpochs, int step, int steps, double loss) {
        TrainerStatus.Round current = round;
        round = new TrainerStatus.Round(
                phase,
                epoch,
                maxEpochs,
                step,
                steps,
                loss,
                current == null || epoch == 1 && step == 1 ? List.of() : current.trainMaps(),
                current == null ? 0 : current.images(),
                current == null ? 0 : current.verifiedImages());
        if (step % LOG_EVERY_STEPS == 0 || step == steps) {
            LOG.info(
                    "{} epoch {}/{} step {}/{} loss {}",
                    phase,
                    epoch,
                    maxEpochs,
                    step,
                    steps,
                    String.format(Locale.ROOT, "%.4f", loss));
        }
    }

    void epochDone(CheckpointPhase phase, int epoch, int maxEpochs, double meanLoss, List<Double> trainMaps) {
        TrainerStatus.Round current = round;
        round = new TrainerStatus.Round(
                phase,
                epoch,
                maxEpochs,
                current.step(),
                current.stepsPerEpoch(),
                current.lastLoss(),
                trainMaps,
                current.images(),
                current.verifiedImages());
        LOG.info(
                "{} epoch {}/{} done: mean loss {}, train-label mAP {}",
                phase,
                epoch,
                maxEpochs,
                String.format(Locale.ROOT, "%.4f", meanLoss),
                String.format(Locale.ROOT, "%.2f", trainMaps.get(trainMaps.size() - 1)));
    }

    void published(Checkpoint event) {
        published = new TrainerStatus.Published(
                event.getVersion(),
                event.getPhase(),
                event.getMetrics().getTrainLabelMap(),
                event.getMetrics().getEpochs(),
                event.getLocation());
    }

    void failed(String reason) {
        detail = reason;
        state = TrainerStatus.State.FAILED;
    }

    void stopped() {
        if (state != TrainerStatus.State.FAILED) {
            state = TrainerStatus.State.STOPPED;
        }
    }
}
