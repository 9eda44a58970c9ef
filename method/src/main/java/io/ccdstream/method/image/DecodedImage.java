package io.ccdstream.method.image;

import java.util.Objects;
import java.util.Optional;

/**
 * The result of {@link ImageDecoder#decode(byte[], String)}: the pixels plus what the decoder
 * learned about the input.
 *
 * <p>The format always comes from the magic bytes. A declared content type that disagrees is
 * not a refusal (producers often send {@code application/octet-stream} or the wrong image type);
 * it is exposed through {@link #contentTypeMismatch()} so that callers can count or log it.
 *
 * @param image the decoded 8-bit RGB pixels
 * @param format the format found in the magic bytes
 * @param declaredContentType the content type the producer declared, or null if none
 * @param hadAlpha whether the source had an alpha channel (handled per {@link AlphaPolicy})
 */
public record DecodedImage(RgbImage image, ImageFormat format, String declaredContentType, boolean hadAlpha) {

    /** Requires the image and the format. */
    public DecodedImage {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(format, "format");
    }

    /**
     * @return true when a content type was declared and it does not name the sniffed format
     *     (generic types such as {@code application/octet-stream} included)
     */
    public boolean contentTypeMismatch() {
        return declaredContentType != null
                && !declaredContentType.isBlank()
                && ImageFormat.fromContentType(declaredContentType)
                        .filter(f -> f == format)
                        .isEmpty();
    }

    /** @return a human note about a content-type mismatch, if there is one */
    public Optional<String> contentTypeNote() {
        if (!contentTypeMismatch()) {
            return Optional.empty();
        }
        return Optional.of("declared content type '" + declaredContentType + "' but the bytes are " + format
                + "; decoded as " + format);
    }
}
