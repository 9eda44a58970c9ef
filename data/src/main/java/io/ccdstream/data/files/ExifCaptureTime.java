package io.ccdstream.data.files;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads the EXIF capture time ({@code DateTimeOriginal}, tag 0x9003 of the EXIF sub-IFD; else
 * {@code DateTime}, tag 0x0132 of IFD0) from the APP1 segment of a JPEG's first bytes. EXIF stores
 * local time without a zone; it is read as UTC. Anything malformed or missing gives empty: the
 * caller falls back to the file's modification time.
 */
public final class ExifCaptureTime {

    private static final DateTimeFormatter EXIF_TIME = DateTimeFormatter.ofPattern("yyyy:MM:dd HH:mm:ss");

    private ExifCaptureTime() {}

    /** The capture time in the EXIF data of {@code jpegPrefix} (the file's first bytes), if any. */
    public static Optional<Instant> of(byte[] jpegPrefix) {
        try {
            return find(jpegPrefix);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<Instant> find(byte[] b) {
        if (b.length < 4 || (b[0] & 0xFF) != 0xFF || (b[1] & 0xFF) != 0xD8) {
            return Optional.empty();
        }
        int pos = 2;
        while (pos + 4 <= b.length && (b[pos] & 0xFF) == 0xFF) {
            int marker = b[pos + 1] & 0xFF;
            int length = ((b[pos + 2] & 0xFF) << 8) | (b[pos + 3] & 0xFF);
            if (marker == 0xDA || marker == 0xD9) {
                return Optional.empty(); // start of scan: no EXIF before the pixels
            }
            if (marker == 0xE1
                    && pos + 10 <= b.length
                    && new String(b, pos + 4, 6, StandardCharsets.US_ASCII).equals("Exif\0\0")) {
                int start = pos + 10;
                int end = Math.min(b.length, pos + 2 + length);
                return tiff(ByteBuffer.wrap(b, start, end - start).slice());
            }
            pos += 2 + length;
        }
        return Optional.empty();
    }

    private static Optional<Instant> tiff(ByteBuffer t) {
        t.order(t.get(0) == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        int ifd0 = t.getInt(4);
        Optional<Instant> dateTime = Optional.empty();
        int exifIfd = -1;
        int entries = t.getShort(ifd0) & 0xFFFF;
        for (int i = 0; i < entries; i++) {
            int entry = ifd0 + 2 + 12 * i;
            int tag = t.getShort(entry) & 0xFFFF;
            if (tag == 0x8769) {
                exifIfd = t.getInt(entry + 8);
            } else if (tag == 0x0132) {
                dateTime = ascii(t, entry);
            }
        }
        if (exifIfd > 0) {
            int count = t.getShort(exifIfd) & 0xFFFF;
            for (int i = 0; i < count; i++) {
                int entry = exifIfd + 2 + 12 * i;
                if ((t.getShort(entry) & 0xFFFF) == 0x9003) {
                    Optional<Instant> original = ascii(t, entry);
                    if (original.isPresent()) {
                        return original;
                    }
                }
            }
        }
        return dateTime;
    }

    private static Optional<Instant> ascii(ByteBuffer t, int entry) {
        int count = t.getInt(entry + 4);
        if (count < 19) {
            return Optional.empty();
        }
        int offset = t.getInt(entry + 8);
        byte[] text = new byte[19];
        t.get(offset, text);
        try {
            return Optional.of(LocalDateTime.parse(new String(text, StandardCharsets.US_ASCII), EXIF_TIME)
                    .toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
