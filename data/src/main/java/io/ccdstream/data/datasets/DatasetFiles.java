package io.ccdstream.data.datasets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** File checks and reads shared by the loaders, each failing with a {@link DatasetException} that names the file. */
final class DatasetFiles {

    private static final int MISSING_SHOWN = 3;

    private DatasetFiles() {}

    /**
     * @param file a text file
     * @return its lines
     */
    static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DatasetException("cannot read " + file + ": " + e, e);
        }
    }

    /**
     * @param dataset the dataset's name, for the message
     * @param images images read from {@code listing}
     * @param listing the file that lists them
     * @throws DatasetException naming the first missing files and how many are missing
     */
    static void requireImageFiles(String dataset, List<LabelledImage> images, Path listing) {
        List<Path> missing = new ArrayList<>();
        for (LabelledImage image : images) {
            if (!Files.isRegularFile(image.file())) {
                missing.add(image.file());
            }
        }
        if (!missing.isEmpty()) {
            throw new DatasetException(missing.size() + " of the " + images.size() + " " + dataset
                    + " images listed in " + listing + " are missing, e.g. "
                    + missing.subList(0, Math.min(MISSING_SHOWN, missing.size())));
        }
    }

    /** The splits of {@code defined} whose defining file ({@code file}) is on disk. */
    static Set<Split> present(Set<Split> defined, Function<Split, Path> file) {
        Set<Split> present = EnumSet.noneOf(Split.class);
        for (Split split : defined) {
            if (Files.isRegularFile(file.apply(split))) {
                present.add(split);
            }
        }
        return Collections.unmodifiableSet(present);
    }
}
