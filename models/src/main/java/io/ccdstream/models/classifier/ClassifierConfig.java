package io.ccdstream.models.classifier;

import io.ccdstream.method.image.ClipPreprocessor;
import io.ccdstream.method.image.ResizeMode;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * What a classifier is: its classes, backbone, input size, input normalisation and CAM scaling.
 * Everything here is written to and checked against a checkpoint's header.
 *
 * <p>Build with {@link #builder()}; {@link Builder#setClassNames(List)} is required. Immutable.
 */
public final class ClassifierConfig {

    /** ImageNet per-channel mean (R, G, B), torchvision's normalisation. */
    public static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
    /** ImageNet per-channel standard deviation (R, G, B). */
    public static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};
    /** Default side of the square input for the demo backbone. */
    public static final int DEFAULT_INPUT_SIZE = 128;

    private final List<String> classNames;
    private final Backbone backbone;
    private final int inputSize;
    private final float[] mean;
    private final float[] std;
    private final float camScale;
    private final long seed;
    private final ClipPreprocessor preprocessor;

    private ClassifierConfig(Builder builder) {
        this.classNames = List.copyOf(builder.classNames);
        this.backbone = builder.backbone;
        this.inputSize = builder.inputSize;
        this.mean = builder.mean.clone();
        this.std = builder.std.clone();
        this.camScale = builder.camScale;
        this.seed = builder.seed;
        this.preprocessor = ClipPreprocessor.builder()
                .setImageSize(inputSize)
                .optMean(mean)
                .optStd(std)
                .optResizeMode(ResizeMode.SQUASH)
                .build();
    }

    /** @return a builder; {@link Builder#setClassNames(List)} is required */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder pre-filled with this configuration */
    public Builder toBuilder() {
        return new Builder()
                .setClassNames(classNames)
                .optBackbone(backbone)
                .optInputSize(inputSize)
                .optMean(mean)
                .optStd(std)
                .optCamScale(camScale)
                .optSeed(seed);
    }

    /** @return the class names, in score order */
    public List<String> classNames() {
        return classNames;
    }

    /** @return C, the number of classes */
    public int numClasses() {
        return classNames.size();
    }

    /** @return the backbone */
    public Backbone backbone() {
        return backbone;
    }

    /** @return S, the side of the square model input */
    public int inputSize() {
        return inputSize;
    }

    /** @return per-channel mean (R, G, B) subtracted from [0, 1] pixel values */
    public float[] mean() {
        return mean.clone();
    }

    /** @return per-channel standard deviation (R, G, B) the pixel values are divided by */
    public float[] std() {
        return std.clone();
    }

    /** @return the factor positive CAM values are multiplied by (logits are not affected) */
    public float camScale() {
        return camScale;
    }

    /** @return the seed of the initial weights */
    public long seed() {
        return seed;
    }

    /**
     * The inference preprocessing: squash-resize to {@code S x S} (nothing cut off, so CAM
     * coordinates map linearly onto the whole image), then {@code (v / 255 - mean) / std}.
     *
     * @return the preprocessor
     */
    public ClipPreprocessor preprocessor() {
        return preprocessor;
    }

    @Override
    public String toString() {
        return "ClassifierConfig[classes=" + classNames.size() + ", backbone=" + backbone + ", inputSize=" + inputSize
                + ", camScale=" + camScale + ", seed=" + seed + "]";
    }

    /** Builder for {@link ClassifierConfig}. */
    public static final class Builder {
        private List<String> classNames;
        private Backbone backbone = Backbone.smallCnn();
        private int inputSize = DEFAULT_INPUT_SIZE;
        private float[] mean = IMAGENET_MEAN;
        private float[] std = IMAGENET_STD;
        private float camScale = 1f;
        private long seed;

        private Builder() {}

        /**
         * @param classNames distinct, non-blank class names in score order; required
         * @return this builder
         */
        public Builder setClassNames(List<String> classNames) {
            this.classNames = List.copyOf(Objects.requireNonNull(classNames, "classNames"));
            return this;
        }

        /**
         * @param backbone default {@link Backbone#smallCnn()}
         * @return this builder
         */
        public Builder optBackbone(Backbone backbone) {
            this.backbone = Objects.requireNonNull(backbone, "backbone");
            return this;
        }

        /**
         * @param inputSize side of the square input in pixels, default {@value ClassifierConfig#DEFAULT_INPUT_SIZE}
         *     (the paper uses 448 with ResNet-101)
         * @return this builder
         */
        public Builder optInputSize(int inputSize) {
            this.inputSize = inputSize;
            return this;
        }

        /**
         * @param mean per-channel mean (R, G, B), default {@link #IMAGENET_MEAN}
         * @return this builder
         */
        public Builder optMean(float[] mean) {
            this.mean = Objects.requireNonNull(mean, "mean").clone();
            return this;
        }

        /**
         * @param std per-channel standard deviation (R, G, B), default {@link #IMAGENET_STD}
         * @return this builder
         */
        public Builder optStd(float[] std) {
            this.std = Objects.requireNonNull(std, "std").clone();
            return this;
        }

        /**
         * Positive CAM values are multiplied by this factor before they are returned; negative
         * values and the logits are unchanged. Default 1 (no scaling); the released CCD script
         * uses 3. Only the relative height of positive and negative activations changes, which
         * matters to a min-max normalised CAM threshold (ALGORITHM.md section 4).
         *
         * @param camScale a finite positive factor
         * @return this builder
         */
        public Builder optCamScale(float camScale) {
            this.camScale = camScale;
            return this;
        }

        /**
         * @param seed seed of the initial weights (same seed, same weights), default 0
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * @return the configuration
         * @throws IllegalArgumentException if a value is missing or out of range
         */
        public ClassifierConfig build() {
            if (classNames == null || classNames.isEmpty()) {
                throw new IllegalArgumentException("setClassNames is required and needs at least one class");
            }
            if (classNames.stream().anyMatch(String::isBlank)
                    || new HashSet<>(classNames).size() != classNames.size()) {
                throw new IllegalArgumentException("class names must be distinct and non-blank, got " + classNames);
            }
            if (inputSize < 8) {
                throw new IllegalArgumentException("inputSize must be at least 8, got " + inputSize);
            }
            if (backbone instanceof Backbone.ResNet && inputSize <= 32) {
                throw new IllegalArgumentException("a ResNet backbone needs an input above 32 px, got " + inputSize);
            }
            if (!(camScale > 0) || Float.isInfinite(camScale)) {
                throw new IllegalArgumentException("camScale must be a finite positive factor, got " + camScale);
            }
            if (mean.length != 3 || std.length != 3) {
                throw new IllegalArgumentException("mean and std need 3 values (R, G, B)");
            }
            return new ClassifierConfig(this);
        }
    }
}
