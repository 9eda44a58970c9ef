package io.ccdstream.models.classifier;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Which augmentations make the strong view of the consistency loss (ALGORITHM.md section 5), on
 * top of the resize to the input and the view's own horizontal flip that every policy has. The
 * paper's policy is {@link #COLOUR}; the others keep colours, for worlds whose classes differ by
 * colour, where a hue shift turns one class into another:
 *
 * <ul>
 *   <li>random resized crop: a region of {@value Augmentations#CROP_MIN_SCALE} to 1 times the
 *       image's area, aspect ratio in [3/4, 4/3], resized to the input (torchvision's {@code
 *       RandomResizedCrop} with a larger lower scale bound than its 0.08, so that most objects stay
 *       in the view);
 *   <li>cutout: one square of side {@value Augmentations#CUTOUT_FRACTION} of the input's side,
 *       centred anywhere in the image (so partly outside at the edges, as DeVries and Taylor's
 *       Cutout), filled with the ImageNet mean colour, which the normalisation maps to zero.
 * </ul>
 */
public enum StrongView {
    /** Flip and {@link ColorJitter} (the paper's). */
    COLOUR("colour", false, false, true),
    /** Random resized crop and flip. */
    GEOMETRIC("geometric", true, false, false),
    /** Flip and cutout. */
    CUTOUT("cutout", false, true, false),
    /** Random resized crop, flip and cutout. */
    GEOMETRIC_CUTOUT("geometric-cutout", true, true, false),
    /** Random resized crop, flip and colour jitter. */
    GEOMETRIC_COLOUR("geometric-colour", true, false, true);

    private final String id;
    private final boolean crop;
    private final boolean cutout;
    private final boolean colour;

    StrongView(String id, boolean crop, boolean cutout, boolean colour) {
        this.id = id;
        this.crop = crop;
        this.cutout = cutout;
        this.colour = colour;
    }

    /** @return the setting's name, e.g. {@code geometric-cutout} */
    public String id() {
        return id;
    }

    /** @return whether the view is a random resized crop of the image */
    public boolean crop() {
        return crop;
    }

    /** @return whether a square is cut out */
    public boolean cutout() {
        return cutout;
    }

    /** @return whether the colours are jittered */
    public boolean colour() {
        return colour;
    }

    /**
     * @param id a name as {@link #id()}, any case
     * @return the policy
     * @throws IllegalArgumentException naming the known policies
     */
    public static StrongView of(String id) {
        String wanted = id.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(v -> v.id.equals(wanted))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown strong view '" + id + "'; known: " + ids()));
    }

    /** @return the names of all policies, comma-separated */
    public static String ids() {
        return Arrays.stream(values()).map(StrongView::id).collect(Collectors.joining(", "));
    }
}
