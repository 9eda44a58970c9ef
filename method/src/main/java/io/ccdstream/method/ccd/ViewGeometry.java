package io.ccdstream.method.ccd;

/**
 * The inference view a CAM was computed on and the original image it was made from. The view is
 * the whole original image resized (squashed, aspect ratio not kept) to {@code width x height},
 * as the classifier sees it (the paper's 640x640), so view pixel {@code (x, y)} covers original
 * columns {@code [x * imageWidth / width, (x + 1) * imageWidth / width)} and rows likewise.
 *
 * @param width the view's width in pixels
 * @param height the view's height in pixels
 * @param imageWidth the original image's width in pixels
 * @param imageHeight the original image's height in pixels
 */
public record ViewGeometry(int width, int height, int imageWidth, int imageHeight) {

    /** Validates that every size is positive. */
    public ViewGeometry {
        if (width < 1 || height < 1 || imageWidth < 1 || imageHeight < 1) {
            throw new IllegalArgumentException("sizes must be positive, got view " + width + "x" + height + " of image "
                    + imageWidth + "x" + imageHeight);
        }
    }

    /** @return a square view of {@code side x side} over an image of the given size */
    public static ViewGeometry square(int side, int imageWidth, int imageHeight) {
        return new ViewGeometry(side, side, imageWidth, imageHeight);
    }

    /**
     * Maps a box in view pixels to the smallest box of original pixels that covers it: left and
     * top edges rounded down, right and bottom (exclusive) edges rounded up.
     *
     * @param viewBox a box within the view
     * @return the box in original image pixels, with the same class and score
     */
    public CropBox toImage(CropBox viewBox) {
        return new CropBox(
                viewBox.classIndex(),
                viewBox.classifierScore(),
                floorScale(viewBox.x0(), imageWidth, width),
                floorScale(viewBox.y0(), imageHeight, height),
                ceilScale(viewBox.x1(), imageWidth, width),
                ceilScale(viewBox.y1(), imageHeight, height));
    }

    private static int floorScale(int v, int to, int from) {
        return (int) ((long) v * to / from);
    }

    private static int ceilScale(int v, int to, int from) {
        return (int) (((long) v * to + from - 1) / from);
    }
}
