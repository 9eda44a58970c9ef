package io.ccdstream.models.classifier;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.FixedPerVarTracker;
import io.ccdstream.method.image.ClipPreprocessor;
import io.ccdstream.method.image.RgbImage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.locks.Lock;

/**
 * Trains a {@link Classifier} in place with the loss of ALGORITHM.md section 5:
 *
 * <pre>
 * L = BCE(z_weak, y) + beta * BCE(z_strong, stopgrad(sigmoid(z_weak)))
 * </pre>
 *
 * with soft targets y in [0, 1], z_weak the logits of the weak views (resize + random flip) and
 * z_strong those of the strong views (by default resize + own flip + colour jitter; see {@link
 * StrongView} for the others), see {@link Augmentations}. beta is 0 during warm-up (the strong views are then not computed at all) and 1
 * after. Adam; with {@code freezeBackbone} only the head is updated while the trainer is open;
 * the head's parameters get {@code headLearningRateFactor} times the backbone's
 * learning rate (a DJL {@link FixedPerVarTracker} keyed by parameter id).
 *
 * <p>Augmentations and epoch shuffling draw from one generator seeded by the configuration, so
 * a run is reproducible. Not thread-safe: one thread drives a trainer. A training step holds the
 * classifier's write lock, so concurrent inference waits for it. The train-label scores of the
 * early-stopping rule come from {@link Classifier#predict}.
 */
public final class ClassifierTrainer implements AutoCloseable {

    private final Classifier classifier;
    private final ClassifierTrainerConfig config;
    private final Trainer trainer;
    private final Augmentations augmentations;
    private final ClipPreprocessor preprocessor;
    private final int numClasses;
    private final Random random;
    private final CamClassifierBlock block;
    private long steps;
    private boolean closed;

    ClassifierTrainer(Classifier classifier, Model model, CamClassifierBlock block, ClassifierTrainerConfig config) {
        this.classifier = classifier;
        this.config = config;
        this.preprocessor = classifier.config().preprocessor();
        this.numClasses = classifier.config().numClasses();
        this.augmentations = new Augmentations(
                classifier.config().inputSize(), config.flipProbability(), config.jitter(), config.strongView());
        this.random = new Random(config.seed());
        this.block = block;
        if (config.freezeBackbone()) {
            // before the DJL trainer exists: it attaches gradients to the parameters that require them
            block.freezeBackbone(true);
        }
        FixedPerVarTracker.Builder learningRates = FixedPerVarTracker.builder().setDefaultValue(config.learningRate());
        for (Parameter head : block.headParameters()) {
            learningRates.put(head.getId(), config.learningRate() * config.headLearningRateFactor());
        }
        Optimizer adam =
                Optimizer.adam().optLearningRateTracker(learningRates.build()).build();
        this.trainer = model.newTrainer(new DefaultTrainingConfig(CcdLoss.BCE)
                .optOptimizer(adam)
                .optDevices(new Device[] {model.getNDManager().getDevice()}));
    }

    /** @return the configuration */
    public ClassifierTrainerConfig config() {
        return config;
    }

    /** @return optimiser steps taken so far */
    public long steps() {
        return steps;
    }

    /**
     * One optimiser step on one batch.
     *
     * @param images the batch, any sizes
     * @param targets {@code [N][C]} soft targets in [0, 1]
     * @param beta weight of the consistency term, at least 0 (0 in warm-up, 1 after)
     * @return the batch's loss before the step
     * @throws IllegalArgumentException if the targets do not fit the images and classes, or a value
     *     is out of range
     */
    public float trainStep(List<RgbImage> images, float[][] targets, float beta) {
        return trainStep(images, targets, null, beta);
    }

    /**
     * One optimiser step with a weight per image on the supervised term (e.g. a person's verified
     * labels above the pseudo-labels): {@code mean(w_i * BCE_ic) + beta * consistency}.
     *
     * @param weights one weight per image, finite and at least 0; null: every weight 1
     * @return the batch's loss before the step
     * @throws IllegalArgumentException as {@link #trainStep(List, float[][], float)}, or for a bad weight
     */
    public float trainStep(List<RgbImage> images, float[][] targets, float[] weights, float beta) {
        float[] flatTargets = validate(images, targets, beta);
        if (weights != null) {
            if (weights.length != images.size()) {
                throw new IllegalArgumentException(images.size() + " images but " + weights.length + " weights");
            }
            for (float w : weights) {
                if (!(w >= 0) || Float.isInfinite(w)) {
                    throw new IllegalArgumentException("a weight must be finite and >= 0, got " + w);
                }
            }
        }
        List<RgbImage> weak = new ArrayList<>(images.size());
        List<RgbImage> strong = beta > 0 ? new ArrayList<>(images.size()) : null;
        for (RgbImage image : images) {
            weak.add(augmentations.weak(image, random));
            if (strong != null) {
                strong.add(augmentations.strong(image, random));
            }
        }
        Lock write = classifier.lock().writeLock();
        write.lock();
        try {
            ensureOpen();
            return step(weak, strong, flatTargets, weights, beta);
        } finally {
            write.unlock();
        }
    }

    /**
     * One pass over a training set in a random order, in batches of the configured size (the
     * last batch may be smaller).
     *
     * @param images the training images
     * @param targets {@code [N][C]} soft targets in [0, 1], one row per image
     * @param beta weight of the consistency term
     * @return steps, images and the mean loss
     */
    public EpochSummary trainEpoch(List<RgbImage> images, float[][] targets, float beta) {
        validate(images, targets, beta);
        List<Integer> order = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, random);
        double lossSum = 0;
        int batches = 0;
        for (int start = 0; start < order.size(); start += config.batchSize()) {
            List<Integer> indices = order.subList(start, Math.min(order.size(), start + config.batchSize()));
            List<RgbImage> batchImages = new ArrayList<>(indices.size());
            float[][] batchTargets = new float[indices.size()][];
            for (int k = 0; k < indices.size(); k++) {
                batchImages.add(images.get(indices.get(k)));
                batchTargets[k] = targets[indices.get(k)];
            }
            lossSum += (double) trainStep(batchImages, batchTargets, beta) * indices.size();
            batches++;
        }
        return new EpochSummary(batches, images.size(), images.isEmpty() ? 0 : lossSum / images.size());
    }

    /** Releases the optimiser state; the classifier keeps its trained weights. */
    @Override
    public void close() {
        Lock write = classifier.lock().writeLock();
        write.lock();
        try {
            closeFromClassifier();
            classifier.trainerClosed(this);
        } finally {
            write.unlock();
        }
    }

    /** Called with the classifier's write lock held. */
    void closeFromClassifier() {
        if (!closed) {
            closed = true;
            trainer.close();
            if (config.freezeBackbone()) {
                block.freezeBackbone(false);
            }
        }
    }

    private float step(List<RgbImage> weak, List<RgbImage> strong, float[] targets, float[] weights, float beta) {
        try (NDManager scope = trainer.getManager().newSubManager()) {
            NDArray y = scope.create(targets, new Shape(weak.size(), numClasses));
            float loss;
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDArray zWeak = trainer.forward(new NDList(ImageBatch.toTensor(scope, preprocessor, weak)))
                        .get(0);
                NDArray zStrong = strong == null
                        ? null
                        : trainer.forward(new NDList(ImageBatch.toTensor(scope, preprocessor, strong)))
                                .get(0);
                NDArray value = weights == null
                        ? CcdLoss.loss(zWeak, y, zStrong, beta)
                        : CcdLoss.loss(zWeak, y, scope.create(weights), zStrong, beta);
                collector.backward(value);
                loss = value.getFloat();
            }
            trainer.step();
            steps++;
            return loss;
        }
    }

    private void ensureOpen() {
        classifier.ensureOpen();
        if (closed) {
            throw new IllegalStateException("the trainer is closed");
        }
    }

    private float[] validate(List<RgbImage> images, float[][] targets, float beta) {
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(targets, "targets");
        if (!(beta >= 0) || Float.isInfinite(beta)) {
            throw new IllegalArgumentException("beta must be finite and >= 0, got " + beta);
        }
        if (images.isEmpty()) {
            throw new IllegalArgumentException("a training batch needs at least one image");
        }
        if (targets.length != images.size()) {
            throw new IllegalArgumentException(images.size() + " images but " + targets.length + " target rows");
        }
        float[] flat = new float[targets.length * numClasses];
        for (int i = 0; i < targets.length; i++) {
            if (targets[i] == null || targets[i].length != numClasses) {
                throw new IllegalArgumentException("target row " + i + " must have " + numClasses + " values");
            }
            for (int c = 0; c < numClasses; c++) {
                float t = targets[i][c];
                if (!(t >= 0 && t <= 1)) {
                    throw new IllegalArgumentException("target [" + i + "][" + c + "] = " + t + " is not in [0, 1]");
                }
                flat[i * numClasses + c] = t;
            }
        }
        return flat;
    }
}
