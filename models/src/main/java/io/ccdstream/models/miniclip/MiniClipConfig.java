package io.ccdstream.models.miniclip;

import io.ccdstream.data.synth.SynthWorld;
import io.ccdstream.models.clip.MiniClipArchitecture;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything that determines a trained mini-CLIP: the training data (SynthScenes and their
 * captions), the architecture and the optimisation. Same configuration, same machine: the same
 * model, up to the non-determinism of multi-threaded float reductions in libtorch.
 *
 * <p>Built with {@link #builder()}: {@link Builder#setSeed(long)} is required, every {@code opt*}
 * has the documented default, which is the configuration of the bundled model.
 *
 * @param seed seed of the training scenes, caption choices, weight initialisation and shuffling
 * @param sceneSize side of the generated SynthScenes images
 * @param imageSize side of the model's image input
 * @param trainImages number of training image-caption pairs
 * @param epochs passes over the training pairs
 * @param batchSize pairs per contrastive batch
 * @param learningRate peak Adam learning rate (linear warm-up, then cosine decay to 1%)
 * @param weightDecay Adam weight decay
 * @param embeddingDim dimension of the joint embedding
 * @param architecture the encoders' shape ({@link MiniClipArchitecture#vocabularySize()} is set
 *     from the caption vocabulary, whatever is given here)
 * @param contextLength token sequence length
 * @param zipfExponent exponent of the long tail of class frequencies in the training scenes
 * @param classPermutationSeed which classes are frequent: seed of the rank permutation, fixed
 *     apart from the training seed so that retrains share the same head and tail classes
 * @param salientShare probability that a caption names the largest object rather than any object
 * @param smallShare share of objects drawn small in the {@link SynthWorld#SMALL_OBJECTS} training
 *     scenes (scenes of other worlds use their world's default)
 * @param worlds the SynthScenes worlds of the training scenes, in turn: image {@code i} is image
 *     {@code i} of the world {@code worlds[i % worlds.size()]}, so each world gets an equal share
 * @param modelId the model id written into the descriptor
 */
public record MiniClipConfig(
        long seed,
        int sceneSize,
        int imageSize,
        int trainImages,
        int epochs,
        int batchSize,
        float learningRate,
        float weightDecay,
        int embeddingDim,
        MiniClipArchitecture architecture,
        int contextLength,
        double zipfExponent,
        long classPermutationSeed,
        double salientShare,
        double smallShare,
        List<SynthWorld> worlds,
        String modelId) {

    /** Default {@link #trainImages()}. */
    public static final int DEFAULT_TRAIN_IMAGES = 12_000;
    /** Default {@link #epochs()}. */
    public static final int DEFAULT_EPOCHS = 10;

    /** Validates. */
    public MiniClipConfig {
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(worlds, "worlds");
        worlds = List.copyOf(worlds);
        if (worlds.isEmpty() || worlds.size() != Set.copyOf(worlds).size()) {
            throw new IllegalArgumentException("worlds must be one or more distinct worlds, got " + worlds);
        }
        positive("sceneSize", sceneSize);
        positive("imageSize", imageSize);
        positive("trainImages", trainImages);
        positive("epochs", epochs);
        if (batchSize < 2) {
            throw new IllegalArgumentException("batchSize must be at least 2 for a contrastive loss, got " + batchSize);
        }
        positive("embeddingDim", embeddingDim);
        if (contextLength < 3) {
            throw new IllegalArgumentException("contextLength must be at least 3, got " + contextLength);
        }
        if (!(learningRate > 0) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("need learningRate > 0 and weightDecay >= 0");
        }
        if (!(zipfExponent >= 0)
                || !(salientShare >= 0 && salientShare <= 1)
                || !(smallShare >= 0 && smallShare <= 1)) {
            throw new IllegalArgumentException("need zipfExponent >= 0 and salientShare, smallShare in [0, 1]");
        }
        List<String> problems = architecture.problems(imageSize);
        problems.removeIf(p -> p.contains("vocabularySize"));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    /** @return a builder with the bundled model's configuration; the seed is required */
    public static Builder builder() {
        return new Builder();
    }

    /** Builder for {@link MiniClipConfig}. */
    public static final class Builder {
        private Long seed;
        private int sceneSize = 128;
        private int imageSize = 64;
        private int trainImages = DEFAULT_TRAIN_IMAGES;
        private int epochs = DEFAULT_EPOCHS;
        private int batchSize = 128;
        private float learningRate = 2e-3f;
        private float weightDecay = 0f;
        private int embeddingDim = 64;
        private MiniClipArchitecture architecture = new MiniClipArchitecture(List.of(32, 64, 128, 192), 2, 0, 128);
        private int contextLength = 12;
        private double zipfExponent = 2.0;
        private long classPermutationSeed = 20;
        private double salientShare = 0.85;
        private double smallShare = 0.4;
        private List<SynthWorld> worlds = List.of(SynthWorld.SMALL_OBJECTS, SynthWorld.VOC_LIKE);
        private String modelId = "mini-clip";

        private Builder() {}

        /** @param seed the training seed, required @return this builder */
        public Builder setSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** @param sceneSize SynthScenes image side, default 128 @return this builder */
        public Builder optSceneSize(int sceneSize) {
            this.sceneSize = sceneSize;
            return this;
        }

        /** @param imageSize model input side, default 64 @return this builder */
        public Builder optImageSize(int imageSize) {
            this.imageSize = imageSize;
            return this;
        }

        /** @param trainImages training pairs, default {@value MiniClipConfig#DEFAULT_TRAIN_IMAGES} @return this builder */
        public Builder optTrainImages(int trainImages) {
            this.trainImages = trainImages;
            return this;
        }

        /** @param epochs passes over the data, default {@value MiniClipConfig#DEFAULT_EPOCHS} @return this builder */
        public Builder optEpochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        /** @param batchSize pairs per batch, default 128 @return this builder */
        public Builder optBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** @param learningRate peak learning rate, default 2e-3 @return this builder */
        public Builder optLearningRate(float learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        /** @param weightDecay Adam weight decay, default 0 @return this builder */
        public Builder optWeightDecay(float weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        /** @param embeddingDim joint embedding dimension, default 64 @return this builder */
        public Builder optEmbeddingDim(int embeddingDim) {
            this.embeddingDim = embeddingDim;
            return this;
        }

        /**
         * @param architecture encoder shape, default widths [32, 64, 128, 192], 2 convolutions per
         *     stage, text width 128 (the vocabulary size is derived from the captions)
         * @return this builder
         */
        public Builder optArchitecture(MiniClipArchitecture architecture) {
            this.architecture = architecture;
            return this;
        }

        /** @param contextLength token sequence length, default 12 @return this builder */
        public Builder optContextLength(int contextLength) {
            this.contextLength = contextLength;
            return this;
        }

        /** @param zipfExponent long-tail exponent, default 2.0 @return this builder */
        public Builder optZipfExponent(double zipfExponent) {
            this.zipfExponent = zipfExponent;
            return this;
        }

        /** @param classPermutationSeed seed of the class ranks, default 20 @return this builder */
        public Builder optClassPermutationSeed(long classPermutationSeed) {
            this.classPermutationSeed = classPermutationSeed;
            return this;
        }

        /** @param salientShare share of captions naming the largest object, default 0.85 @return this builder */
        public Builder optSalientShare(double salientShare) {
            this.salientShare = salientShare;
            return this;
        }

        /** @param smallShare share of small objects in training scenes, default 0.4 @return this builder */
        public Builder optSmallShare(double smallShare) {
            this.smallShare = smallShare;
            return this;
        }

        /**
         * @param worlds worlds of the training scenes, taken in turn; default small-objects and
         *     voc-like
         * @return this builder
         */
        public Builder optWorlds(List<SynthWorld> worlds) {
            this.worlds = worlds;
            return this;
        }

        /** @param modelId descriptor model id, default "mini-clip" @return this builder */
        public Builder optModelId(String modelId) {
            this.modelId = modelId;
            return this;
        }

        /**
         * @return the configuration
         * @throws IllegalStateException without a seed
         * @throws IllegalArgumentException for an invalid value
         */
        public MiniClipConfig build() {
            if (seed == null) {
                throw new IllegalStateException("setSeed is required");
            }
            return new MiniClipConfig(
                    seed,
                    sceneSize,
                    imageSize,
                    trainImages,
                    epochs,
                    batchSize,
                    learningRate,
                    weightDecay,
                    embeddingDim,
                    architecture,
                    contextLength,
                    zipfExponent,
                    classPermutationSeed,
                    salientShare,
                    smallShare,
                    worlds,
                    modelId);
        }
    }
}
