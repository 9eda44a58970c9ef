package io.ccdstream.method.image;

import io.ccdstream.method.image.ImageInputException.Reason;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes untrusted JPEG and PNG bytes into an 8-bit {@link RgbImage}, refusing anything that is
 * empty, too big, not an image, or broken with an {@link ImageInputException} whose {@link
 * Reason} suits a dead-letter record.
 *
 * <p>Safety: the encoded size is checked first; then only the image header is parsed (ImageIO's
 * {@code ImageReader.getWidth/getHeight}) and the declared dimensions are compared with the
 * {@link ImageLimits} before any raster is allocated, so a decompression bomb (a small file that
 * claims a huge canvas) is refused cheaply. ImageIO reads from memory, never from a disk cache.
 * Decodes running at the same time share a budget of pixels ({@link
 * Builder#optDecodeBudgetPixels(long)}, by default twice {@link ImageLimits#maxPixels()}): a decode
 * waits until its declared pixels fit, so concurrent decodes of large images cannot add up past
 * the budget, while small images decode side by side.
 *
 * <p>Conversion to 8-bit RGB is done on the raw samples, not through Java2D colour conversion:
 * <ul>
 *   <li>gray (1, 2, 4, 8 or 16 bits) becomes {@code r = g = b = gray}, scaled to 8 bits with
 *       rounding (Java2D would treat PNG gray as linear and brighten it);
 *   <li>16-bit channels are scaled with rounding, {@code round(v * 255 / 65535)};
 *   <li>palette images are expanded through their palette (including palette alpha);
 *   <li>alpha is handled per {@link AlphaPolicy}, by default composited on white;
 *   <li>CMYK JPEGs that the JDK's reader decodes (it does for plain 4-channel CMYK) are converted
 *       with the profile-free formula {@code r = 255 (1 - c)(1 - k)}; colours are approximate and
 *       an Adobe-inverted file may come out inverted. Variants the reader refuses ("Unsupported
 *       Image Type", e.g. some YCCK files) and lossless or arithmetic-coded JPEGs are refused as
 *       {@link Reason#UNSUPPORTED_FORMAT};
 *   <li>a truncated JPEG, which the JDK's reader fills with gray and reports only as a warning,
 *       is refused as {@link Reason#CORRUPT} (see {@link Builder#optRefuseTruncated(boolean)});
 *       other reader warnings are ignored.
 * </ul>
 * Embedded ICC profiles and EXIF orientation are ignored (as PIL's plain {@code Image.open} does).
 *
 * <p>The format is taken from the magic bytes, never from the declared content type; a mismatch
 * is reported on the result ({@link DecodedImage#contentTypeMismatch()}) but is not a refusal.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class ImageDecoder {

    private final ImageLimits limits;
    private final AlphaPolicy alphaPolicy;
    private final boolean refuseTruncated;
    private final int decodeBudgetPixels;
    private final Semaphore decodeBudget;

    private ImageDecoder(Builder builder) {
        this.limits = builder.limits;
        this.alphaPolicy = builder.alphaPolicy;
        this.refuseTruncated = builder.refuseTruncated;
        long budget = builder.decodeBudgetPixels > 0 ? builder.decodeBudgetPixels : 2 * limits.maxPixels();
        if (budget < limits.maxPixels()) {
            throw new IllegalArgumentException("the decode budget of " + budget
                    + " pixels must hold one image of the largest size, " + limits.maxPixels() + " pixels");
        }
        this.decodeBudgetPixels = (int) Math.min(Integer.MAX_VALUE, budget);
        this.decodeBudget = new Semaphore(decodeBudgetPixels, true);
    }

    /** @return a builder with the default limits and {@link AlphaPolicy#COMPOSITE_ON_WHITE} */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the limits this decoder enforces */
    public ImageLimits limits() {
        return limits;
    }

    /** @return the pixels that decodes running together may hold */
    public int decodeBudgetPixels() {
        return decodeBudgetPixels;
    }

    /** @return the part of the decode budget not held by a decode now */
    public int availableDecodePixels() {
        return decodeBudget.availablePermits();
    }

    /**
     * Decodes an image whose content type is unknown.
     *
     * @param bytes the encoded image
     * @return the decoded image
     * @throws ImageInputException if the bytes are refused
     */
    public DecodedImage decode(byte[] bytes) {
        return decode(bytes, null);
    }

    /**
     * Decodes an image.
     *
     * @param bytes the encoded image
     * @param declaredContentType the producer's content type, or null; only compared, never trusted
     * @return the decoded image with the sniffed format
     * @throws ImageInputException if the bytes are refused
     */
    public DecodedImage decode(byte[] bytes, String declaredContentType) {
        if (bytes == null || bytes.length == 0) {
            throw new ImageInputException(Reason.EMPTY, "image is empty (0 bytes)");
        }
        if (bytes.length > limits.maxEncodedBytes()) {
            throw new ImageInputException(
                    Reason.TOO_LARGE_BYTES,
                    "image is " + bytes.length + " bytes, the limit is " + limits.maxEncodedBytes());
        }
        ImageFormat format = ImageFormat.sniff(bytes)
                .orElseThrow(() -> new ImageInputException(
                        Reason.UNSUPPORTED_FORMAT, "not a JPEG or PNG image (first bytes " + hexPrefix(bytes) + ")"));
        if (!format.isDecodable()) {
            throw new ImageInputException(
                    Reason.UNSUPPORTED_FORMAT, format + " images are not supported; send JPEG or PNG");
        }
        BufferedImage decoded = read(bytes, format);
        boolean hadAlpha = decoded.getColorModel().hasAlpha();
        return new DecodedImage(toRgb(decoded, format), format, declaredContentType, hadAlpha);
    }

    private BufferedImage read(byte[] bytes, ImageFormat format) {
        ImageReader reader = readerFor(format);
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        try (ImageInputStream input = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(input, true, true);
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            checkDimensions(width, height, format);
            int pixels = (int) Math.min(decodeBudgetPixels, (long) width * height);
            acquire(pixels);
            try {
                BufferedImage image = reader.read(0);
                if (refuseTruncated) {
                    refuseIfTruncated(format, warnings);
                }
                return image;
            } finally {
                decodeBudget.release(pixels);
            }
        } catch (IOException e) {
            throw classify(format, e);
        } catch (RuntimeException e) {
            if (e instanceof ImageInputException iie) {
                throw iie;
            }
            // ImageIO's readers signal some malformed inputs with runtime exceptions.
            throw new ImageInputException(Reason.CORRUPT, format + " image is malformed: " + describe(e), e);
        } finally {
            reader.dispose();
        }
    }

    private void acquire(int pixels) {
        try {
            decodeBudget.acquire(pixels);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for decode memory", e);
        }
    }

    private static void refuseIfTruncated(ImageFormat format, List<String> warnings) {
        for (String warning : warnings) {
            String lower = warning.toLowerCase(Locale.ROOT);
            if (lower.contains("truncated") || lower.contains("premature end")) {
                throw new ImageInputException(Reason.CORRUPT, format + " image is truncated: " + warning);
            }
        }
    }

    private static ImageReader readerFor(ImageFormat format) {
        Iterator<ImageReader> readers =
                ImageIO.getImageReadersByFormatName(format.name().toLowerCase(Locale.ROOT));
        if (!readers.hasNext()) {
            throw new IllegalStateException("the JDK has no ImageIO reader for " + format);
        }
        return readers.next();
    }

    private void checkDimensions(int width, int height, ImageFormat format) {
        if (width < 1 || height < 1) {
            throw new ImageInputException(
                    Reason.CORRUPT, format + " header declares an empty image " + width + "x" + height);
        }
        long pixels = (long) width * height;
        if (pixels > limits.maxPixels()) {
            throw new ImageInputException(
                    Reason.TOO_MANY_PIXELS,
                    format + " header declares " + width + "x" + height + " = " + pixels + " pixels, the limit is "
                            + limits.maxPixels());
        }
        if (Math.max(width, height) > limits.maxSide()) {
            throw new ImageInputException(
                    Reason.TOO_LARGE_SIDE,
                    format + " header declares " + width + "x" + height + ", the limit per side is "
                            + limits.maxSide());
        }
    }

    private static ImageInputException classify(ImageFormat format, IOException e) {
        String message = describe(e);
        if (message.contains("Unsupported Image Type")) {
            return new ImageInputException(
                    Reason.UNSUPPORTED_FORMAT,
                    format + " colour type not supported (CMYK/YCCK JPEGs cannot be decoded): " + message,
                    e);
        }
        if (message.toLowerCase(Locale.ROOT).contains("unsupported")) {
            return new ImageInputException(Reason.UNSUPPORTED_FORMAT, format + " variant not supported: " + message, e);
        }
        return new ImageInputException(Reason.CORRUPT, format + " image is corrupt: " + message, e);
    }

    private static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (sb.length() > 0) {
                sb.append(" <- ");
            }
            sb.append(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
        }
        return sb.toString();
    }

    private static String hexPrefix(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(8, bytes.length); i++) {
            sb.append(String.format("%02x", bytes[i] & 0xFF));
        }
        return sb.toString();
    }

    private RgbImage toRgb(BufferedImage image, ImageFormat format) {
        ColorModel cm = image.getColorModel();
        if (cm instanceof IndexColorModel palette) {
            return fromPalette(image.getRaster(), palette);
        }
        int colourBands = image.getRaster().getNumBands() - (cm.hasAlpha() ? 1 : 0);
        int space = cm.getColorSpace().getType();
        boolean gray = space == ColorSpace.TYPE_GRAY && colourBands == 1;
        boolean rgb = space == ColorSpace.TYPE_RGB && colourBands == 3;
        if (space == ColorSpace.TYPE_CMYK && colourBands == 4 && !cm.hasAlpha()) {
            return fromCmyk(image.getRaster());
        }
        if (!gray && !rgb) {
            throw new ImageInputException(
                    Reason.UNSUPPORTED_FORMAT,
                    format + " with " + colourBands + " colour channels in colour space type " + space
                            + " is not supported; send RGB or grayscale");
        }
        return fromComponents(image.getRaster(), cm.hasAlpha(), cm.isAlphaPremultiplied(), gray);
    }

    private RgbImage fromPalette(Raster raster, IndexColorModel palette) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        int[] out = new int[w * h];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            raster.getSamples(0, y, w, 1, 0, row);
            for (int x = 0; x < w; x++) {
                int argb = palette.getRGB(row[x]);
                out[y * w + x] = flatten((argb >> 16) & 0xFF, (argb >> 8) & 0xFF, argb & 0xFF, argb >>> 24, false);
            }
        }
        return RgbImage.wrap(w, h, out);
    }

    private static RgbImage fromCmyk(Raster raster) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        int[] out = new int[w * h];
        int[] row = new int[w * 4];
        for (int y = 0; y < h; y++) {
            raster.getPixels(0, y, w, 1, row);
            for (int x = 0, i = 0; x < w; x++, i += 4) {
                int white = 255 - row[i + 3];
                int r = ((255 - row[i]) * white + 127) / 255;
                int g = ((255 - row[i + 1]) * white + 127) / 255;
                int b = ((255 - row[i + 2]) * white + 127) / 255;
                out[y * w + x] = (r << 16) | (g << 8) | b;
            }
        }
        return RgbImage.wrap(w, h, out);
    }

    private RgbImage fromComponents(Raster raster, boolean alpha, boolean premultiplied, boolean gray) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        int bands = raster.getNumBands();
        int[] max = new int[bands];
        for (int b = 0; b < bands; b++) {
            max[b] = (1 << raster.getSampleModel().getSampleSize(b)) - 1;
        }
        int[] out = new int[w * h];
        int[] row = new int[w * bands];
        for (int y = 0; y < h; y++) {
            raster.getPixels(0, y, w, 1, row);
            for (int x = 0, i = 0; x < w; x++, i += bands) {
                int r = to8Bit(row[i], max[0]);
                int g = gray ? r : to8Bit(row[i + 1], max[1]);
                int b = gray ? r : to8Bit(row[i + 2], max[2]);
                int a = alpha ? to8Bit(row[i + bands - 1], max[bands - 1]) : 255;
                out[y * w + x] = flatten(r, g, b, a, premultiplied);
            }
        }
        return RgbImage.wrap(w, h, out);
    }

    private static int to8Bit(int value, int max) {
        return max == 255 ? value : (int) (((long) value * 255 + max / 2) / max);
    }

    private int flatten(int r, int g, int b, int a, boolean premultiplied) {
        if (a == 255) {
            return (r << 16) | (g << 8) | b;
        }
        if (alphaPolicy == AlphaPolicy.DROP) {
            return premultiplied
                    ? (unpremultiply(r, a) << 16) | (unpremultiply(g, a) << 8) | unpremultiply(b, a)
                    : (r << 16) | (g << 8) | b;
        }
        return (onWhite(r, a, premultiplied) << 16)
                | (onWhite(g, a, premultiplied) << 8)
                | onWhite(b, a, premultiplied);
    }

    private static int onWhite(int c, int a, boolean premultiplied) {
        int covered = premultiplied ? c * 255 : c * a;
        return Math.min(255, (covered + 255 * (255 - a) + 127) / 255);
    }

    private static int unpremultiply(int c, int a) {
        return a == 0 ? 0 : Math.min(255, (c * 255 + a / 2) / a);
    }

    /** Builder for {@link ImageDecoder}; every setting is optional. */
    public static final class Builder {
        private ImageLimits limits = ImageLimits.defaults();
        private AlphaPolicy alphaPolicy = AlphaPolicy.COMPOSITE_ON_WHITE;
        private boolean refuseTruncated = true;
        private long decodeBudgetPixels;

        private Builder() {}

        /**
         * Pixels that decodes running at the same time may hold (the reader's raster and the RGB
         * result are each about 4 bytes a pixel); a decode waits until its image fits. At least
         * {@link ImageLimits#maxPixels()}.
         *
         * @param pixels default (0): twice the limits' {@link ImageLimits#maxPixels()}
         * @return this builder
         */
        public Builder optDecodeBudgetPixels(long pixels) {
            if (pixels < 0) {
                throw new IllegalArgumentException("decode budget must not be negative: " + pixels);
            }
            this.decodeBudgetPixels = pixels;
            return this;
        }

        /**
         * @param limits the size limits; default {@link ImageLimits#defaults()}
         * @return this builder
         */
        public Builder optLimits(ImageLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * @param alphaPolicy what to do with alpha; default {@link AlphaPolicy#COMPOSITE_ON_WHITE}
         * @return this builder
         */
        public Builder optAlphaPolicy(AlphaPolicy alphaPolicy) {
            this.alphaPolicy = Objects.requireNonNull(alphaPolicy, "alphaPolicy");
            return this;
        }

        /**
         * Whether a truncation warning (the JDK's JPEG reader warns instead of failing on a
         * truncated file and fills the missing rows with gray) refuses the image as {@link
         * Reason#CORRUPT}.
         *
         * @param refuse default true
         * @return this builder
         */
        public Builder optRefuseTruncated(boolean refuse) {
            this.refuseTruncated = refuse;
            return this;
        }

        /** @return the decoder */
        public ImageDecoder build() {
            return new ImageDecoder(this);
        }
    }
}
