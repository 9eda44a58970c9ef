package io.ccdstream.data.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFileScannerTest {

    @TempDir
    Path dir;

    private void touch(String relative) throws IOException {
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[] {1, 2, 3});
    }

    private List<String> scan(List<String> includes, List<String> excludes) {
        return new ImageFileScanner(includes, excludes)
                .scan(List.of(dir)).stream().map(ImageFile::relative).toList();
    }

    @Test
    void shouldFindJpegAndPngFilesRecursivelyInPathOrder() throws IOException {
        touch("b.png");
        touch("a/c.JPG");
        touch("a/deep/d.jpeg");
        touch("notes.txt");
        touch("a/e.gif");

        assertThat(scan(List.of(), List.of())).containsExactly("a/c.JPG", "a/deep/d.jpeg", "b.png");
    }

    @Test
    void shouldApplyIncludeAndExcludeGlobsToTheRelativePathOrTheFileName() throws IOException {
        touch("cam1/x.png");
        touch("cam1/skip/y.png");
        touch("cam2/z.jpg");
        touch("top.png");

        assertThat(scan(List.of("*.png"), List.of())).containsExactly("cam1/skip/y.png", "cam1/x.png", "top.png");
        assertThat(scan(List.of("cam1/**"), List.of("**/skip/**"))).containsExactly("cam1/x.png");
        assertThat(scan(List.of(), List.of("cam*/**"))).containsExactly("top.png");
    }

    @Test
    void shouldTakeAFileGivenDirectlyWithItsNameAsRelativePath() throws IOException {
        touch("a/one.png");

        List<ImageFile> files = new ImageFileScanner(List.of(), List.of()).scan(List.of(dir.resolve("a/one.png")));

        assertThat(files).singleElement().satisfies(f -> {
            assertThat(f.relative()).isEqualTo("one.png");
            assertThat(f.size()).isEqualTo(3);
            assertThat(f.fingerprint()).contains(f.path().toString()).contains("|3|");
        });
    }

    @Test
    void shouldRefuseARootThatDoesNotExist() {
        assertThatThrownBy(() -> new ImageFileScanner(List.of(), List.of()).scan(List.of(dir.resolve("nope"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no such file or directory");
    }
}
