package io.ccdstream.method.image;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * Resizes {@link RgbImage}s with Java2D.
 *
 * <p>The last step is Java2D bicubic interpolation. Bicubic interpolation alone aliases when it
 * shrinks an image by a large factor (it reads only 4x4 source pixels per output pixel), whereas
 * PIL, which the reference CLIP preprocessing uses, widens its filter when downscaling. To come
 * close to that, an image more than twice the target size is first halved repeatedly with
 * bilinear interpolation (each halving averages 2x2 pixels) until it is within a factor 2 of the
 * target. Results therefore approximate PIL's, not match it bit for bit.
 */
public final class Resampler {

    private Resampler() {}

    /**
     * Resizes an image.
     *
     * @param image the source
     * @param width target width, at least 1
     * @param height target height, at least 1
     * @return the resized image; the source itself when the size is unchanged
     */
    public static RgbImage resize(RgbImage image, int width, int height) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("target size must be positive, got " + width + "x" + height);
        }
        if (width == image.width() && height == image.height()) {
            return image;
        }
        BufferedImage current = image.toBufferedImage();
        while (current.getWidth() >= 2 * width || current.getHeight() >= 2 * height) {
            int w = current.getWidth() >= 2 * width ? current.getWidth() / 2 : current.getWidth();
            int h = current.getHeight() >= 2 * height ? current.getHeight() / 2 : current.getHeight();
            current = draw(current, w, h, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        }
        if (current.getWidth() != width || current.getHeight() != height) {
            current = draw(current, width, height, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        }
        return RgbImage.fromIntRgb(current);
    }

    private static BufferedImage draw(BufferedImage source, int width, int height, Object interpolation) {
        BufferedImage target = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = target.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, interpolation);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(source, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return target;
    }
}
