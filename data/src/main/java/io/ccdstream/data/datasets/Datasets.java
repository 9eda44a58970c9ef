package io.ccdstream.data.datasets;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Opens the benchmark datasets of the paper from a local copy; nothing is downloaded.
 *
 * <ul>
 *   <li>{@code voc2007}, {@code voc2012}: PASCAL VOC, root = {@code VOCdevkit} or its
 *       {@code VOC2007}/{@code VOC2012} folder. Splits train, val, trainval, and test for 2007.
 *       Classes: {@link #VOC_CLASSES}.
 *   <li>{@code coco2014}: MS COCO 2014, root holding {@code annotations/instances_{train,val}2014.json}
 *       and the {@code train2014/}, {@code val2014/} image folders. Splits train and val. Classes:
 *       the 80 categories of the instances file, ordered by category id.
 * </ul>
 */
public final class Datasets {

    /** The names {@link #open(String, Path)} accepts. */
    public static final List<String> NAMES = List.of("voc2007", "voc2012", "coco2014");

    /** The 20 PASCAL VOC classes in the devkit's order, which is the column order of every VOC result. */
    public static final List<String> VOC_CLASSES = List.of(
            "aeroplane",
            "bicycle",
            "bird",
            "boat",
            "bottle",
            "bus",
            "car",
            "cat",
            "chair",
            "cow",
            "diningtable",
            "dog",
            "horse",
            "motorbike",
            "person",
            "pottedplant",
            "sheep",
            "sofa",
            "train",
            "tvmonitor");

    private Datasets() {}

    /**
     * Opens a dataset and checks its layout; the ground truth is read by {@link Dataset#images(Split)}.
     *
     * @param name one of {@link #NAMES}, any case
     * @param root the dataset's folder on local disk
     * @return the dataset
     * @throws DatasetException if the name is unknown, or the root or a required folder or file is
     *     missing (the message lists the expected layout)
     */
    public static Dataset open(String name, Path root) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(root, "root");
        String key = name.trim().toLowerCase(Locale.ROOT);
        if (!NAMES.contains(key)) {
            throw new DatasetException("unknown dataset '" + name + "'; known datasets: " + String.join(", ", NAMES));
        }
        Path absolute = root.toAbsolutePath().normalize();
        if (!Files.isDirectory(absolute)) {
            throw new DatasetException(
                    key + " root " + absolute + (Files.exists(absolute) ? " is not a directory" : " does not exist"));
        }
        return switch (key) {
            case "voc2007" -> VocDataset.open(key, "VOC2007", absolute);
            case "voc2012" -> VocDataset.open(key, "VOC2012", absolute);
            default -> CocoDataset.open(key, absolute);
        };
    }
}
