package io.ccdstream.models.classifier;

import io.ccdstream.method.image.RgbImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A tiny synthetic problem: a grey square image with one coloured square in one quadrant; red is
 * class 0, blue is class 1.
 */
final class Scenes {

    static final int SIZE = 32;
    static final int SQUARE = 12;
    static final int GREY = 0x808080;
    static final int RED = 0xE01010;
    static final int BLUE = 0x1010E0;
    static final List<String> CLASSES = List.of("red", "blue");

    /** A labelled set of images with their one-hot targets. */
    record Set(List<RgbImage> images, float[][] targets) {}

    private Scenes() {}

    /**
     * @param colour the square's colour
     * @param quadrant 0 top-left, 1 top-right, 2 bottom-left, 3 bottom-right
     * @param offsetX column offset of the square inside its quadrant, 0..4
     * @param offsetY row offset inside the quadrant, 0..4
     */
    static RgbImage square(int colour, int quadrant, int offsetX, int offsetY) {
        int half = SIZE / 2;
        int x0 = (quadrant % 2) * half + offsetX;
        int y0 = (quadrant / 2) * half + offsetY;
        int[] pixels = new int[SIZE * SIZE];
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                boolean inside = x >= x0 && x < x0 + SQUARE && y >= y0 && y < y0 + SQUARE;
                pixels[y * SIZE + x] = inside ? colour : GREY;
            }
        }
        return RgbImage.of(SIZE, SIZE, pixels);
    }

    /** Half red, half blue, random quadrants and offsets. */
    static Set redsAndBlues(int count, long seed) {
        Random random = new Random(seed);
        List<RgbImage> images = new ArrayList<>();
        float[][] targets = new float[count][];
        for (int i = 0; i < count; i++) {
            boolean red = i % 2 == 0;
            images.add(square(red ? RED : BLUE, random.nextInt(4), random.nextInt(5), random.nextInt(5)));
            targets[i] = red ? new float[] {1, 0} : new float[] {0, 1};
        }
        return new Set(images, targets);
    }

    /** A small-CNN classifier for 32 px inputs: 3 stages, a 4x4 CAM. */
    static ClassifierConfig.Builder tinyConfig() {
        return ClassifierConfig.builder()
                .setClassNames(CLASSES)
                .optBackbone(new Backbone.SmallCnn(List.of(8, 16, 32)))
                .optInputSize(SIZE)
                .optSeed(7);
    }
}
