package io.ccdstream.models.classifier;

import io.ccdstream.method.image.Resampler;
import io.ccdstream.method.image.RgbImage;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The two training views of ALGORITHM.md section 5, in plain Java on {@link RgbImage}s:
 *
 * <ul>
 *   <li>weak: resize to the square input (aspect ratio not kept, as the classifier's inference
 *       preprocessing) and a horizontal flip with probability {@code flipProbability};
 *   <li>strong: the same resize, its own independent flip, then {@link ColorJitter}.
 * </ul>
 *
 * Immutable and thread-safe; all randomness comes from the generator passed in, so a seeded
 * generator reproduces the views exactly.
 */
public final class Augmentations {

    private final int size;
    private final double flipProbability;
    private final ColorJitter jitter;

    /**
     * @param size side of the square output
     * @param flipProbability probability of a horizontal flip, in [0, 1]
     * @param jitter the strong view's colour jitter
     */
    public Augmentations(int size, double flipProbability, ColorJitter jitter) {
        if (size < 1) {
            throw new IllegalArgumentException("size must be positive, got " + size);
        }
        if (!(flipProbability >= 0 && flipProbability <= 1)) {
            throw new IllegalArgumentException("flipProbability must be in [0, 1], got " + flipProbability);
        }
        this.size = size;
        this.flipProbability = flipProbability;
        this.jitter = Objects.requireNonNull(jitter, "jitter");
    }

    /**
     * The paper's views: flip probability 0.5 and {@link ColorJitter#CCD_STRONG}.
     *
     * @param size side of the square output
     * @return the augmentations
     */
    public static Augmentations ccd(int size) {
        return new Augmentations(size, 0.5, ColorJitter.CCD_STRONG);
    }

    /**
     * @param image any image
     * @param random the source of randomness
     * @return the weak view: resized, flipped with the configured probability
     */
    public RgbImage weak(RgbImage image, RandomGenerator random) {
        RgbImage resized = Resampler.resize(image, size, size);
        return random.nextDouble() < flipProbability ? flipHorizontal(resized) : resized;
    }

    /**
     * @param image any image
     * @param random the source of randomness
     * @return the strong view: resized, flipped independently of the weak view, colour-jittered
     */
    public RgbImage strong(RgbImage image, RandomGenerator random) {
        return jitter.apply(weak(image, random), random);
    }

    /**
     * Mirrors an image left to right: pixel {@code (x, y)} moves to {@code (width - 1 - x, y)}.
     *
     * @param image the image
     * @return the mirrored image
     */
    public static RgbImage flipHorizontal(RgbImage image) {
        int w = image.width();
        int h = image.height();
        int[] pixels = image.pixels();
        for (int y = 0; y < h; y++) {
            int row = y * w;
            for (int left = row, right = row + w - 1; left < right; left++, right--) {
                int t = pixels[left];
                pixels[left] = pixels[right];
                pixels[right] = t;
            }
        }
        return RgbImage.of(w, h, pixels);
    }
}
