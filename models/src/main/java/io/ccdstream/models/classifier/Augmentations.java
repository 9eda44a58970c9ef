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
 *   <li>strong: what the {@link StrongView} policy says: the same resize, or a random resized crop
 *       ({@link #cropRegion}), then its own independent flip, then cutout ({@link #cutout}) and
 *       {@link ColorJitter} if the policy has them. The paper's policy, {@link StrongView#COLOUR},
 *       is resize, flip and colour jitter.
 * </ul>
 *
 * Immutable and thread-safe; all randomness comes from the generator passed in, so a seeded
 * generator reproduces the views exactly.
 */
public final class Augmentations {

    /** Smallest area of a random resized crop, as a share of the image's area. */
    public static final double CROP_MIN_SCALE = 0.35;
    /** Aspect ratios (width / height) of a random resized crop lie in [3/4, 4/3] (torchvision's). */
    public static final double CROP_MAX_RATIO = 4.0 / 3;
    /** Side of the cutout square as a share of the view's side: at most 1/16 of the area. */
    public static final double CUTOUT_FRACTION = 0.25;
    /** The cutout's fill: the ImageNet mean colour (R, G, B 124, 116, 104). */
    public static final int CUTOUT_FILL = 0x7C7468;

    private static final int CROP_ATTEMPTS = 10;

    private final int size;
    private final double flipProbability;
    private final ColorJitter jitter;
    private final StrongView strongView;

    /**
     * Augmentations with the paper's strong view ({@link StrongView#COLOUR}).
     *
     * @param size side of the square output
     * @param flipProbability probability of a horizontal flip, in [0, 1]
     * @param jitter the strong view's colour jitter
     */
    public Augmentations(int size, double flipProbability, ColorJitter jitter) {
        this(size, flipProbability, jitter, StrongView.COLOUR);
    }

    /**
     * @param size side of the square output
     * @param flipProbability probability of a horizontal flip, in [0, 1]
     * @param jitter the colour jitter, used if the strong view has colour
     * @param strongView what the strong view does
     */
    public Augmentations(int size, double flipProbability, ColorJitter jitter, StrongView strongView) {
        if (size < 1) {
            throw new IllegalArgumentException("size must be positive, got " + size);
        }
        if (!(flipProbability >= 0 && flipProbability <= 1)) {
            throw new IllegalArgumentException("flipProbability must be in [0, 1], got " + flipProbability);
        }
        this.size = size;
        this.flipProbability = flipProbability;
        this.jitter = Objects.requireNonNull(jitter, "jitter");
        this.strongView = Objects.requireNonNull(strongView, "strongView");
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
        return flipped(Resampler.resize(image, size, size), random);
    }

    /**
     * @param image any image
     * @param random the source of randomness
     * @return the strong view of the configured policy, flipped independently of the weak view
     */
    public RgbImage strong(RgbImage image, RandomGenerator random) {
        RgbImage source = image;
        if (strongView.crop()) {
            Region region = cropRegion(image.width(), image.height(), random);
            source = image.crop(region.x(), region.y(), region.width(), region.height());
        }
        RgbImage view = flipped(Resampler.resize(source, size, size), random);
        if (strongView.cutout()) {
            view = cutout(view, Math.max(1, (int) Math.round(size * CUTOUT_FRACTION)), random);
        }
        return strongView.colour() ? jitter.apply(view, random) : view;
    }

    private RgbImage flipped(RgbImage image, RandomGenerator random) {
        return random.nextDouble() < flipProbability ? flipHorizontal(image) : image;
    }

    /** A rectangle of an image, in pixels. */
    public record Region(int x, int y, int width, int height) {}

    /**
     * The region of a random resized crop, as torchvision's {@code RandomResizedCrop.get_params}:
     * up to 10 draws of an area share uniform in [{@value #CROP_MIN_SCALE}, 1] and a log-uniform
     * aspect ratio in [3/4, 4/3], the first that fits placed uniformly; if none fits, the whole
     * image.
     *
     * @param width the image's width
     * @param height the image's height
     * @param random the source of randomness
     * @return a region inside the image
     */
    public static Region cropRegion(int width, int height, RandomGenerator random) {
        double area = (double) width * height;
        double logMaxRatio = Math.log(CROP_MAX_RATIO);
        for (int attempt = 0; attempt < CROP_ATTEMPTS; attempt++) {
            double target = area * random.nextDouble(CROP_MIN_SCALE, 1.0);
            double ratio = Math.exp(random.nextDouble(-logMaxRatio, logMaxRatio));
            int w = (int) Math.round(Math.sqrt(target * ratio));
            int h = (int) Math.round(Math.sqrt(target / ratio));
            if (w >= 1 && h >= 1 && w <= width && h <= height) {
                return new Region(random.nextInt(width - w + 1), random.nextInt(height - h + 1), w, h);
            }
        }
        return new Region(0, 0, width, height);
    }

    /**
     * Cutout: fills a {@code side x side} square centred on a uniformly drawn pixel with {@link
     * #CUTOUT_FILL}; the part outside the image is dropped, so the filled area is between {@code
     * ceil(side / 2)^2} and {@code side^2} pixels.
     *
     * @param image the image
     * @param side the square's side, at least 1
     * @param random the source of randomness
     * @return a new image with the square filled
     */
    public static RgbImage cutout(RgbImage image, int side, RandomGenerator random) {
        if (side < 1) {
            throw new IllegalArgumentException("cutout side must be positive, got " + side);
        }
        int w = image.width();
        int h = image.height();
        int left = random.nextInt(w) - side / 2;
        int top = random.nextInt(h) - side / 2;
        int[] pixels = image.pixels();
        for (int y = Math.max(0, top); y < Math.min(h, top + side); y++) {
            for (int x = Math.max(0, left); x < Math.min(w, left + side); x++) {
                pixels[y * w + x] = CUTOUT_FILL;
            }
        }
        return RgbImage.of(w, h, pixels);
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
