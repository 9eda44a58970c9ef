package io.ccdstream.data.files;

import io.ccdstream.data.ImageRecords;
import io.ccdstream.schemas.Image;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Turns image files into {@code ccd.images} records: files up to {@code maxInlineBytes} inline,
 * larger ones as claim checks — a {@code file:} URI of the file's real path, or, with a URI prefix,
 * the prefix followed by the root-relative path (each segment percent-encoded) for files that are
 * served over HTTP.
 *
 * <p>Source attributes: {@code path} (absolute), {@code relative.path}, {@code size},
 * {@code modified} (ISO-8601), {@code capture.time.source} ({@code exif} or {@code mtime}). The
 * capture time is the EXIF one when a JPEG carries it ({@link ExifCaptureTime}), else the file's
 * modification time.
 *
 * @param classSetId     class set to label the images under
 * @param ids            how image ids are made
 * @param maxInlineBytes largest file sent inline
 * @param uriPrefix      prefix of claim-check URLs, or null for {@code file:} URIs
 */
public record ImageFileRecords(String classSetId, ImageIdScheme ids, int maxInlineBytes, String uriPrefix) {

    private static final int PREFIX_BYTES = 128 * 1024;

    /** The record of {@code file}, read now. */
    public Image record(ImageFile file) throws IOException {
        long size = Files.size(file.path());
        boolean inline = size <= maxInlineBytes;
        byte[] bytes = inline || ids == ImageIdScheme.CONTENT ? Files.readAllBytes(file.path()) : prefix(file);
        String imageId = ids == ImageIdScheme.CONTENT ? sha256(bytes) : file.relative();
        byte[] head = bytes.length > PREFIX_BYTES ? Arrays.copyOf(bytes, PREFIX_BYTES) : bytes;
        Optional<Instant> exif = ExifCaptureTime.of(head);
        Instant captureTime = exif.orElse(file.modified());
        Map<String, String> source = new LinkedHashMap<>();
        source.put("path", file.path().toString());
        source.put("relative.path", file.relative());
        source.put("size", Long.toString(size));
        source.put("modified", file.modified().toString());
        source.put("capture.time.source", exif.isPresent() ? "exif" : "mtime");
        String contentType = contentType(head, file.relative());
        if (inline) {
            return ImageRecords.inlineTaken(classSetId, imageId, bytes, contentType, captureTime, source);
        }
        return ImageRecords.claimCheck(classSetId, imageId, uri(file), contentType, size, captureTime, source);
    }

    /** The claim-check URI of {@code file}. */
    public String uri(ImageFile file) throws IOException {
        if (uriPrefix == null) {
            return file.path().toRealPath().toUri().toString();
        }
        String encoded = Arrays.stream(file.relative().split("/"))
                .map(ImageFileRecords::encodeSegment)
                .collect(Collectors.joining("/"));
        return uriPrefix.endsWith("/") ? uriPrefix + encoded : uriPrefix + "/" + encoded;
    }

    /** The media type from the magic bytes (JPEG, PNG), else from the file name's extension. */
    public static String contentType(byte[] head, String name) {
        if (head.length >= 8 && (head[0] & 0xFF) == 0x89 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G') {
            return "image/png";
        }
        if (head.length >= 3 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xD8 && (head[2] & 0xFF) == 0xFF) {
            return "image/jpeg";
        }
        return name.toLowerCase(Locale.ROOT).endsWith(".png") ? "image/png" : "image/jpeg";
    }

    /** Lower-case hex SHA-256 of {@code bytes}. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static byte[] prefix(ImageFile file) throws IOException {
        try (InputStream in = Files.newInputStream(file.path())) {
            return in.readNBytes(PREFIX_BYTES);
        }
    }

    private static String encodeSegment(String segment) {
        try {
            // the path component of a URI, encoded per RFC 3986 by the URI constructor
            return new URI(null, null, segment, null).getRawPath().replace(":", "%3A");
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("cannot encode " + segment, e);
        }
    }
}
