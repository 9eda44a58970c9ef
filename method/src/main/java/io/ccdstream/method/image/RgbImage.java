package io.ccdstream.method.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable 8-bit-per-channel RGB image, row-major, one packed {@code 0xRRGGBB} int per pixel.
 *
 * <p>This is the one pixel value the method and the models exchange: decoders produce it, preprocessing and
 * cropping consume it. It carries no colour profile; values are treated as sRGB.
 */
public final class RgbImage {

    private final int width;
    private final int height;
    private final int[] pixels;

    private RgbImage(int width, int height, int[] pixels) {
        this.width = width;
        this.height = height;
        this.pixels = pixels;
    }

    /**
     * Creates an image from packed {@code 0xRRGGBB} pixels (the top byte is ignored).
     *
     * @param width width in pixels, at least 1
     * @param height height in pixels, at least 1
     * @param packedRgb {@code width * height} pixels, row-major; copied
     * @return the image
     * @throws IllegalArgumentException if the sizes do not agree
     */
    public static RgbImage of(int width, int height, int[] packedRgb) {
        Objects.requireNonNull(packedRgb, "packedRgb");
        checkSize(width, height);
        if (packedRgb.length != (long) width * height) {
            throw new IllegalArgumentException("expected " + (long) width * height + " pixels for " + width + "x"
                    + height + ", got " + packedRgb.length);
        }
        int[] copy = new int[packedRgb.length];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = packedRgb[i] & 0xFFFFFF;
        }
        return new RgbImage(width, height, copy);
    }

    /**
     * Creates an image of one colour.
     *
     * @param width width in pixels, at least 1
     * @param height height in pixels, at least 1
     * @param rgb the colour as {@code 0xRRGGBB}
     * @return the image
     */
    public static RgbImage filled(int width, int height, int rgb) {
        checkSize(width, height);
        int[] pixels = new int[Math.multiplyExact(width, height)];
        Arrays.fill(pixels, rgb & 0xFFFFFF);
        return new RgbImage(width, height, pixels);
    }

    /**
     * Copies an 8-bit RGB {@link BufferedImage} of type {@link BufferedImage#TYPE_INT_RGB}.
     *
     * <p>Other image types are not converted here on purpose: Java2D's colour conversion
     * linearises gray images and mishandles alpha for our purposes; {@link ImageDecoder} does
     * that conversion explicitly.
     *
     * @param image an image of type {@code TYPE_INT_RGB}
     * @return the image's pixels as an {@code RgbImage}
     * @throws IllegalArgumentException for any other image type
     */
    public static RgbImage fromIntRgb(BufferedImage image) {
        if (image.getType() != BufferedImage.TYPE_INT_RGB) {
            throw new IllegalArgumentException("expected TYPE_INT_RGB, got BufferedImage type " + image.getType());
        }
        int w = image.getWidth();
        int h = image.getHeight();
        int[] pixels = image.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] &= 0xFFFFFF;
        }
        return new RgbImage(w, h, pixels);
    }

    /** Wraps an array the caller gives up; package-private to keep the public API copying. */
    static RgbImage wrap(int width, int height, int[] packedRgb) {
        checkSize(width, height);
        return new RgbImage(width, height, packedRgb);
    }

    private static void checkSize(int width, int height) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
    }

    /** @return the width in pixels */
    public int width() {
        return width;
    }

    /** @return the height in pixels */
    public int height() {
        return height;
    }

    /**
     * @param x column, 0-based
     * @param y row, 0-based
     * @return the pixel as {@code 0xRRGGBB}
     */
    public int rgb(int x, int y) {
        Objects.checkIndex(x, width);
        Objects.checkIndex(y, height);
        return pixels[y * width + x];
    }

    /** @return a copy of all pixels, row-major, packed {@code 0xRRGGBB} */
    public int[] pixels() {
        return pixels.clone();
    }

    /** Read access without a copy for the preprocessing code in this package. */
    int[] pixelsNoCopy() {
        return pixels;
    }

    /**
     * Cuts out a rectangle.
     *
     * @param x left column, 0-based
     * @param y top row, 0-based
     * @param w width, at least 1
     * @param h height, at least 1
     * @return the sub-image
     * @throws IllegalArgumentException if the rectangle is not inside the image
     */
    public RgbImage crop(int x, int y, int w, int h) {
        if (x < 0 || y < 0 || w < 1 || h < 1 || (long) x + w > width || (long) y + h > height) {
            throw new IllegalArgumentException(
                    "crop " + w + "x" + h + "+" + x + "+" + y + " outside image " + width + "x" + height);
        }
        int[] out = new int[w * h];
        for (int row = 0; row < h; row++) {
            System.arraycopy(pixels, (y + row) * width + x, out, row * w, w);
        }
        return new RgbImage(w, h, out);
    }

    /** @return a new {@code TYPE_INT_RGB} image with a copy of the pixels */
    public BufferedImage toBufferedImage() {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] target = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        System.arraycopy(pixels, 0, target, 0, pixels.length);
        return image;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RgbImage other
                && width == other.width
                && height == other.height
                && Arrays.equals(pixels, other.pixels);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(pixels);
    }

    @Override
    public String toString() {
        return "RgbImage[" + width + "x" + height + "]";
    }
}
