package io.ccdstream.data.synth;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The kind of scenes a {@link SynthScenes} generator draws: the scale of its objects and how their
 * colours relate to their classes. Both worlds share the background, the 20 {@link SynthClass}
 * classes, the occlusion rule and the ground truth (the box of each object's visible pixels).
 *
 * <table>
 *   <caption>The two worlds</caption>
 *   <tr><th></th><th>{@link #SMALL_OBJECTS}</th><th>{@link #VOC_LIKE}</th></tr>
 *   <tr><td>objects per image</td><td>1 to 4, uniform</td><td>1 to 3, uniform</td></tr>
 *   <tr><td>small objects (box side 9-21% of the image side, area at most
 *       {@value SynthScenes#SMALL_AREA_SHARE})</td><td>40% of objects</td><td>12% of objects</td></tr>
 *   <tr><td>other objects</td><td>side 24-70% of the image side, skewed to the small end
 *       ({@code 0.24 + 0.46 u^1.3}), may stick out of the frame by a fifth of the side: most
 *       boxes cover 6-25% of the image</td><td>area 12-48% of the image, uniform, inside the
 *       frame: most boxes cover 10-50% of the image</td></tr>
 *   <tr><td>colour of an object</td><td>its class colour, exactly</td><td>its class colour
 *       ({@value #VOC_OWN_COLOUR_SHARE} of objects) or the colour of any class, then varied per
 *       object in hue (&plusmn;{@value #VOC_HUE_JITTER} of the colour
 *       wheel), saturation (&times;0.75-1) and brightness (&times;0.7-1.1)</td></tr>
 * </table>
 *
 * <p>In {@link #SMALL_OBJECTS} 40% of the objects cover at most 5% of the image, which favours
 * fixed tiles, and colour alone nearly names a class. {@link #VOC_LIKE} has the object scales of
 * PASCAL VOC (most objects cover a tenth to a half of the image, a few are small) and classes that
 * colour does not tell apart: shape and texture carry identity. The one exception is tomato and
 * lime, which share shape and texture: they keep their own (varied) colours so that the ground
 * truth stays visible in the image.
 *
 * <p>Measured box areas (visible pixels, after occlusion) over 2,000 images of seed 1 at 128 px:
 * small-objects 42.5% of boxes at most 5% of the image, 18.4% between 5% and 10%, 39.1% between
 * 10% and 50%, none above; voc-like 11.8%, 1.3%, 86.9%, none above. An object's class colour is the
 * nearest class colour to its drawn colour for 100% of small-objects objects and 35% of voc-like
 * ones. {@code SynthWorldTest} asserts these shares with margins.
 */
public enum SynthWorld {
    /** The original SynthScenes: many small objects, one exact colour per class. */
    SMALL_OBJECTS("small-objects", 0.4, 4),
    /** PASCAL VOC-like object scales; colour shared across classes and varied per object. */
    VOC_LIKE("voc-like", 0.12, 3);

    /** Share of {@link #VOC_LIKE} objects drawn in their own class colour (before variation). */
    public static final double VOC_OWN_COLOUR_SHARE = 0.35;
    /** Largest hue shift of a {@link #VOC_LIKE} object's colour, as a share of the colour wheel. */
    public static final double VOC_HUE_JITTER = 0.04;
    /** Smallest box area of a {@link #VOC_LIKE} object that is not small, before occlusion. */
    public static final double VOC_MIN_AREA = 0.12;
    /** Largest box area of a {@link #VOC_LIKE} object, before occlusion. */
    public static final double VOC_MAX_AREA = 0.48;

    private final String id;
    private final double defaultSmallShare;
    private final int maxObjects;

    SynthWorld(String id, double defaultSmallShare, int maxObjects) {
        this.id = id;
        this.defaultSmallShare = defaultSmallShare;
        this.maxObjects = maxObjects;
    }

    /** @return the name used on the command line and in reports, e.g. {@code voc-like} */
    public String id() {
        return id;
    }

    /** @return the share of objects drawn small unless the builder sets another */
    public double defaultSmallShare() {
        return defaultSmallShare;
    }

    /** @return the most objects in one image */
    public int maxObjects() {
        return maxObjects;
    }

    /**
     * @param id a world's {@link #id()} (case-insensitive) or enum name
     * @return the world
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static SynthWorld parse(String id) {
        String wanted = id == null ? "" : id.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (SynthWorld world : values()) {
            if (world.id.equals(wanted)) {
                return world;
            }
        }
        throw new IllegalArgumentException("unknown SynthScenes world '" + id + "', expected one of "
                + Arrays.stream(values()).map(SynthWorld::id).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return id;
    }
}
