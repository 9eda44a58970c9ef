package io.ccdstream.processors.synth;

import java.util.List;

/**
 * One generated image with its ground truth.
 *
 * @param id      stable id, derived from the seed and the index
 * @param png     the image, PNG-encoded
 * @param width   width in pixels
 * @param height  height in pixels
 * @param objects the drawn objects, in drawing order (later ones may occlude earlier ones)
 */
public record SynthScene(String id, byte[] png, int width, int height, List<SynthObject> objects) {

    /** Distinct class names present, in class-index order; empty for a "none" image. */
    public List<String> labels() {
        return SynthClass.ALL.stream().map(SynthClass::name)
            .filter(name -> objects.stream().anyMatch(o -> o.className().equals(name))).toList();
    }

    /**
     * One drawn object and its box; x0/y0 inclusive, x1/y1 exclusive, clipped to the image.
     */
    public record SynthObject(String className, int x0, int y0, int x1, int y1) {
    }
}
