package io.ccdstream.data.datasets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The miniature dataset trees under {@code src/test/resources/datasets/}, written by
 * {@code src/test/python/make_dataset_fixtures.py}, and copies of them that a test may break.
 */
final class DatasetFixtures {

    private DatasetFixtures() {}

    /** @return the fixture's {@code VOCdevkit} folder (VOC2012 train/val/trainval, VOC2007 trainval/test) */
    static Path vocDevkit() {
        return resource("datasets/VOCdevkit");
    }

    /** @return the fixture's COCO 2014 root (annotations/, train2014/, val2014/) */
    static Path coco() {
        return resource("datasets/coco2014");
    }

    /**
     * @param source a fixture folder
     * @param target an empty folder, e.g. a {@code @TempDir}
     * @return the copy of {@code source} inside {@code target}, same folder name
     */
    static Path copy(Path source, Path target) {
        Path copy = target.resolve(source.getFileName().toString());
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.copy(file, copy.resolve(source.relativize(file).toString()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return copy;
    }

    private static Path resource(String name) {
        URL url = DatasetFixtures.class.getClassLoader().getResource(name);
        if (url == null) {
            throw new IllegalStateException(name + " is not on the test classpath; run make_dataset_fixtures.py");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
