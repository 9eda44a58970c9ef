package io.ccdstream.method.image;

import java.util.List;
import java.util.Objects;

/**
 * CLIP image preprocessing in plain Java: resize to the model's square input ({@link ResizeMode},
 * {@link Resampler}), scale to [0, 1], normalise per channel with {@code (v - mean) / std}, and lay
 * the result out as a {@code float[3 * size * size]} in CHW order (channel, row, column).
 *
 * <p>Defaults are OpenAI CLIP's: {@link ResizeMode#SHORTER_SIDE_CENTER_CROP}, {@link
 * #OPENAI_CLIP_MEAN} and {@link #OPENAI_CLIP_STD}. Instances are immutable and thread-safe.
 */
public final class ClipPreprocessor {

    /** OpenAI CLIP's per-channel mean (R, G, B). */
    public static final float[] OPENAI_CLIP_MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    /** OpenAI CLIP's per-channel standard deviation (R, G, B). */
    public static final float[] OPENAI_CLIP_STD = {0.26862954f, 0.26130258f, 0.27577711f};

    private final int imageSize;
    private final float[] mean;
    private final float[] std;
    private final ResizeMode resizeMode;
    /** Per channel, the normalised value of each byte: the same floats, without two divisions per value. */
    private final float[][] normalised = new float[3][256];

    private ClipPreprocessor(Builder builder) {
        this.imageSize = builder.imageSize;
        this.mean = builder.mean.clone();
        this.std = builder.std.clone();
        this.resizeMode = builder.resizeMode;
        for (int c = 0; c < 3; c++) {
            for (int v = 0; v < 256; v++) {
                normalised[c][v] = (v / 255f - mean[c]) / std[c];
            }
        }
    }

    /** @return a builder; {@link Builder#setImageSize(int)} is required */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the side of the square model input */
    public int imageSize() {
        return imageSize;
    }

    /** @return the resize mode */
    public ResizeMode resizeMode() {
        return resizeMode;
    }

    /**
     * Brings an image to {@code imageSize x imageSize} according to the resize mode.
     *
     * @param image any image
     * @return the square image
     */
    public RgbImage resize(RgbImage image) {
        if (resizeMode == ResizeMode.SQUASH) {
            return Resampler.resize(image, imageSize, imageSize);
        }
        int w = image.width();
        int h = image.height();
        // torchvision Resize(int): the shorter side becomes n, the longer int(n * long / short)
        int scaledW = w <= h ? imageSize : (int) ((long) imageSize * w / h);
        int scaledH = w <= h ? (int) ((long) imageSize * h / w) : imageSize;
        RgbImage scaled = Resampler.resize(image, scaledW, scaledH);
        int left = (int) Math.rint((scaledW - imageSize) / 2.0);
        int top = (int) Math.rint((scaledH - imageSize) / 2.0);
        return scaledW == imageSize && scaledH == imageSize ? scaled : scaled.crop(left, top, imageSize, imageSize);
    }

    /**
     * Resizes and normalises a batch into the model's input layout.
     *
     * @param images any images
     * @return {@code float[N * 3 * size * size]}, NCHW, normalised
     */
    public float[] toNchw(List<RgbImage> images) {
        int perImage = 3 * imageSize() * imageSize();
        float[] batch = new float[images.size() * perImage];
        for (int i = 0; i < images.size(); i++) {
            System.arraycopy(toChw(images.get(i)), 0, batch, i * perImage, perImage);
        }
        return batch;
    }

    /**
     * Resizes and normalises an image into the model's input layout.
     *
     * @param image any image
     * @return {@code float[3 * size * size]}, CHW, normalised
     */
    public float[] toChw(RgbImage image) {
        return normalise(resize(image));
    }

    /**
     * Normalises an image that already has the model's input size.
     *
     * @param square an image of {@code imageSize x imageSize}
     * @return {@code float[3 * size * size]}, CHW, {@code (v / 255 - mean[c]) / std[c]}
     * @throws IllegalArgumentException if the image is not of the input size
     */
    public float[] normalise(RgbImage square) {
        if (square.width() != imageSize || square.height() != imageSize) {
            throw new IllegalArgumentException("expected a " + imageSize + "x" + imageSize + " image, got " + square);
        }
        int plane = imageSize * imageSize;
        int[] pixels = square.pixelsNoCopy();
        float[] out = new float[3 * plane];
        float[] red = normalised[0];
        float[] green = normalised[1];
        float[] blue = normalised[2];
        for (int i = 0; i < plane; i++) {
            int rgb = pixels[i];
            out[i] = red[(rgb >> 16) & 0xFF];
            out[plane + i] = green[(rgb >> 8) & 0xFF];
            out[2 * plane + i] = blue[rgb & 0xFF];
        }
        return out;
    }

    /** Builder for {@link ClipPreprocessor}. */
    public static final class Builder {
        private int imageSize;
        private float[] mean = OPENAI_CLIP_MEAN;
        private float[] std = OPENAI_CLIP_STD;
        private ResizeMode resizeMode = ResizeMode.SHORTER_SIDE_CENTER_CROP;

        private Builder() {}

        /**
         * @param imageSize the side of the square model input, required
         * @return this builder
         */
        public Builder setImageSize(int imageSize) {
            this.imageSize = imageSize;
            return this;
        }

        /**
         * @param mean per-channel mean (R, G, B) of [0, 1] values; default OpenAI CLIP's
         * @return this builder
         */
        public Builder optMean(float[] mean) {
            this.mean = Objects.requireNonNull(mean, "mean").clone();
            return this;
        }

        /**
         * @param std per-channel standard deviation (R, G, B), all positive; default OpenAI CLIP's
         * @return this builder
         */
        public Builder optStd(float[] std) {
            this.std = Objects.requireNonNull(std, "std").clone();
            return this;
        }

        /**
         * @param resizeMode default {@link ResizeMode#SHORTER_SIDE_CENTER_CROP}
         * @return this builder
         */
        public Builder optResizeMode(ResizeMode resizeMode) {
            this.resizeMode = Objects.requireNonNull(resizeMode, "resizeMode");
            return this;
        }

        /**
         * @return the preprocessor
         * @throws IllegalArgumentException if the size is missing or mean/std are not 3 values
         */
        public ClipPreprocessor build() {
            if (imageSize < 1) {
                throw new IllegalArgumentException("imageSize must be set to a positive value, got " + imageSize);
            }
            if (mean.length != 3 || std.length != 3) {
                throw new IllegalArgumentException("mean and std need 3 values (R, G, B)");
            }
            for (float s : std) {
                if (!(s > 0)) {
                    throw new IllegalArgumentException("std values must be positive, got " + s);
                }
            }
            return new ClipPreprocessor(this);
        }
    }
}
