package io.ccdstream.method.ccd;

import io.ccdstream.method.image.ClipPreprocessor;
import io.ccdstream.method.image.Resampler;
import io.ccdstream.method.image.RgbImage;
import java.util.Arrays;

/**
 * Cuts a {@link CropBox} out of the original image and resizes it for CLIP keeping its aspect
 * ratio, the longer side becoming the CLIP input side (ALGORITHM.md section 4.3). The shorter
 * side becomes {@code round(shorter * side / longer)}, half up, at least 1: a 300x100 crop at
 * 224 becomes 224x75 (the released script truncates, 224x74). Resizing is {@link Resampler}'s
 * (Java2D bicubic after box halvings), not the released script's bilinear interpolation.
 *
 * <p>By default the resized crop is then padded to a {@code side x side} square, centred (an odd
 * remainder goes to the right and bottom), with CLIP's mean colour: after CLIP's normalisation
 * the padding is 0, the neutral input, and the CLIP facade's own resize leaves a square of its
 * input size untouched, so no part of the box is cut off by its centre crop. The released script
 * feeds the unpadded crop to a CLIP that accepts any shape; {@link #unpadded(int)} reproduces that
 * for such a model.
 *
 * @param side the CLIP input side, e.g. 224
 * @param padToSquare whether to pad the resized crop to {@code side x side}
 * @param padRgb the padding colour as {@code 0xRRGGBB}
 */
public record CropResize(int side, boolean padToSquare, int padRgb) {

    /** OpenAI CLIP's normalisation mean as an 8-bit colour, (123, 117, 104). */
    public static final int OPENAI_CLIP_MEAN_RGB = meanColour(ClipPreprocessor.OPENAI_CLIP_MEAN);

    /** Validates the side and the colour. */
    public CropResize {
        if (side < 1) {
            throw new IllegalArgumentException("side must be positive, got " + side);
        }
        if ((padRgb & ~0xFFFFFF) != 0) {
            throw new IllegalArgumentException("padRgb must be 0xRRGGBB, got 0x" + Integer.toHexString(padRgb));
        }
    }

    /** @return crops padded to {@code side x side} with OpenAI CLIP's mean colour, the default */
    public static CropResize of(int side) {
        return new CropResize(side, true, OPENAI_CLIP_MEAN_RGB);
    }

    /** @return crops resized only, not padded, as the released script feeds them to CLIP */
    public static CropResize unpadded(int side) {
        return new CropResize(side, false, 0);
    }

    /**
     * @param mean per-channel mean (R, G, B) of [0, 1] values
     * @return the nearest 8-bit colour
     */
    public static int meanColour(float[] mean) {
        return channel(mean[0]) << 16 | channel(mean[1]) << 8 | channel(mean[2]);
    }

    /**
     * @param image the original image
     * @param box a box inside the image
     * @return the crop, resized (and padded) for CLIP
     */
    public RgbImage apply(RgbImage image, CropBox box) {
        RgbImage crop = image.crop(box.x0(), box.y0(), box.width(), box.height());
        boolean wide = crop.width() >= crop.height();
        int w = wide ? side : scaledShorterSide(crop.width(), crop.height(), side);
        int h = wide ? scaledShorterSide(crop.height(), crop.width(), side) : side;
        RgbImage resized = Resampler.resize(crop, w, h);
        return padToSquare ? pad(resized) : resized;
    }

    /** {@code round(shorter * side / longer)}, half up, at least 1, in integer arithmetic. */
    static int scaledShorterSide(int shorter, int longer, int side) {
        return (int) Math.max(1, (2L * shorter * side + longer) / (2L * longer));
    }

    private RgbImage pad(RgbImage resized) {
        if (resized.width() == side && resized.height() == side) {
            return resized;
        }
        int[] pixels = new int[side * side];
        Arrays.fill(pixels, padRgb);
        int left = (side - resized.width()) / 2;
        int top = (side - resized.height()) / 2;
        int[] source = resized.pixels();
        for (int row = 0; row < resized.height(); row++) {
            System.arraycopy(source, row * resized.width(), pixels, (top + row) * side + left, resized.width());
        }
        return RgbImage.of(side, side, pixels);
    }

    private static int channel(float v) {
        return Math.round(Math.min(1f, Math.max(0f, v)) * 255f);
    }
}
