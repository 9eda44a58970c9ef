package io.ccdstream.models.classifier;

import java.util.Objects;

/**
 * Optimiser and augmentation settings of {@link ClassifierTrainer}; defaults are ALGORITHM.md
 * section 5: Adam with learning rate 1e-5 on the backbone and 10x on the head, batch 16,
 * horizontal flips with probability 0.5, colour jitter 0.5 for the strong view ({@link
 * StrongView#COLOUR}), backbone trained.
 *
 * @param learningRate Adam learning rate of the backbone
 * @param headLearningRateFactor the head's learning rate is {@code learningRate} times this
 * @param batchSize images per step in {@link ClassifierTrainer#trainEpoch}
 * @param seed seed of the augmentations and of the epoch shuffling
 * @param flipProbability probability of a horizontal flip, for each view independently
 * @param jitter the strong view's colour jitter
 * @param strongView what the strong view does
 * @param freezeBackbone whether the backbone's weights stay as they are (only the head learns;
 *     batch-norm statistics still follow the training batches)
 */
public record ClassifierTrainerConfig(
        float learningRate,
        float headLearningRateFactor,
        int batchSize,
        long seed,
        double flipProbability,
        ColorJitter jitter,
        StrongView strongView,
        boolean freezeBackbone) {

    /** @throws IllegalArgumentException for a value out of range */
    public ClassifierTrainerConfig {
        if (!(learningRate > 0) || Float.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be positive and finite, got " + learningRate);
        }
        if (!(headLearningRateFactor > 0) || Float.isInfinite(headLearningRateFactor)) {
            throw new IllegalArgumentException(
                    "headLearningRateFactor must be positive and finite, got " + headLearningRateFactor);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be positive, got " + batchSize);
        }
        if (!(flipProbability >= 0 && flipProbability <= 1)) {
            throw new IllegalArgumentException("flipProbability must be in [0, 1], got " + flipProbability);
        }
        Objects.requireNonNull(jitter, "jitter");
        Objects.requireNonNull(strongView, "strongView");
    }

    /** @return the defaults of ALGORITHM.md section 5 */
    public static ClassifierTrainerConfig defaults() {
        return builder().build();
    }

    /** @return a builder with the defaults of ALGORITHM.md section 5 */
    public static Builder builder() {
        return new Builder();
    }

    /** Builder for {@link ClassifierTrainerConfig}; every value has a default. */
    public static final class Builder {
        private float learningRate = 1e-5f;
        private float headLearningRateFactor = 10f;
        private int batchSize = 16;
        private long seed;
        private double flipProbability = 0.5;
        private ColorJitter jitter = ColorJitter.CCD_STRONG;
        private StrongView strongView = StrongView.COLOUR;
        private boolean freezeBackbone;

        private Builder() {}

        /**
         * @param learningRate backbone learning rate, default 1e-5
         * @return this builder
         */
        public Builder optLearningRate(float learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        /**
         * @param factor head learning rate over backbone learning rate, default 10
         * @return this builder
         */
        public Builder optHeadLearningRateFactor(float factor) {
            this.headLearningRateFactor = factor;
            return this;
        }

        /**
         * @param batchSize images per step of an epoch, default 16
         * @return this builder
         */
        public Builder optBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /**
         * @param seed seed of augmentations and shuffling, default 0
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * @param flipProbability horizontal flip probability per view, default 0.5
         * @return this builder
         */
        public Builder optFlipProbability(double flipProbability) {
            this.flipProbability = flipProbability;
            return this;
        }

        /**
         * @param jitter strong-view colour jitter, default {@link ColorJitter#CCD_STRONG}
         * @return this builder
         */
        public Builder optJitter(ColorJitter jitter) {
            this.jitter = jitter;
            return this;
        }

        /**
         * @param strongView what the strong view does, default {@link StrongView#COLOUR}
         * @return this builder
         */
        public Builder optStrongView(StrongView strongView) {
            this.strongView = strongView;
            return this;
        }

        /**
         * @param freezeBackbone whether only the head learns, default false
         * @return this builder
         */
        public Builder optFreezeBackbone(boolean freezeBackbone) {
            this.freezeBackbone = freezeBackbone;
            return this;
        }

        /** @return the configuration */
        public ClassifierTrainerConfig build() {
            return new ClassifierTrainerConfig(
                    learningRate,
                    headLearningRateFactor,
                    batchSize,
                    seed,
                    flipProbability,
                    jitter,
                    strongView,
                    freezeBackbone);
        }
    }
}
