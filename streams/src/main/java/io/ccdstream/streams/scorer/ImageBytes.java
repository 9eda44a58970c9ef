package io.ccdstream.streams.scorer;

import io.ccdstream.schemas.Image;
import io.ccdstream.streams.CcdTopics;
import io.ccdstream.streams.errors.PoisonRecordException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Gets the encoded bytes of an image record: inline bytes, or a claim check ({@code file:} URI)
 * under one of the allowed roots. Anything else is refused with a reason.
 *
 * @param allowedFileRoots directories whose files a claim check may name; empty refuses every file URI
 * @param maxFetchBytes    largest claim-checked file accepted
 */
public record ImageBytes(List<Path> allowedFileRoots, long maxFetchBytes) {

    /** Freezes and normalises the roots. */
    public ImageBytes {
        allowedFileRoots = allowedFileRoots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    }

    /** Inline images only. */
    public static ImageBytes inlineOnly() {
        return new ImageBytes(List.of(), 0);
    }

    /** The encoded image of {@code image}. */
    public byte[] of(Image image) {
        ByteBuffer data = image.getData();
        String uri = image.getUri();
        if ((data == null) == (uri == null)) {
            throw new PoisonRecordException("INVALID_IMAGE_RECORD", "image " + image.getImageId()
                + " must carry exactly one of data and uri, it has " + (data == null ? "neither" : "both"));
        }
        if (data != null) {
            if (data.remaining() > CcdTopics.MAX_INLINE_IMAGE_BYTES) {
                throw new PoisonRecordException("IMAGE_TOO_LARGE", "inline image " + image.getImageId() + " has "
                    + data.remaining() + " bytes, more than the " + CcdTopics.MAX_INLINE_IMAGE_BYTES
                    + " allowed inline: send it by claim check");
            }
            byte[] bytes = new byte[data.remaining()];
            data.duplicate().get(bytes);
            return bytes;
        }
        return fetch(image.getImageId(), uri);
    }

    private byte[] fetch(String imageId, String uriText) {
        URI uri;
        try {
            uri = URI.create(uriText);
        } catch (IllegalArgumentException e) {
            throw new PoisonRecordException("INVALID_URI", "image " + imageId + ": not a URI: " + uriText, e);
        }
        if (!"file".equalsIgnoreCase(uri.getScheme())) {
            throw new PoisonRecordException("UNSUPPORTED_URI", "image " + imageId + ": scheme of " + uriText
                + " is not supported by this scorer (file: URIs under an allowed root are)");
        }
        Path path = Path.of(uri).toAbsolutePath().normalize();
        if (allowedFileRoots.stream().noneMatch(path::startsWith)) {
            throw new PoisonRecordException("URI_NOT_ALLOWED", "image " + imageId + ": " + path
                + " is not under an allowed root " + allowedFileRoots);
        }
        try (InputStream in = Files.newInputStream(path)) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxFetchBytes + 1));
            if (bytes.length > maxFetchBytes) {
                throw new PoisonRecordException("IMAGE_TOO_LARGE", "image " + imageId + ": " + path
                    + " is larger than " + maxFetchBytes + " bytes");
            }
            return bytes;
        } catch (IOException e) {
            throw new PoisonRecordException("IMAGE_UNREADABLE", "image " + imageId + ": cannot read " + path, e);
        }
    }
}
