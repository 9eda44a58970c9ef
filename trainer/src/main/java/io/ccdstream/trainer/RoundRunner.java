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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the epochs of a {@link TrainingRound} on a classifier in place: batches decoded from the
 * training set as they are needed, one optimiser step each, and after each epoch the label-free
 * train-label mAP (the classifier's sigmoid outputs against the binarised pseudo-labels, ALGORITHM.md
 * section 5). With early stopping, the round ends at the first epoch where the rule fires
 * ({@link EarlyStopping#firstRise}): since the rule is checked after every epoch, that epoch is the
 * current one, so its weights are the classifier's; without it fires, the last epoch is kept.
 */
final class RoundRunner {

    private static final Logger LOG = LoggerFactory.getLogger(RoundRunner.class);

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
    private final TrainerProgress progress;
    private final BooleanSupplier stopping;
    private final Runnable betweenSteps;

    /**
     * @param trainingTargets what the pseudo-labels become as BCE targets
     * @param labelSmoothing  epsilon of {@link TrainingTargets#LABEL_SMOOTHING}
     * @param betweenSteps    run before every step: the trainer keeps reading its input there, so that
     *                        the training set (and the status) keep up with the topics while a round runs
     */
    RoundRunner(
            TrainingSet trainingSet,
            ClassifierTrainerConfig optimiser,
            TrainingTargets trainingTargets,
            float labelSmoothing,
            LabelBinarisation binarisation,
            TrainerProgress progress,
            BooleanSupplier stopping,
            Runnable betweenSteps) {
        this.trainingSet = trainingSet;
        this.optimiser = optimiser;
        this.trainingTargets = trainingTargets;
        this.labelSmoothing = labelSmoothing;
        this.binarisation = binarisation;
        this.decoder = ImageDecoder.builder().build();
        this.progress = progress;
        this.stopping = stopping;
        this.betweenSteps = betweenSteps;
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
        List<Double> maps = new ArrayList<>();
        List<Double> losses = new ArrayList<>();
        Random order = new Random(seed);
        progress.roundStarted(round, (examples.size() + optimiser.batchSize() - 1) / optimiser.batchSize());
        try (ClassifierTrainer trainer = classifier.newTrainer(optimiser)) {
            for (int epoch = 1; epoch <= round.maxEpochs(); epoch++) {
                losses.add(epoch(trainer, round, targets, epoch, order));
                maps.add(trainMap(classifier, examples, targets));
                progress.epochDone(round.phase(), epoch, round.maxEpochs(), losses.get(epoch - 1), maps);
                if (round.earlyStopping()
                        && EarlyStopping.firstRise(toArray(maps)).isPresent()) {
                    LOG.info(
                            "{}: the early-stopping rule keeps epoch {} (train-label mAP per epoch {})",
                            round.phase(),
                            epoch,
                            maps.stream()
                                    .map(m -> String.format(Locale.ROOT, "%.2f", m))
                                    .toList());
                    break;
                }
            }
        }
        return new RoundResult(maps, losses, maps.size(), baseline, (long) maps.size() * examples.size());
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
        for (int step = 0; step < steps; step++) {
            if (stopping.getAsBoolean()) {
                throw new Stopped();
            }
            betweenSteps.run();
            List<Integer> batch = indices.subList(step * batchSize, Math.min(indices.size(), (step + 1) * batchSize));
            float[][] batchTargets = batch.stream().map(i -> targets[i]).toArray(float[][]::new);
            float loss = trainer.trainStep(
                    decode(batch.stream().map(round.examples()::get).toList()), batchTargets, round.beta());
            lossSum += (double) loss * batch.size();
            progress.stepDone(round.phase(), epoch, round.maxEpochs(), step + 1, steps, loss);
        }
        return lossSum / indices.size();
    }

    /** mAP (%) of the classifier's sigmoid outputs against the binarised targets. */
    private double trainMap(Classifier classifier, List<TrainingExample> examples, float[][] targets) {
        float[][] predictions = new float[examples.size()][];
        for (int start = 0; start < examples.size(); start += Classifier.MAX_BATCH_SIZE) {
            List<TrainingExample> batch =
                    examples.subList(start, Math.min(examples.size(), start + Classifier.MAX_BATCH_SIZE));
            float[][] part = classifier.predict(decode(batch));
            System.arraycopy(part, 0, predictions, start, part.length);
        }
        return MeanAveragePrecision.trainMap(predictions, targets, binarisation).map();
    }

    private List<RgbImage> decode(List<TrainingExample> batch) {
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
