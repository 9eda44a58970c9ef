package io.ccdstream.data.datasets;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A labelled image dataset on local disk, opened with {@link Datasets#open(String, Path)}.
 *
 * <p>Opening checks the layout; {@link #images(Split)} reads a split's ground truth each time it
 * is called and checks that every listed image file exists. Implementations are safe to share
 * between threads.
 */
public interface Dataset {

    /** @return the dataset's name as passed to {@link Datasets#open(String, Path)}, e.g. {@code "voc2012"} */
    String name();

    /** @return the folder the files are read from (for VOC, the {@code VOC20xx} folder) */
    Path root();

    /**
     * @return the class names in the dataset's canonical order, which is the column order of
     *     {@link #positives(List)} and of every per-class result
     */
    List<String> classNames();

    /** @return the splits this dataset defines and whose files are present on disk */
    Set<Split> splits();

    /**
     * Reads one split's images and ground truth.
     *
     * @param split one of {@link #splits()}
     * @return the split's images in the dataset's listing order
     * @throws DatasetException if the split is not available, a file is missing or malformed
     */
    List<LabelledImage> images(Split split);

    /**
     * The ground-truth matrix that {@code MeanAveragePrecision.of(scores, positives)} takes.
     *
     * @param images images of this dataset
     * @return {@code [image][class]}, true where the class is one of the image's labels
     * @throws IllegalArgumentException if an image has a label that is not one of {@link #classNames()}
     */
    default boolean[][] positives(List<LabelledImage> images) {
        List<String> classes = classNames();
        Map<String, Integer> index = new HashMap<>();
        for (int c = 0; c < classes.size(); c++) {
            index.put(classes.get(c), c);
        }
        boolean[][] positives = new boolean[images.size()][classes.size()];
        for (int i = 0; i < images.size(); i++) {
            for (String label : images.get(i).labels()) {
                Integer c = index.get(label);
                if (c == null) {
                    throw new IllegalArgumentException("image " + images.get(i).id() + " has label '" + label
                            + "', which is not a class of " + name());
                }
                positives[i][c] = true;
            }
        }
        return positives;
    }
}
