package io.ccdstream.data.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ExifCaptureTimeTest {

    /**
     * A JPEG prefix with an APP1 EXIF segment laid out by hand (TIFF header, IFD0 with one entry that
     * points to the EXIF IFD, which holds DateTimeOriginal), in the given byte order.
     */
    static byte[] jpegWithExif(ByteOrder order, String dateTimeOriginal) {
        ByteBuffer tiff = ByteBuffer.allocate(8 + 18 + 18 + 20).order(order);
        tiff.put(order == ByteOrder.LITTLE_ENDIAN ? new byte[] {'I', 'I'} : new byte[] {'M', 'M'});
        tiff.putShort((short) 42).putInt(8);
        // IFD0 at 8: one entry, ExifIFD pointer (LONG) to offset 26
        tiff.putShort((short) 1)
                .putShort((short) 0x8769)
                .putShort((short) 4)
                .putInt(1)
                .putInt(26)
                .putInt(0);
        // EXIF IFD at 26: one entry, DateTimeOriginal (ASCII, 20 bytes) at offset 44
        tiff.putShort((short) 1)
                .putShort((short) 0x9003)
                .putShort((short) 2)
                .putInt(20)
                .putInt(44)
                .putInt(0);
        tiff.put((dateTimeOriginal + "\0").getBytes(StandardCharsets.US_ASCII));
        byte[] tiffBytes = tiff.array();
        ByteBuffer jpeg = ByteBuffer.allocate(2 + 4 + 6 + tiffBytes.length + 2);
        jpeg.put((byte) 0xFF).put((byte) 0xD8).put((byte) 0xFF).put((byte) 0xE1);
        jpeg.putShort((short) (2 + 6 + tiffBytes.length));
        jpeg.put("Exif\0\0".getBytes(StandardCharsets.US_ASCII)).put(tiffBytes);
        jpeg.put((byte) 0xFF).put((byte) 0xD9);
        return jpeg.array();
    }

    @Test
    void shouldReadDateTimeOriginalInEitherByteOrderAsUtc() {
        Instant expected = Instant.parse("2021-03-04T05:06:07Z");
        assertThat(ExifCaptureTime.of(jpegWithExif(ByteOrder.BIG_ENDIAN, "2021:03:04 05:06:07")))
                .contains(expected);
        assertThat(ExifCaptureTime.of(jpegWithExif(ByteOrder.LITTLE_ENDIAN, "2021:03:04 05:06:07")))
                .contains(expected);
    }

    @Test
    void shouldGiveNothingForImagesWithoutOrWithBrokenExif() {
        assertThat(ExifCaptureTime.of(new byte[] {(byte) 0x89, 'P', 'N', 'G'})).isEmpty();
        assertThat(ExifCaptureTime.of(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xDA, 0, 2}))
                .isEmpty();
        assertThat(ExifCaptureTime.of(jpegWithExif(ByteOrder.BIG_ENDIAN, "not a date at all!!")))
                .isEmpty();
        byte[] truncated = jpegWithExif(ByteOrder.BIG_ENDIAN, "2021:03:04 05:06:07");
        assertThat(ExifCaptureTime.of(java.util.Arrays.copyOf(truncated, 30))).isEmpty();
    }
}
