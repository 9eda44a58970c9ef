package io.ccdstream.data.datasets;

import java.nio.file.Path;
import java.util.List;

/**
 * Loads a COCO root's train split and prints {@code images=N boxes=M}; run by {@link
 * CocoStreamingIT} in a JVM whose heap is smaller than the instances file.
 */
public final class CocoStreamingProbe {

    private CocoStreamingProbe() {}

    /** @param args the COCO root */
    public static void main(String[] args) {
        List<LabelledImage> images = Datasets.open("coco2014", Path.of(args[0])).images(Split.TRAIN);
        long boxes = images.stream().mapToLong(image -> image.boxes().size()).sum();
        System.out.println("images=" + images.size() + " boxes=" + boxes);
    }
}
