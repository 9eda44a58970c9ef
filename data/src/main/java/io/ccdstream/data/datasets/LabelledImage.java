package io.ccdstream.data.datasets;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One image of a dataset with its ground truth. Ground truth is for evaluation only (ALGORITHM.md
 * section 6): the method itself never sees {@link #labels()} or {@link #boxes()}.
 *
 * <p>{@link #labels()} are the image-level positives as the dataset's benchmark counts them, which
 * need not be the set of classes in {@link #boxes()}: for PASCAL VOC a class whose every object is
 * "difficult" is not a label, although its boxes are listed (flagged {@link ObjectBox#difficult()}).
 *
 * @param id the dataset's image id: the VOC file stem (e.g. {@code "2008_000008"}) or the COCO
 *     numeric image id in decimal (e.g. {@code "9"})
 * @param file the image file (JPEG)
 * @param width width in pixels, from the annotation
 * @param height height in pixels, from the annotation
 * @param labels the positive class names, in the dataset's class order, without repeats; empty for
 *     an image with no positive class
 * @param boxes the annotated objects in annotation-file order, inside {@code width x height}
 */
public record LabelledImage(String id, Path file, int width, int height, List<String> labels, List<ObjectBox> boxes) {

    /** Copies the lists and checks that the size is positive and every box lies inside the image. */
    public LabelledImage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(file, "file");
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image " + id + " has size " + width + "x" + height);
        }
        labels = List.copyOf(labels);
        boxes = List.copyOf(boxes);
        for (ObjectBox box : boxes) {
            if (box.x1() > width || box.y1() > height) {
                throw new IllegalArgumentException(
                        "box " + box + " lies outside image " + id + " of size " + width + "x" + height);
            }
        }
    }
}
