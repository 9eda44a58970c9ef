package io.ccdstream.data.datasets;

import java.util.Objects;

/**
 * One annotated object of a ground-truth image, in the project's pixel convention: 0-based,
 * {@code x0}/{@code y0} inclusive, {@code x1}/{@code y1} exclusive, inside the image (the same
 * convention as {@code CropBox} and {@code SynthScene.SynthObject}).
 *
 * <p>The two factories convert the datasets' own conventions; both first snap a coordinate that
 * lies within {@value #SNAP} of an integer onto it (so that float noise such as {@code
 * 30.000000000000004} does not add a pixel), then take the smallest integer box that contains the object and
 * clip it to the image. A box that lies entirely outside the image becomes empty at the border.
 *
 * @param className the class name, one of the dataset's {@link Dataset#classNames()}
 * @param x0 left column, inclusive
 * @param y0 top row, inclusive
 * @param x1 right column, exclusive; {@code >= x0}
 * @param y1 bottom row, exclusive; {@code >= y0}
 * @param difficult VOC's "difficult" flag (false when the annotation has none, and for COCO)
 * @param crowd COCO's "iscrowd" flag: the box covers a group of objects (false for VOC)
 */
public record ObjectBox(String className, int x0, int y0, int x1, int y1, boolean difficult, boolean crowd) {

    /** Distance to an integer below which a coordinate is taken to be that integer. */
    public static final double SNAP = 1e-6;

    /** Validates the class name and that the box is a (possibly empty) rectangle at non-negative coordinates. */
    public ObjectBox {
        Objects.requireNonNull(className, "className");
        if (x0 < 0 || y0 < 0 || x1 < x0 || y1 < y0) {
            throw new IllegalArgumentException("box [" + x0 + ", " + x1 + ") x [" + y0 + ", " + y1 + ") of " + className
                    + " is inverted or negative");
        }
    }

    /**
     * Converts a PASCAL VOC {@code <bndbox>}: VOC pixels are numbered from 1 and {@code xmax}/{@code
     * ymax} are inclusive, so pixel columns {@code xmin..xmax} become {@code [xmin - 1, xmax)}.
     * For example {@code xmin 1, xmax 500} of a 500-pixel-wide image is {@code [0, 500)}. The rare
     * {@code xmin 0} of the devkit is clipped to column 0; fractional values (a few VOC 2012
     * files) are widened to whole pixels.
     *
     * @param className the object's {@code <name>}
     * @param xmin the {@code <xmin>} value, 1-based, inclusive
     * @param ymin the {@code <ymin>} value, 1-based, inclusive
     * @param xmax the {@code <xmax>} value, 1-based, inclusive
     * @param ymax the {@code <ymax>} value, 1-based, inclusive
     * @param width image width in pixels, to clip to
     * @param height image height in pixels, to clip to
     * @param difficult the object's {@code <difficult>} flag
     * @return the box in the project's convention
     */
    public static ObjectBox fromVoc(
            String className,
            double xmin,
            double ymin,
            double xmax,
            double ymax,
            int width,
            int height,
            boolean difficult) {
        return clipped(className, xmin - 1, ymin - 1, xmax, ymax, width, height, difficult, false);
    }

    /**
     * Converts a COCO {@code bbox [x, y, w, h]}: floats in pixel units from the image's top-left
     * corner. The box becomes {@code [floor(x), ceil(x + w)) x [floor(y), ceil(y + h))}, clipped to
     * the image; e.g. {@code [10.4, 5.6, 20.1, 10.2]} is {@code [10, 31) x [5, 16)}.
     *
     * @param className the category's name
     * @param x left edge
     * @param y top edge
     * @param w width
     * @param h height
     * @param width image width in pixels, to clip to
     * @param height image height in pixels, to clip to
     * @param crowd the annotation's {@code iscrowd} flag
     * @return the box in the project's convention
     */
    public static ObjectBox fromCoco(
            String className, double x, double y, double w, double h, int width, int height, boolean crowd) {
        return clipped(className, x, y, x + w, y + h, width, height, false, crowd);
    }

    /** @return {@code x1 - x0} */
    public int width() {
        return x1 - x0;
    }

    /** @return {@code y1 - y0} */
    public int height() {
        return y1 - y0;
    }

    /** @return the box area in pixels, 0 for an empty box */
    public long area() {
        return (long) width() * height();
    }

    private static ObjectBox clipped(
            String className,
            double left,
            double top,
            double right,
            double bottom,
            int width,
            int height,
            boolean difficult,
            boolean crowd) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size " + width + "x" + height + " is not positive");
        }
        if (!Double.isFinite(left) || !Double.isFinite(top) || !Double.isFinite(right) || !Double.isFinite(bottom)) {
            throw new IllegalArgumentException("box of " + className + " has a coordinate that is not a number");
        }
        int x0 = clamp((long) Math.floor(snap(left)), 0, width);
        int y0 = clamp((long) Math.floor(snap(top)), 0, height);
        int x1 = clamp((long) Math.ceil(snap(right)), x0, width);
        int y1 = clamp((long) Math.ceil(snap(bottom)), y0, height);
        return new ObjectBox(className, x0, y0, x1, y1, difficult, crowd);
    }

    private static double snap(double value) {
        double nearest = Math.rint(value);
        return Math.abs(value - nearest) < SNAP ? nearest : value;
    }

    private static int clamp(long value, int min, int max) {
        return (int) Math.max(min, Math.min(max, value));
    }
}
