package io.ccdstream.method.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.ccdstream.method.image.ImageInputException.Reason;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ImageDecoderTest {

    private static final ColorSpace GRAY = ColorSpace.getInstance(ColorSpace.CS_GRAY);
    private static final ColorSpace SRGB = ColorSpace.getInstance(ColorSpace.CS_sRGB);

    private final ImageDecoder decoder = ImageDecoder.builder().build();

    @Test
    void shouldDecodeRgbJpegCloseToSource() {
        byte[] jpeg = TestImages.encode(TestImages.gradientRgb(64, 48), "jpeg");

        DecodedImage decoded = decoder.decode(jpeg, "image/jpeg");

        assertThat(decoded.format()).isEqualTo(ImageFormat.JPEG);
        assertThat(decoded.image().width()).isEqualTo(64);
        assertThat(decoded.image().height()).isEqualTo(48);
        int rgb = decoded.image().rgb(32, 24);
        assertThat((rgb >> 16) & 0xFF).isCloseTo(127, within(8));
        assertThat((rgb >> 8) & 0xFF).isCloseTo(127, within(8));
        assertThat(rgb & 0xFF).isCloseTo(0x40, within(8));
        assertThat(decoded.contentTypeMismatch()).isFalse();
    }

    @Test
    void shouldKeepGrayPngValuesWithoutGammaConversion() {
        byte[] png =
                TestImages.encode(TestImages.filledComponents(5, 3, GRAY, false, DataBuffer.TYPE_BYTE, 100), "png");

        RgbImage image = decoder.decode(png).image();

        assertThat(image.rgb(4, 2)).isEqualTo(0x646464);
    }

    @Test
    void shouldScaleSixteenBitGrayPngToEightBitsWithRounding() {
        // 0x8080 * 255 / 65535 = 128.0 exactly; 1000 * 255 / 65535 = 3.89 -> 4
        byte[] png = TestImages.encode(
                new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY) {
                    {
                        getRaster().setSample(0, 0, 0, 0x8080);
                        getRaster().setSample(1, 0, 0, 1000);
                    }
                },
                "png");

        RgbImage image = decoder.decode(png).image();

        assertThat(image.rgb(0, 0)).isEqualTo(0x808080);
        assertThat(image.rgb(1, 0)).isEqualTo(0x040404);
    }

    @Test
    void shouldDecodeSixteenBitRgbPng() {
        byte[] png = TestImages.encode(
                TestImages.filledComponents(3, 3, SRGB, false, DataBuffer.TYPE_USHORT, 65535, 0x8080, 0), "png");

        assertThat(decoder.decode(png).image().rgb(1, 1)).isEqualTo(0xFF8000);
    }

    @Test
    void shouldCompositeSixteenBitRgbaPngOnWhite() {
        // alpha 0 everywhere: whatever the colour, the result is the white background
        byte[] png = TestImages.encode(
                TestImages.filledComponents(2, 2, SRGB, true, DataBuffer.TYPE_USHORT, 0, 0, 65535, 0), "png");

        DecodedImage decoded = decoder.decode(png);

        assertThat(decoded.hadAlpha()).isTrue();
        assertThat(decoded.image().rgb(0, 0)).isEqualTo(0xFFFFFF);
    }

    @Test
    void shouldCompositeGrayAlphaPngOnWhite() {
        // gray 0 at alpha 128: 0 * 128/255 + 255 * 127/255 = 127
        byte[] png =
                TestImages.encode(TestImages.filledComponents(2, 2, GRAY, true, DataBuffer.TYPE_BYTE, 0, 128), "png");

        assertThat(decoder.decode(png).image().rgb(1, 1)).isEqualTo(0x7F7F7F);
    }

    @Test
    void shouldCompositeRgbaOnWhiteByDefaultAndDropAlphaOnRequest() {
        byte[] png = TestImages.encode(TestImages.filledArgb(2, 2, 0x80FF0000), "png");

        RgbImage composited = decoder.decode(png).image();
        RgbImage dropped = ImageDecoder.builder()
                .optAlphaPolicy(AlphaPolicy.DROP)
                .build()
                .decode(png)
                .image();

        // red at alpha 128/255 over white: r = 255, g = b = 255 * 127 / 255 = 127
        assertThat(composited.rgb(0, 0)).isEqualTo(0xFF7F7F);
        assertThat(dropped.rgb(0, 0)).isEqualTo(0xFF0000);
    }

    @Test
    void shouldExpandPalettePngIncludingTransparentEntry() {
        byte[] r = {(byte) 255, 0, 0};
        byte[] g = {0, (byte) 255, 0};
        byte[] b = {0, 0, (byte) 255};
        byte[] a = {(byte) 255, (byte) 255, 0};
        IndexColorModel palette = new IndexColorModel(8, 3, r, g, b, a);
        BufferedImage indexed = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_INDEXED, palette);
        indexed.getRaster().setSamples(0, 0, 3, 1, 0, new int[] {0, 1, 2});

        RgbImage image = decoder.decode(TestImages.encode(indexed, "png")).image();

        assertThat(image.pixels()).containsExactly(0xFF0000, 0x00FF00, 0xFFFFFF);
    }

    @Test
    void shouldConvertPlainCmykJpegWithProfileFreeFormula() {
        // C = 255, M = Y = K = 0 is cyan; JPEG is lossy, so allow a few levels
        byte[] jpeg = TestImages.cmykJpeg(16, 16, 255, 0, 0, 0);

        int rgb = decoder.decode(jpeg).image().rgb(8, 8);

        assertThat((rgb >> 16) & 0xFF).isCloseTo(0, within(4));
        assertThat((rgb >> 8) & 0xFF).isCloseTo(255, within(4));
        assertThat(rgb & 0xFF).isCloseTo(255, within(4));
    }

    @Test
    @Timeout(5)
    void shouldRefuseDecompressionBombFromHeaderBeforeAllocating() {
        byte[] bomb = TestImages.pngHeaderClaiming(100_000, 100_000);

        assertThatThrownBy(() -> decoder.decode(bomb, "image/png"))
                .isInstanceOfSatisfying(
                        ImageInputException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TOO_MANY_PIXELS))
                .hasMessageContaining("100000x100000");
    }

    @Test
    @Timeout(5)
    void shouldRefuseASmallPngOfAHugeCanvasWithTheDefaultLimits() throws Exception {
        // a real, complete 6000x6000 PNG: one bit per pixel, all white, about 100 KB encoded;
        // decoded it would take 6000 * 6000 * 4 bytes = 137 MiB of RGB plus the reader's raster
        java.awt.image.BufferedImage canvas =
                new java.awt.image.BufferedImage(6000, 6000, java.awt.image.BufferedImage.TYPE_BYTE_BINARY);
        byte[] png = TestImages.encode(canvas, "png");
        assertThat(png.length).isLessThan(200_000);

        assertThatThrownBy(() -> ImageDecoder.builder().build().decode(png, "image/png"))
                .isInstanceOfSatisfying(
                        ImageInputException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TOO_MANY_PIXELS))
                .hasMessageContaining("header declares 6000x6000");
    }

    @Test
    void shouldAcceptTheLargestDefaultCanvasAndRaiseTheLimitWhenAsked() {
        ImageLimits defaults = ImageLimits.defaults();
        assertThat(defaults.maxPixels()).isEqualTo(4096L * 4096);
        byte[] wide = TestImages.pngHeaderClaiming(6000, 6000);
        ImageDecoder raised = ImageDecoder.builder()
                .optLimits(ImageLimits.builder().optMaxPixels(40_000_000L).build())
                .build();
        // past the pixel check: the header-only PNG fails later, as corrupt, not as too large
        assertThatThrownBy(() -> raised.decode(wide))
                .isInstanceOfSatisfying(
                        ImageInputException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CORRUPT));
    }

    @Test
    @Timeout(20)
    void shouldShareTheDecodeBudgetBetweenConcurrentDecodesAndReleaseIt() throws Exception {
        // a budget of one 64x64 image: eight threads decode one after the other, none fails
        ImageDecoder budgeted = ImageDecoder.builder()
                .optLimits(ImageLimits.builder().optMaxPixels(64 * 64).build())
                .optDecodeBudgetPixels(64 * 64)
                .build();
        byte[] png = TestImages.encode(TestImages.gradientRgb(64, 64), "png");
        byte[] corrupt = java.util.Arrays.copyOf(png, png.length / 2);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<Integer>> widths = new java.util.ArrayList<>();
            for (int i = 0; i < 16; i++) {
                widths.add(pool.submit(() -> budgeted.decode(png).image().width()));
                pool.submit(() -> {
                    try {
                        budgeted.decode(corrupt);
                    } catch (ImageInputException expected) {
                        // refused, and its share of the budget is back
                    }
                });
            }
            for (var width : widths) {
                assertThat(width.get()).isEqualTo(64);
            }
        } finally {
            pool.shutdown();
            assertThat(pool.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS))
                    .isTrue();
        }
        assertThat(budgeted.availableDecodePixels()).isEqualTo(64 * 64);
        assertThatThrownBy(
                        () -> ImageDecoder.builder().optDecodeBudgetPixels(100).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must hold one image");
    }

    @Test
    void shouldRefuseOverlongSideEvenWithFewPixels() {
        byte[] png = TestImages.pngHeaderClaiming(20_000, 2);

        assertThatThrownBy(() -> decoder.decode(png))
                .isInstanceOfSatisfying(
                        ImageInputException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE_SIDE));
    }

    @Test
    void shouldRefuseEmptyInput() {
        assertReason(new byte[0], Reason.EMPTY);
        assertReason(null, Reason.EMPTY);
    }

    @Test
    void shouldRefuseMoreEncodedBytesThanTheLimit() {
        ImageDecoder small = ImageDecoder.builder()
                .optLimits(ImageLimits.builder().optMaxEncodedBytes(100).build())
                .build();
        byte[] png = TestImages.encode(TestImages.gradientRgb(64, 64), "png");

        assertThatThrownBy(() -> small.decode(png))
                .isInstanceOfSatisfying(
                        ImageInputException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE_BYTES));
    }

    @Test
    void shouldRefuseRandomBytesAsUnsupportedFormat() {
        byte[] noise = new byte[4096];
        new Random(42).nextBytes(noise);
        noise[0] = 0x12; // make sure no magic matches by chance

        assertReason(noise, Reason.UNSUPPORTED_FORMAT);
    }

    @Test
    void shouldRefuseRandomBytesBehindPngSignatureAsCorrupt() {
        byte[] noise = new byte[4096];
        new Random(7).nextBytes(noise);
        System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}, 0, noise, 0, 8);

        assertReason(noise, Reason.CORRUPT);
    }

    @Test
    void shouldRefuseTruncatedPngAsCorrupt() {
        byte[] png = TestImages.encode(TestImages.gradientRgb(64, 64), "png");

        assertReason(Arrays.copyOf(png, png.length / 2), Reason.CORRUPT);
    }

    @Test
    void shouldRefuseJpegTruncatedInsideTheScanAsCorrupt() {
        byte[] jpeg = TestImages.encode(TestImages.gradientRgb(256, 256), "jpeg");

        assertReason(Arrays.copyOf(jpeg, jpeg.length * 3 / 4), Reason.CORRUPT);
    }

    @Test
    void shouldAcceptTruncatedJpegWhenAskedToBeLenient() {
        byte[] jpeg = TestImages.encode(TestImages.gradientRgb(256, 256), "jpeg");
        ImageDecoder lenient = ImageDecoder.builder().optRefuseTruncated(false).build();

        assertThat(lenient.decode(Arrays.copyOf(jpeg, jpeg.length * 3 / 4))
                        .image()
                        .width())
                .isEqualTo(256);
    }

    @Test
    void shouldRefuseJpegTruncatedInsideTheHeaderAsCorrupt() {
        byte[] jpeg = TestImages.encode(TestImages.gradientRgb(16, 16), "jpeg");

        assertReason(Arrays.copyOf(jpeg, 40), Reason.CORRUPT);
    }

    @Test
    void shouldNameRecognisedButUnsupportedFormats() {
        byte[] gif = TestImages.encode(TestImages.gradientRgb(4, 4), "gif");

        assertThatThrownBy(() -> decoder.decode(gif, "image/gif"))
                .isInstanceOfSatisfying(
                        ImageInputException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_FORMAT))
                .hasMessageContaining("GIF");
    }

    @Test
    void shouldDecodeBySniffedFormatAndExposeContentTypeMismatch() {
        byte[] png = TestImages.encode(TestImages.gradientRgb(4, 4), "png");

        DecodedImage declaredJpeg = decoder.decode(png, "image/jpeg");
        DecodedImage declaredOctets = decoder.decode(png, "application/octet-stream");
        DecodedImage declaredPng = decoder.decode(png, "image/PNG; charset=binary");
        DecodedImage undeclared = decoder.decode(png);

        assertThat(declaredJpeg.format()).isEqualTo(ImageFormat.PNG);
        assertThat(declaredJpeg.contentTypeMismatch()).isTrue();
        assertThat(declaredJpeg.contentTypeNote())
                .hasValueSatisfying(n -> assertThat(n).contains("image/jpeg", "PNG"));
        assertThat(declaredOctets.contentTypeMismatch()).isTrue();
        assertThat(declaredPng.contentTypeMismatch()).isFalse();
        assertThat(undeclared.contentTypeMismatch()).isFalse();
        assertThat(undeclared.contentTypeNote()).isEmpty();
    }

    private void assertReason(byte[] bytes, Reason reason) {
        assertThatThrownBy(() -> decoder.decode(bytes)).isInstanceOfSatisfying(ImageInputException.class, e -> {
            assertThat(e.reason()).isEqualTo(reason);
            assertThat(e.getMessage()).isNotBlank();
        });
    }
}
