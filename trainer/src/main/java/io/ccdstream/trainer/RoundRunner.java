package io.ccdstream.trainer;

import io.ccdstream.method.ccd.EarlyStopping;
import io.ccdstream.method.image.ImageDecoder;
import io.ccdstream.method.image.ImageInputException;
import io.ccdstream.method.image.RgbImage;
import io.ccdstream.method.metrics.LabelBinarisation;
import io.ccdstream.method.metrics.MeanAveragePrecision;
import io.ccdstream.models.classifier.Classifier;
import io.ccdstream.models.classifier.ClassifierTrainer;
import io.ccdstream.models.classifier.ClassifierTrainerConfig;
import io.ccdstream.models.classifier.TrainingTargets;
import io.ccdstream.schemas.CheckpointPhase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the epochs of a {@link TrainingRound} on a classifier in place: batches decoded from the
 * training set as they are needed, one optimiser step each, and after each epoch the label-free
 * train-label mAP (the classifier's sigmoid outputs against the binarised pseudo-labels, ALGORITHM.md
 * section 5) and, with a {@link HeldOutSignal}, the held-out mAP on the training set's slice.
 *
 * <p>Which epoch is kept, with early stopping: where the slice has at least the signal's minimum
 * images, the epoch with the highest held-out mAP (its weights are saved to the snapshot file when
 * a later epoch may still run; the round stops once {@value #PATIENCE} epochs in a row have not beaten
 * it). Otherwise ALGORITHM.md's rule: the round ends at the first epoch where {@link
 * EarlyStopping#firstRise} fires; since it is checked after every epoch, that epoch is the current one,
 * so its weights are the classifier's; if it never fires, the last epoch is kept.
 */
final class RoundRunner {

    private static final Logger LOG = LoggerFactory.getLogger(RoundRunner.class);

    /** Epochs in a row without a new best held-out mAP after which a round stops. */
    static final int PATIENCE = 2;

    /** Thrown when the trainer is asked to stop in the middle of a round. */
    static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stopped() {
            super("the trainer is stopping", null, false, false);
        }
    }

    private final TrainingSet trainingSet;
    private final ClassifierTrainerConfig optimiser;
    private final TrainingTargets trainingTargets;
    private final float labelSmoothing;
    private final LabelBinarisation binarisation;
    private final ImageDecoder decoder;
    private final ImageDecoder prefetchDecoder;
    private final TrainerProgress progress;
    private final BooleanSupplier stopping;
    private final Runnable betweenSteps;
    private final HeldOutSignal heldOutSignal;
    private final Path snapshot;
    private final float continuousLearningRateFactor;
    private final float verifiedWeight;

    /** A runner without a held-out signal: ALGORITHM.md's train-label rule picks the epoch. */
    RoundRunner(
            TrainingSet trainingSet,
            ClassifierTrainerConfig optimiser,
            TrainingTargets trainingTargets,
            float labelSmoothing,
            LabelBinarisation binarisation,
            TrainerProgress progress,
            BooleanSupplier stopping,
            Runnable betweenSteps) {
        this(
                trainingSet,
                optimiser,
                trainingTargets,
                labelSmoothing,
                binarisation,
                progress,
                stopping,
                betweenSteps,
                null,
                null,
                1f);
    }

    /**
     * @param trainingTargets what the pseudo-labels become as BCE targets
     * @param labelSmoothing  epsilon of {@link TrainingTargets#LABEL_SMOOTHING}
     * @param betweenSteps    run before every step: the trainer keeps reading its input there, so that
     *                        the training set (and the status) keep up with the topics while a round runs
     * @param heldOutSignal   the held-out signal that picks the epoch where the slice is large enough; null: none
     * @param snapshot        where the weights of the best epoch so far are saved (the store's candidate file)
     * @param continuousLearningRateFactor the learning rates of CONTINUOUS rounds as a multiple of {@code optimiser}'s
     */
    RoundRunner(
            TrainingSet trainingSet,
            ClassifierTrainerConfig optimiser,
            TrainingTargets trainingTargets,
            float labelSmoothing,
            LabelBinarisation binarisation,
            TrainerProgress progress,
            BooleanSupplier stopping,
            Runnable betweenSteps,
            HeldOutSignal heldOutSignal,
            Path snapshot,
            float continuousLearningRateFactor) {
        this(
                trainingSet,
                optimiser,
                trainingTargets,
                labelSmoothing,
                binarisation,
                progress,
                stopping,
                betweenSteps,
                heldOutSignal,
                snapshot,
                continuousLearningRateFactor,
                1f);
    }

    /**
     * As above, with {@code verifiedWeight} the weight of a VERIFIED label's supervised loss term (a
     * pseudo-label's is 1).
     */
    RoundRunner(
            TrainingSet trainingSet,
            ClassifierTrainerConfig optimiser,
            TrainingTargets trainingTargets,
            float labelSmoothing,
            LabelBinarisation binarisation,
            TrainerProgress progress,
            BooleanSupplier stopping,
            Runnable betweenSteps,
            HeldOutSignal heldOutSignal,
            Path snapshot,
            float continuousLearningRateFactor,
            float verifiedWeight) {
        if (!(verifiedWeight >= 0) || Float.isInfinite(verifiedWeight)) {
            throw new IllegalArgumentException(
                    "the verified labels' weight must be finite and >= 0, got " + verifiedWeight);
        }
        this.verifiedWeight = verifiedWeight;
        this.trainingSet = trainingSet;
        this.optimiser = optimiser;
        this.trainingTargets = trainingTargets;
        this.labelSmoothing = labelSmoothing;
        this.binarisation = binarisation;
        this.decoder = ImageDecoder.builder().build();
        this.prefetchDecoder = ImageDecoder.builder().build();
        this.progress = progress;
        this.stopping = stopping;
        this.betweenSteps = betweenSteps;
        this.heldOutSignal = heldOutSignal;
        this.snapshot = snapshot;
        this.continuousLearningRateFactor = continuousLearningRateFactor;
    }

    /**
     * Trains {@code classifier} in place.
     *
     * @throws Stopped if the trainer was asked to stop; the classifier is then half-trained
     */
    RoundResult run(Classifier classifier, TrainingRound round, long seed) {
        List<TrainingExample> examples = round.examples();
        float[][] targets = targets(round);
        // the pixels of the round's images stay on disk while the training set moves on
        trainingSet.pin(examples);
        trainingSet.pin(trainingSet.heldOut());
        try {
            return run(classifier, round, seed, examples, targets);
        } finally {
            try {
                trainingSet.unpin();
            } catch (IOException e) {
                LOG.warn(
                        "Could not delete the pixels of images that left the training set during the round: {}",
                        e.toString());
            }
        }
    }

    private RoundResult run(
            Classifier classifier, TrainingRound round, long seed, List<TrainingExample> examples, float[][] targets) {
        // the starting weights on this round's targets: a refinement round's targets are not the warm-up's,
        // so its first epoch is compared with this, not with the warm-up's own figure
        double baseline = round.baseVersion() > 0 ? trainMap(classifier, examples, targets) : Double.NaN;
        if (!Double.isNaN(baseline)) {
            LOG.info(
                    "{} round: the starting weights (v{}) have train-label mAP {} on its targets",
                    round.phase(),
                    round.baseVersion(),
                    String.format(Locale.ROOT, "%.2f", baseline));
        }
        Slice slice = slice();
        HeldOutSignal.Result baselineHeldOut =
                slice != null && round.baseVersion() > 0 ? heldOut(classifier, slice) : null;
        if (baselineHeldOut != null) {
            LOG.info(
                    "{} round: the starting weights (v{}) have held-out mAP {}",
                    round.phase(),
                    round.baseVersion(),
                    baselineHeldOut);
        }
        List<Double> maps = new ArrayList<>();
        List<Double> losses = new ArrayList<>();
        List<HeldOutSignal.Result> heldOut = new ArrayList<>();
        int best = 0;
        String bestSha256 = null;
        Random order = new Random(seed);
        progress.roundStarted(round, (examples.size() + optimiser.batchSize() - 1) / optimiser.batchSize());
        try (ClassifierTrainer trainer = classifier.newTrainer(optimiser(round))) {
            for (int epoch = 1; epoch <= round.maxEpochs(); epoch++) {
                losses.add(epoch(trainer, round, targets, epoch, order));
                maps.add(trainMap(classifier, examples, targets));
                progress.epochDone(round.phase(), epoch, round.maxEpochs(), losses.get(epoch - 1), maps);
                if (slice != null) {
                    heldOut.add(heldOut(classifier, slice));
                    if (best == 0
                            || heldOut.get(epoch - 1).map()
                                    > heldOut.get(best - 1).map()) {
                        best = epoch;
                        bestSha256 = round.earlyStopping() && epoch < round.maxEpochs() ? save(classifier) : null;
                    }
                    if (round.earlyStopping() && epoch - best >= PATIENCE) {
                        break;
                    }
                } else if (round.earlyStopping()
                        && EarlyStopping.firstRise(toArray(maps)).isPresent()) {
                    LOG.info(
                            "{}: the early-stopping rule keeps epoch {} (train-label mAP per epoch {})",
                            round.phase(),
                            epoch,
                            format(maps));
                    break;
                }
            }
        }
        if (slice == null) {
            return RoundResult.trainLabels(maps, losses, maps.size(), baseline, (long) maps.size() * examples.size());
        }
        int kept = round.earlyStopping() ? best : maps.size();
        LOG.info(
                "{}: keeping epoch {} by the held-out mAP (per epoch {}; train-label mAP per epoch {})",
                round.phase(),
                kept,
                format(heldOut.stream().map(HeldOutSignal.Result::map).toList()),
                format(maps));
        return new RoundResult(
                maps,
                losses,
                kept,
                baseline,
                (long) kept * examples.size(),
                heldOut,
                baselineHeldOut,
                kept < maps.size() ? bestSha256 : null);
    }

    /** The optimiser of {@code round}: a CONTINUOUS round's learning rates are scaled. */
    ClassifierTrainerConfig optimiser(TrainingRound round) {
        if (round.phase() != CheckpointPhase.CONTINUOUS || continuousLearningRateFactor == 1f) {
            return optimiser;
        }
        return new ClassifierTrainerConfig(
                optimiser.learningRate() * continuousLearningRateFactor,
                optimiser.headLearningRateFactor(),
                optimiser.batchSize(),
                optimiser.seed(),
                optimiser.flipProbability(),
                optimiser.jitter(),
                optimiser.strongView(),
                optimiser.freezeBackbone());
    }

    /** The slice and its frozen labels, if the held-out signal decides this round. */
    private Slice slice() {
        if (heldOutSignal == null) {
            return null;
        }
        List<TrainingExample> examples = trainingSet.heldOut();
        float[][] labels = examples.stream().map(e -> e.label().scores()).toArray(float[][]::new);
        // whether a class counts depends on the labels alone: the labels scored as predictions tell
        if (!heldOutSignal.evaluate(labels, labels).present()) {
            LOG.info(
                    "The held-out slice ({} images, {} needed, classes with {} positives: {}) gives no signal yet;"
                            + " the train-label rules decide",
                    examples.size(),
                    heldOutSignal.minImages(),
                    heldOutSignal.minPositives(),
                    heldOutSignal.evaluate(labels, labels).classes());
            return null;
        }
        return new Slice(examples, labels);
    }

    private record Slice(List<TrainingExample> examples, float[][] labels) {}

    private String save(Classifier classifier) {
        try {
            return classifier.save(snapshot);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the best epoch's weights to " + snapshot, e);
        }
    }

    private static List<String> format(List<Double> values) {
        return values.stream().map(m -> String.format(Locale.ROOT, "%.2f", m)).toList();
    }

    private double epoch(ClassifierTrainer trainer, TrainingRound round, float[][] targets, int epoch, Random order) {
        List<Integer> indices = new ArrayList<>();
        for (int i = 0; i < round.examples().size(); i++) {
            indices.add(i);
        }
        Collections.shuffle(indices, order);
        int batchSize = optimiser.batchSize();
        int steps = (indices.size() + batchSize - 1) / batchSize;
        double lossSum = 0;
        // the next batch is read and decoded on a thread of its own while this one trains; it is
        // awaited before the next step's input reading, so nothing else runs beside that
        ExecutorService prefetch = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "ccd-trainer-prefetch");
            thread.setDaemon(true);
            return thread;
        });
        try {
            Future<List<RgbImage>> next = null;
            for (int step = 0; step < steps; step++) {
                if (stopping.getAsBoolean()) {
                    throw new Stopped();
                }
                betweenSteps.run();
                List<Integer> batch =
                        indices.subList(step * batchSize, Math.min(indices.size(), (step + 1) * batchSize));
                List<RgbImage> images = next != null ? await(next) : decode(decoder, examples(round, batch));
                next = null;
                if (step + 1 < steps) {
                    List<TrainingExample> following = examples(
                            round,
                            indices.subList((step + 1) * batchSize, Math.min(indices.size(), (step + 2) * batchSize)));
                    next = prefetch.submit(() -> decode(prefetchDecoder, following));
                }
                float[][] batchTargets = batch.stream().map(i -> targets[i]).toArray(float[][]::new);
                float loss = trainer.trainStep(images, batchTargets, weights(examples(round, batch)), round.beta());
                lossSum += (double) loss * batch.size();
                progress.stepDone(round.phase(), epoch, round.maxEpochs(), step + 1, steps, loss);
                if (next != null) {
                    // decoded before the next step reads its input
                    List<RgbImage> ready = await(next);
                    next = CompletableFuture.completedFuture(ready);
                }
            }
        } finally {
            prefetch.shutdownNow();
        }
        return lossSum / indices.size();
    }

    /** The loss weight of each example: the verified weight for a VERIFIED label, 1 otherwise; null when all are 1. */
    private float[] weights(List<TrainingExample> batch) {
        if (verifiedWeight == 1f || batch.stream().noneMatch(e -> e.label().verified())) {
            return null;
        }
        float[] weights = new float[batch.size()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = batch.get(i).label().verified() ? verifiedWeight : 1f;
        }
        return weights;
    }

    /** The held-out signal of the classifier's sigmoid outputs on the slice. */
    private HeldOutSignal.Result heldOut(Classifier classifier, Slice slice) {
        return heldOutSignal.evaluate(predict(classifier, slice.examples()), slice.labels());
    }

    /** mAP (%) of the classifier's sigmoid outputs against the binarised targets. */
    private double trainMap(Classifier classifier, List<TrainingExample> examples, float[][] targets) {
        return MeanAveragePrecision.trainMap(predict(classifier, examples), targets, binarisation)
                .map();
    }

    private float[][] predict(Classifier classifier, List<TrainingExample> examples) {
        float[][] predictions = new float[examples.size()][];
        for (int start = 0; start < examples.size(); start += Classifier.MAX_BATCH_SIZE) {
            List<TrainingExample> batch =
                    examples.subList(start, Math.min(examples.size(), start + Classifier.MAX_BATCH_SIZE));
            float[][] part = classifier.predict(decode(batch));
            System.arraycopy(part, 0, predictions, start, part.length);
        }
        return predictions;
    }

    private static List<TrainingExample> examples(TrainingRound round, List<Integer> batch) {
        return batch.stream().map(round.examples()::get).toList();
    }

    private static List<RgbImage> await(Future<List<RgbImage>> decoded) {
        try {
            return decoded.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Stopped();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("decoding a training batch failed", e.getCause());
        }
    }

    private List<RgbImage> decode(List<TrainingExample> batch) {
        return decode(decoder, batch);
    }

    private List<RgbImage> decode(ImageDecoder decoder, List<TrainingExample> batch) {
        List<RgbImage> images = new ArrayList<>(batch.size());
        for (TrainingExample example : batch) {
            try {
                images.add(decoder.decode(trainingSet.pixels(example)).image());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the pixels of image " + example.imageId(), e);
            } catch (ImageInputException e) {
                throw new UncheckedIOException(new IOException(
                        "the stored pixels of image " + example.imageId() + " no longer decode: " + e.getMessage(), e));
            }
        }
        return images;
    }

    private float[][] targets(TrainingRound round) {
        return round.examples().stream()
                .map(e -> trainingTargets.of(round.targets(e), labelSmoothing))
                .toArray(float[][]::new);
    }

    private static double[] toArray(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
