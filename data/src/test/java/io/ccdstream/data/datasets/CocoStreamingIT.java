package io.ccdstream.data.datasets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real train2014 instances file is 330 MB, mostly segmentations; the loader must stream it.
 * Here a 50,000-annotation file of about the same bytes per annotation is loaded in-process
 * against a time budget, and in a child JVM whose heap is smaller than the file.
 */
class CocoStreamingIT {

    private static final int IMAGES = 2_000;
    private static final int ANNOTATIONS = 50_000;
    private static final int POLYGON_COORDINATES = 128;
    private static final String CHILD_HEAP = "-Xmx32m";
    private static final long CHILD_HEAP_BYTES = 32L << 20;

    @TempDir
    static Path root;

    @BeforeAll
    static void writeLargeInstancesFile() throws IOException {
        SyntheticCocoFile.write(
                root.resolve("annotations/instances_train2014.json"), IMAGES, ANNOTATIONS, POLYGON_COORDINATES);
        Path folder = Files.createDirectories(root.resolve("train2014"));
        for (int id = 1; id <= IMAGES; id++) {
            Files.createFile(folder.resolve(SyntheticCocoFile.fileName(id)));
        }
    }

    @Test
    void shouldLoadFiftyThousandAnnotationsWithinFiveSeconds() {
        // Given
        Dataset coco = Datasets.open("coco2014", root);

        // When
        long start = System.nanoTime();
        List<LabelledImage> images = coco.images(Split.TRAIN);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        // Then: image 1 has annotations 0, 2000, ..., 48000 of classes 0..24, the first a crowd
        assertThat(images).hasSize(IMAGES);
        assertThat(images.stream().mapToInt(image -> image.boxes().size()).sum())
                .isEqualTo(ANNOTATIONS);
        LabelledImage first = images.get(0);
        assertThat(first.boxes().get(0)).isEqualTo(new ObjectBox("class0", 1, 2, 12, 10, false, true));
        assertThat(first.labels()).hasSize(ANNOTATIONS / IMAGES).startsWith("class0", "class1", "class2");
        assertThat(coco.classNames()).hasSize(SyntheticCocoFile.CATEGORIES).startsWith("class0", "class1");
        assertThat(elapsed).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void shouldLoadAFileLargerThanTheWholeHeap() throws Exception {
        // Given: a file larger than the child JVM's heap, so a tree parser could not hold it
        Path file = root.resolve("annotations/instances_train2014.json");
        assertThat(Files.size(file)).isGreaterThan(CHILD_HEAP_BYTES);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(
                        java.toString(),
                        CHILD_HEAP,
                        "-XX:+UseSerialGC",
                        "-cp",
                        System.getProperty("java.class.path"),
                        CocoStreamingProbe.class.getName(),
                        root.toString())
                .redirectErrorStream(true);

        // When
        Process child = builder.start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean finished = child.waitFor(60, TimeUnit.SECONDS);

        // Then
        assertThat(finished).as("child JVM finished").isTrue();
        assertThat(child.exitValue()).as(output).isZero();
        assertThat(output).contains("images=" + IMAGES + " boxes=" + ANNOTATIONS);
    }
}
