package io.ccdstream.method.ccd;

/**
 * A rectangle of an original image to crop and score with CLIP, with the class that asked for
 * it. Coordinates are pixels of the original image; {@code x1} and {@code y1} are exclusive.
 *
 * @param classIndex the class whose CAM produced the box, or {@link #NO_CLASS} for a grid tile
 * @param classifierScore the classifier's sigmoid score for that class (0 for a grid tile)
 * @param x0 left column, inclusive
 * @param y0 top row, inclusive
 * @param x1 right column, exclusive
 * @param y1 bottom row, exclusive
 */
public record CropBox(int classIndex, float classifierScore, int x0, int y0, int x1, int y1) {

    /** The class index of a box that no class asked for (a {@link GridBaseline} tile). */
    public static final int NO_CLASS = -1;

    /** Validates that the box is a non-empty rectangle at non-negative coordinates. */
    public CropBox {
        if (classIndex < NO_CLASS) {
            throw new IllegalArgumentException("classIndex must be >= -1, got " + classIndex);
        }
        if (x0 < 0 || y0 < 0 || x1 <= x0 || y1 <= y0) {
            throw new IllegalArgumentException(
                    "box [" + x0 + ", " + x1 + ") x [" + y0 + ", " + y1 + ") is empty or negative");
        }
    }

    /**
     * @return a box that belongs to no class
     * @see #NO_CLASS
     */
    public static CropBox tile(int x0, int y0, int x1, int y1) {
        return new CropBox(NO_CLASS, 0f, x0, y0, x1, y1);
    }

    /** @return {@code x1 - x0} */
    public int width() {
        return x1 - x0;
    }

    /** @return {@code y1 - y0} */
    public int height() {
        return y1 - y0;
    }
}
