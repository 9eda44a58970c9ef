package io.ccdstream.method.image;

import java.util.Locale;
import java.util.Optional;

/**
 * Image container formats recognised by their magic bytes. Only {@link #JPEG} and {@link #PNG}
 * are decoded; the others are recognised so that a refusal can name what was sent.
 */
public enum ImageFormat {
    /** JPEG/JFIF/EXIF: {@code FF D8 FF}. */
    JPEG(true, "image/jpeg"),
    /** PNG: {@code 89 50 4E 47 0D 0A 1A 0A}. */
    PNG(true, "image/png"),
    /** GIF87a/GIF89a (recognised, not decoded). */
    GIF(false, "image/gif"),
    /** Windows BMP (recognised, not decoded). */
    BMP(false, "image/bmp"),
    /** WebP in a RIFF container (recognised, not decoded). */
    WEBP(false, "image/webp"),
    /** TIFF, either byte order (recognised, not decoded). */
    TIFF(false, "image/tiff");

    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private final boolean decodable;
    private final String mediaType;

    ImageFormat(boolean decodable, String mediaType) {
        this.decodable = decodable;
        this.mediaType = mediaType;
    }

    /** @return whether {@link ImageDecoder} decodes this format */
    public boolean isDecodable() {
        return decodable;
    }

    /** @return the IANA media type, e.g. {@code image/png} */
    public String mediaType() {
        return mediaType;
    }

    /**
     * Identifies the format from the first bytes.
     *
     * @param bytes the encoded image
     * @return the format, or empty if the magic bytes are not one of the known formats
     */
    public static Optional<ImageFormat> sniff(byte[] bytes) {
        if (startsWith(bytes, PNG_MAGIC)) {
            return Optional.of(PNG);
        }
        if (startsWith(bytes, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF})) {
            return Optional.of(JPEG);
        }
        if (startsWith(bytes, "GIF87a".getBytes()) || startsWith(bytes, "GIF89a".getBytes())) {
            return Optional.of(GIF);
        }
        if (startsWith(bytes, "BM".getBytes()) && bytes.length >= 14) {
            return Optional.of(BMP);
        }
        if (startsWith(bytes, "RIFF".getBytes())
                && bytes.length >= 12
                && bytes[8] == 'W'
                && bytes[9] == 'E'
                && bytes[10] == 'B'
                && bytes[11] == 'P') {
            return Optional.of(WEBP);
        }
        if (startsWith(bytes, new byte[] {'I', 'I', 42, 0}) || startsWith(bytes, new byte[] {'M', 'M', 0, 42})) {
            return Optional.of(TIFF);
        }
        return Optional.empty();
    }

    /**
     * Maps a declared content type (parameters such as {@code ;charset=} ignored, case-insensitive)
     * to a format. {@code image/jpg} and {@code image/pjpeg} count as JPEG.
     *
     * @param contentType a MIME type, may be null
     * @return the format, or empty when the type is null, blank, or not an image type we know
     */
    public static Optional<ImageFormat> fromContentType(String contentType) {
        if (contentType == null) {
            return Optional.empty();
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        switch (type) {
            case "image/jpeg", "image/jpg", "image/pjpeg":
                return Optional.of(JPEG);
            case "image/png", "image/x-png":
                return Optional.of(PNG);
            default:
                for (ImageFormat f : values()) {
                    if (f.mediaType.equals(type)) {
                        return Optional.of(f);
                    }
                }
                return Optional.empty();
        }
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
