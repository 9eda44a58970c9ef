package io.ccdstream.data.synth;

import java.util.List;

/**
 * One generated image with its ground truth.
 *
 * @param id      stable id, derived from the seed and the index
 * @param png     the image, PNG-encoded
 * @param width   width in pixels
 * @param height  height in pixels
 * @param objects the drawn objects, in drawing order (later ones may partially occlude earlier ones)
 */
public record SynthScene(String id, byte[] png, int width, int height, List<SynthObject> objects) {

    /** Distinct class names present, in class-index order; empty for a "none" image. */
    public List<String> labels() {
        return SynthClass.ALL.stream()
                .map(SynthClass::name)
                .filter(name -> objects.stream().anyMatch(o -> o.className().equals(name)))
                .toList();
    }

    /**
     * @param object one of this scene's objects
     * @return the share of the image area its box covers, in (0, 1]
     */
    public double areaShare(SynthObject object) {
        return (double) object.area() / ((long) width * height);
    }

    /**
     * @param object one of this scene's objects
     * @return whether its box covers at most {@link SynthScenes#SMALL_AREA_SHARE} of the image
     */
    public boolean isSmall(SynthObject object) {
        return areaShare(object) <= SynthScenes.SMALL_AREA_SHARE;
    }

    /**
     * One drawn object and the box of its visible pixels; x0/y0 inclusive, x1/y1 exclusive, inside
     * the image.
     */
    public record SynthObject(String className, int x0, int y0, int x1, int y1) {

        /** @return the box area in pixels */
        public int area() {
            return (x1 - x0) * (y1 - y0);
        }
    }
}
