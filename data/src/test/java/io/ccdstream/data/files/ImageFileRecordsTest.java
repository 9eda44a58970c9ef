package io.ccdstream.data.files;

import static org.assertj.core.api.Assertions.assertThat;

import io.ccdstream.schemas.Image;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFileRecordsTest {

    @TempDir
    Path dir;

    private ImageFile file(String relative) {
        return new ImageFileScanner(List.of(), List.of())
                .scan(List.of(dir)).stream()
                        .filter(f -> f.relative().equals(relative))
                        .findFirst()
                        .orElseThrow();
    }

    @Test
    void shouldSendSmallFilesInlineWithPathIdAndModificationTime() throws IOException {
        Path png = dir.resolve("sub/one.png");
        Files.createDirectories(png.getParent());
        ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "png", png.toFile());
        Instant modified = Instant.parse("2020-01-02T03:04:05Z");
        Files.setLastModifiedTime(png, FileTime.from(modified));

        Image image = new ImageFileRecords("cs", ImageIdScheme.PATH, 1024, null).record(file("sub/one.png"));

        assertThat(image.getImageId()).isEqualTo("sub/one.png");
        assertThat(image.getClassSetId()).isEqualTo("cs");
        assertThat(image.getUri()).isNull();
        assertThat(image.getData().remaining()).isEqualTo(Files.size(png));
        assertThat(image.getContentType()).isEqualTo("image/png");
        assertThat(image.getCaptureTime()).isEqualTo(modified);
        assertThat(image.getSource())
                .containsEntry("relative.path", "sub/one.png")
                .containsEntry("path", png.toString())
                .containsEntry("size", Long.toString(Files.size(png)))
                .containsEntry("modified", modified.toString())
                .containsEntry("capture.time.source", "mtime");
    }

    @Test
    void shouldSendLargeFilesByClaimCheckAsFileUriOrPrefixedUrlWithContentIdAndExifTime() throws IOException {
        byte[] exif = ExifCaptureTimeTest.jpegWithExif(ByteOrder.BIG_ENDIAN, "2019:12:31 23:59:58");
        byte[] big = java.util.Arrays.copyOf(exif, 5000); // padded past the inline limit of this test
        Path jpg = dir.resolve("a b/big.jpg");
        Files.createDirectories(jpg.getParent());
        Files.write(jpg, big);

        Image byFile = new ImageFileRecords("cs", ImageIdScheme.CONTENT, 1024, null).record(file("a b/big.jpg"));
        Image byUrl = new ImageFileRecords("cs", ImageIdScheme.PATH, 1024, "https://files.example.com/imgs")
                .record(file("a b/big.jpg"));

        assertThat(byFile.getData()).isNull();
        assertThat(byFile.getUri()).isEqualTo(jpg.toRealPath().toUri().toString());
        assertThat(byFile.getImageId()).hasSize(64).isEqualTo(ImageFileRecords.sha256(big));
        assertThat(byFile.getByteSize()).isEqualTo(5000);
        assertThat(byFile.getContentType()).isEqualTo("image/jpeg");
        assertThat(byFile.getCaptureTime()).isEqualTo(Instant.parse("2019-12-31T23:59:58Z"));
        assertThat(byFile.getSource()).containsEntry("capture.time.source", "exif");
        assertThat(byUrl.getUri()).isEqualTo("https://files.example.com/imgs/a%20b/big.jpg");
        assertThat(byUrl.getImageId()).isEqualTo("a b/big.jpg");
    }

    @Test
    void shouldTakeTheContentTypeFromTheBytesBeforeTheName() {
        assertThat(ImageFileRecords.contentType(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}, "x.png"))
                .isEqualTo("image/jpeg");
        assertThat(ImageFileRecords.contentType(new byte[] {1, 2}, "x.PNG")).isEqualTo("image/png");
        assertThat(ImageFileRecords.contentType(new byte[] {1, 2}, "x.jpg")).isEqualTo("image/jpeg");
    }
}
