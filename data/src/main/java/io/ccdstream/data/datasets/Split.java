package io.ccdstream.data.datasets;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A standard subset of a dataset's images. Which splits a dataset has depends on the dataset and
 * on what is on disk ({@link Dataset#splits()}).
 */
public enum Split {
    /** The training images ({@code train.txt} of VOC, {@code train2014} of COCO). */
    TRAIN("train"),
    /** The validation images ({@code val.txt} of VOC, {@code val2014} of COCO). */
    VAL("val"),
    /** VOC's union of train and val ({@code trainval.txt}). */
    TRAINVAL("trainval"),
    /** VOC 2007's test images, whose annotations are public ({@code test.txt}). */
    TEST("test");

    private final String fileName;

    Split(String fileName) {
        this.fileName = fileName;
    }

    /** @return the name the dataset's files use, e.g. {@code "trainval"} */
    public String fileName() {
        return fileName;
    }

    /**
     * @param name a split's file name, any case, e.g. from a command line
     * @return the split
     * @throws IllegalArgumentException naming the known splits if there is none of that name
     */
    public static Split of(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(s -> s.fileName.equals(wanted))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown split '" + name + "'; known splits: "
                        + Arrays.stream(values()).map(Split::fileName).collect(Collectors.joining(", "))));
    }
}
