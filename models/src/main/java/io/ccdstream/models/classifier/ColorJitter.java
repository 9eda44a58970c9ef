package io.ccdstream.models.classifier;

import io.ccdstream.method.image.RgbImage;
import java.util.Arrays;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Random colour jitter with the semantics of torchvision's {@code ColorJitter} on float tensors:
 * each call draws a brightness, contrast and saturation factor uniformly from {@code [max(0, 1 - s),
 * 1 + s]}, a hue shift uniformly from {@code [-h, h]}, and a random order of the four adjustments;
 * then applies them to the image as values in [0, 1]:
 *
 * <ul>
 *   <li>brightness {@code b}: {@code clamp(b * v)};
 *   <li>contrast {@code c}: {@code clamp(c * v + (1 - c) * m)}, m the mean grey level of the
 *       image, grey = {@code 0.2989 R + 0.587 G + 0.114 B};
 *   <li>saturation {@code s}: {@code clamp(s * v + (1 - s) * grey)} per pixel;
 *   <li>hue {@code h}: the pixel's HSV hue is rotated by {@code h} turns (modulo 1).
 * </ul>
 *
 * Values stay in floating point between the steps and are rounded to 8 bits once at the end
 * (torchvision on uint8 tensors or PIL images would round after every step; the difference is at
 * most a few levels). Pure Java, thread-safe; randomness only comes from the caller's generator.
 */
public final class ColorJitter {

    /** ALGORITHM.md section 5: brightness, contrast, saturation and hue 0.5 each. */
    public static final ColorJitter CCD_STRONG = new ColorJitter(0.5f, 0.5f, 0.5f, 0.5f);

    private static final float GREY_R = 0.2989f;
    private static final float GREY_G = 0.587f;
    private static final float GREY_B = 0.114f;

    private final float brightness;
    private final float contrast;
    private final float saturation;
    private final float hue;

    /**
     * @param brightness strength, at least 0
     * @param contrast strength, at least 0
     * @param saturation strength, at least 0
     * @param hue strength, in [0, 0.5]
     */
    public ColorJitter(float brightness, float contrast, float saturation, float hue) {
        requireStrength("brightness", brightness);
        requireStrength("contrast", contrast);
        requireStrength("saturation", saturation);
        if (!(hue >= 0 && hue <= 0.5f)) {
            throw new IllegalArgumentException("hue strength must be in [0, 0.5], got " + hue);
        }
        this.brightness = brightness;
        this.contrast = contrast;
        this.saturation = saturation;
        this.hue = hue;
    }

    private static void requireStrength(String name, float value) {
        if (!(value >= 0) || Float.isInfinite(value)) {
            throw new IllegalArgumentException(name + " strength must be a finite value >= 0, got " + value);
        }
    }

    /** One colour adjustment of the jitter. */
    public enum Adjustment {
        /** Scale all channels. */
        BRIGHTNESS,
        /** Blend with the image's mean grey level. */
        CONTRAST,
        /** Blend with the pixel's grey level. */
        SATURATION,
        /** Rotate the hue. */
        HUE
    }

    /**
     * One draw of the jitter's random parameters.
     *
     * @param order the four adjustments in the order they are applied
     * @param brightness brightness factor, 1 = unchanged
     * @param contrast contrast factor, 1 = unchanged
     * @param saturation saturation factor, 1 = unchanged
     * @param hue hue shift in turns, 0 = unchanged
     */
    public record Draw(Adjustment[] order, float brightness, float contrast, float saturation, float hue) {

        /** @throws IllegalArgumentException unless order is a permutation of all four adjustments */
        public Draw {
            Objects.requireNonNull(order, "order");
            if (order.length != 4
                    || Arrays.stream(order).distinct().count() != 4
                    || Arrays.stream(order).anyMatch(Objects::isNull)) {
                throw new IllegalArgumentException(
                        "order must list each adjustment once, got " + Arrays.toString(order));
            }
            order = order.clone();
        }

        /** @return a copy of the order */
        @Override
        public Adjustment[] order() {
            return order.clone();
        }
    }

    /**
     * Draws the random parameters: a random order (Fisher-Yates shuffle), then the brightness,
     * contrast, saturation and hue values in that sequence.
     *
     * @param random the source of randomness
     * @return the draw
     */
    public Draw draw(RandomGenerator random) {
        Adjustment[] order = Adjustment.values();
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            Adjustment t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return new Draw(
                order,
                factor(random, brightness),
                factor(random, contrast),
                factor(random, saturation),
                hue == 0 ? 0f : (float) (-hue + 2.0 * hue * random.nextDouble()));
    }

    private static float factor(RandomGenerator random, float strength) {
        if (strength == 0) {
            return 1f;
        }
        double low = Math.max(0.0, 1.0 - strength);
        double high = 1.0 + strength;
        return (float) (low + (high - low) * random.nextDouble());
    }

    /**
     * Draws parameters and applies them.
     *
     * @param image the image
     * @param random the source of randomness
     * @return the jittered image
     */
    public RgbImage apply(RgbImage image, RandomGenerator random) {
        return apply(image, draw(random));
    }

    /**
     * Applies fixed parameters, deterministically.
     *
     * @param image the image
     * @param draw the parameters
     * @return the adjusted image, same size
     */
    public static RgbImage apply(RgbImage image, Draw draw) {
        int n = image.width() * image.height();
        int[] packed = image.pixels();
        float[] r = new float[n];
        float[] g = new float[n];
        float[] b = new float[n];
        for (int i = 0; i < n; i++) {
            r[i] = ((packed[i] >> 16) & 0xFF) / 255f;
            g[i] = ((packed[i] >> 8) & 0xFF) / 255f;
            b[i] = (packed[i] & 0xFF) / 255f;
        }
        for (Adjustment adjustment : draw.order) {
            switch (adjustment) {
                case BRIGHTNESS -> blendWithConstant(r, g, b, draw.brightness(), 0f);
                case CONTRAST -> blendWithConstant(r, g, b, draw.contrast(), meanGrey(r, g, b));
                case SATURATION -> blendWithGrey(r, g, b, draw.saturation());
                case HUE -> rotateHue(r, g, b, draw.hue());
            }
        }
        for (int i = 0; i < n; i++) {
            packed[i] = (to8Bit(r[i]) << 16) | (to8Bit(g[i]) << 8) | to8Bit(b[i]);
        }
        return RgbImage.of(image.width(), image.height(), packed);
    }

    private static void blendWithConstant(float[] r, float[] g, float[] b, float factor, float other) {
        if (factor == 1f) {
            return;
        }
        float rest = (1f - factor) * other;
        for (int i = 0; i < r.length; i++) {
            r[i] = clamp(factor * r[i] + rest);
            g[i] = clamp(factor * g[i] + rest);
            b[i] = clamp(factor * b[i] + rest);
        }
    }

    private static void blendWithGrey(float[] r, float[] g, float[] b, float factor) {
        if (factor == 1f) {
            return;
        }
        for (int i = 0; i < r.length; i++) {
            float rest = (1f - factor) * grey(r[i], g[i], b[i]);
            r[i] = clamp(factor * r[i] + rest);
            g[i] = clamp(factor * g[i] + rest);
            b[i] = clamp(factor * b[i] + rest);
        }
    }

    private static float meanGrey(float[] r, float[] g, float[] b) {
        double sum = 0;
        for (int i = 0; i < r.length; i++) {
            sum += grey(r[i], g[i], b[i]);
        }
        return (float) (sum / r.length);
    }

    private static float grey(float r, float g, float b) {
        return GREY_R * r + GREY_G * g + GREY_B * b;
    }

    /** HSV round trip with the hue rotated; grey pixels (max == min) have no hue and stay. */
    private static void rotateHue(float[] r, float[] g, float[] b, float shift) {
        if (shift == 0f) {
            return;
        }
        for (int i = 0; i < r.length; i++) {
            float max = Math.max(r[i], Math.max(g[i], b[i]));
            float min = Math.min(r[i], Math.min(g[i], b[i]));
            float chroma = max - min;
            if (chroma == 0f) {
                continue;
            }
            float sat = chroma / max;
            float sector;
            if (max == r[i]) {
                sector = (g[i] - b[i]) / chroma;
            } else if (max == g[i]) {
                sector = 2f + (b[i] - r[i]) / chroma;
            } else {
                sector = 4f + (r[i] - g[i]) / chroma;
            }
            float h = floorMod1(sector / 6f + shift);
            setFromHsv(r, g, b, i, h, sat, max);
        }
    }

    private static void setFromHsv(float[] r, float[] g, float[] b, int i, float h, float s, float v) {
        float scaled = h * 6f;
        float sector = (float) Math.floor(scaled);
        float f = scaled - sector;
        float p = clamp(v * (1f - s));
        float q = clamp(v * (1f - s * f));
        float t = clamp(v * (1f - s * (1f - f)));
        switch (Math.floorMod((int) sector, 6)) {
            case 0 -> set(r, g, b, i, v, t, p);
            case 1 -> set(r, g, b, i, q, v, p);
            case 2 -> set(r, g, b, i, p, v, t);
            case 3 -> set(r, g, b, i, p, q, v);
            case 4 -> set(r, g, b, i, t, p, v);
            default -> set(r, g, b, i, v, p, q);
        }
    }

    private static void set(float[] r, float[] g, float[] b, int i, float red, float green, float blue) {
        r[i] = red;
        g[i] = green;
        b[i] = blue;
    }

    private static float floorMod1(float x) {
        float m = x - (float) Math.floor(x);
        return m >= 1f ? 0f : m;
    }

    private static float clamp(float v) {
        return v < 0f ? 0f : (v > 1f ? 1f : v);
    }

    private static int to8Bit(float v) {
        return Math.round(clamp(v) * 255f);
    }
}
