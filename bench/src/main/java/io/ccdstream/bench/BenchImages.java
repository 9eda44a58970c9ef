package io.ccdstream.bench;

import io.ccdstream.data.ImageRecords;
import io.ccdstream.data.datasets.Dataset;
import io.ccdstream.data.datasets.LabelledImage;
import io.ccdstream.data.datasets.ObjectBox;
import io.ccdstream.data.datasets.Split;
import io.ccdstream.data.synth.SynthClass;
import io.ccdstream.data.synth.SynthScene;
import io.ccdstream.data.synth.SynthScenes;
import io.ccdstream.data.synth.SynthWorld;
import io.ccdstream.schemas.GroundTruth;
import io.ccdstream.schemas.GroundTruthBox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The images of a quality benchmark: a training split sent through the pipeline and a held-out
 * split the trained classifier is evaluated on, each image with its ground truth (used only to
 * evaluate; the trainer reads images through a projection without it).
 *
 * @param name       what the images are, e.g. {@code synthscenes (seed 1/2, 64 px)} or {@code voc2012}
 * @param classNames the classes, in column order of every truth vector and per-class result
 * @param train      images labelled by the pipeline and trained on
 * @param heldOut    images the classifier is evaluated on
 */
public record BenchImages(String name, List<String> classNames, List<BenchImage> train, List<BenchImage> heldOut) {

    /**
     * One image and its ground truth.
     *
     * @param id          the image id
     * @param contentType its media type
     * @param truth       per class, whether the image shows it
     * @param boxes       the annotated objects (empty when the source has no boxes)
     * @param bytes       the encoded image
     * @param source      the source metadata sent with it
     */
    public record BenchImage(
            String id,
            String contentType,
            boolean[] truth,
            List<ObjectBox> boxes,
            Bytes bytes,
            Map<String, String> source) {

        /** Copies the boxes. */
        public BenchImage {
            boxes = List.copyOf(boxes);
        }

        /** The encoded image, read when needed. */
        public byte[] read() {
            try {
                return bytes.read();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read image " + id, e);
            }
        }
    }

    /** Where an image's bytes come from. */
    @FunctionalInterface
    public interface Bytes {
        byte[] read() throws IOException;
    }

    /** Copies the lists. */
    public BenchImages {
        classNames = List.copyOf(classNames);
        train = List.copyOf(train);
        heldOut = List.copyOf(heldOut);
    }

    /**
     * SynthScenes of one world: {@code trainCount} images of seed {@code seed} and {@code
     * heldOutCount} of seed {@code seed + 1}, so the two splits never share an image.
     */
    public static BenchImages synthScenes(
            long seed, SynthWorld world, int imageSize, int trainCount, int heldOutCount) {
        List<String> names = SynthClass.names();
        return new BenchImages(
                String.format(
                        Locale.ROOT,
                        "SynthScenes %s (train seed %d, held-out seed %d, %d px)",
                        world.id(),
                        seed,
                        seed + 1,
                        imageSize),
                names,
                scenes(seed, world, imageSize, trainCount, names),
                scenes(seed + 1, world, imageSize, heldOutCount, names));
    }

    private static List<BenchImage> scenes(long seed, SynthWorld world, int imageSize, int count, List<String> names) {
        SynthScenes generator = SynthScenes.builder()
                .setSeed(seed)
                .optWorld(world)
                .optSize(imageSize)
                .optNoneShare(SynthScenes.DEFAULT_NONE_SHARE)
                .build();
        List<BenchImage> images = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            SynthScene scene = generator.generate(i);
            byte[] png = scene.png();
            boolean[] truth = new boolean[names.size()];
            scene.labels().forEach(label -> truth[names.indexOf(label)] = true);
            List<ObjectBox> boxes = scene.objects().stream()
                    .map(o -> new ObjectBox(o.className(), o.x0(), o.y0(), o.x1(), o.y1(), false, false))
                    .toList();
            images.add(new BenchImage(scene.id(), "image/png", truth, boxes, () -> png, ImageRecords.SYNTHSCENES));
        }
        return images;
    }

    /**
     * A dataset on disk: up to {@code trainLimit} images of {@code trainSplit} and {@code heldOutLimit}
     * of {@code heldOutSplit} (0: all), drawn at random with {@code seed} when limited.
     */
    public static BenchImages dataset(
            Dataset dataset, Split trainSplit, Split heldOutSplit, int trainLimit, int heldOutLimit, long seed) {
        if (trainSplit == heldOutSplit) {
            throw new IllegalArgumentException(
                    "the training and held-out splits must differ, both are " + trainSplit.fileName());
        }
        return new BenchImages(
                dataset.name() + " (" + trainSplit.fileName() + " / " + heldOutSplit.fileName() + ")",
                dataset.classNames(),
                images(dataset, trainSplit, trainLimit, seed),
                images(dataset, heldOutSplit, heldOutLimit, seed + 1));
    }

    private static List<BenchImage> images(Dataset dataset, Split split, int limit, long seed) {
        List<LabelledImage> all = new ArrayList<>(dataset.images(split));
        if (limit > 0 && limit < all.size()) {
            Collections.shuffle(all, new Random(seed));
            all = all.subList(0, limit);
        }
        boolean[][] truth = dataset.positives(all);
        Map<String, String> source = Map.of("dataset", dataset.name(), "split", split.fileName());
        List<BenchImage> images = new ArrayList<>(all.size());
        for (int i = 0; i < all.size(); i++) {
            LabelledImage image = all.get(i);
            images.add(new BenchImage(
                    image.id(),
                    contentType(image),
                    truth[i],
                    image.boxes(),
                    () -> Files.readAllBytes(image.file()),
                    source));
        }
        return images;
    }

    private static String contentType(LabelledImage image) {
        String file = image.file().getFileName().toString().toLowerCase(Locale.ROOT);
        return file.endsWith(".png") ? "image/png" : "image/jpeg";
    }

    /** The ground truth sent with an image, for downstream users; the trainer never reads it. */
    public static GroundTruth groundTruth(BenchImage image, List<String> classNames) {
        List<String> labels = new ArrayList<>();
        for (int c = 0; c < classNames.size(); c++) {
            if (image.truth()[c]) {
                labels.add(classNames.get(c));
            }
        }
        return GroundTruth.newBuilder()
                .setLabels(labels)
                .setBoxes(image.boxes().stream()
                        .map(b -> new GroundTruthBox(b.className(), b.x0(), b.y0(), b.x1(), b.y1()))
                        .toList())
                .build();
    }
}
