package io.ccdstream.bench;

import io.ccdstream.data.synth.SynthClass;
import io.ccdstream.data.synth.SynthScenes;
import io.ccdstream.method.image.ImageDecoder;
import io.ccdstream.method.image.RgbImage;
import io.ccdstream.models.clip.ClassSet;
import io.ccdstream.models.clip.ClipModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures batched CLIP scoring on SynthScenes images: images per second at each batch size,
 * and, over a long run, whether native memory grows (live NDArrays and resident set size).
 */
public final class ClipBenchmark {

    private final ClipModel model;
    private final ClassSet classSet;
    private final List<RgbImage> images;

    /**
     * @param model      the model to measure; not closed here
     * @param imageCount distinct SynthScenes images to cycle through
     * @param imageSize  their side in pixels
     */
    public ClipBenchmark(ClipModel model, int imageCount, int imageSize) {
        this.model = model;
        this.classSet = model.classSet(SynthClass.names());
        SynthScenes scenes = new SynthScenes(99, imageSize, 0.05);
        ImageDecoder decoder = ImageDecoder.builder().build();
        this.images = new ArrayList<>();
        for (int i = 0; i < imageCount; i++) {
            images.add(decoder.decode(scenes.generate(i).png()).image());
        }
    }

    /** Throughput at one batch size. */
    public record Throughput(int batchSize, int images, double seconds) {
        /** Images per second. */
        public double imagesPerSecond() {
            return images / seconds;
        }
    }

    /**
     * Memory after each round of a long run. The resident set includes the Java heap, which the
     * JVM grows lazily; {@code nativeKiB} is the resident set less the committed heap, where a
     * native (libtorch) leak would show as growth from round to round.
     */
    public record SoakRound(int scorings, int liveArrays, long rssKiB, long heapCommittedKiB) {
        /** Resident set less the committed Java heap, in KiB. */
        public long nativeKiB() {
            return rssKiB - heapCommittedKiB;
        }
    }

    /** Scores about {@code minImages} images in batches of {@code batchSize}, after a warm-up. */
    public Throughput throughput(int batchSize, int minImages) {
        int batches = Math.max(1, (minImages + batchSize - 1) / batchSize);
        scoreBatches(batchSize, 2);
        long start = System.nanoTime();
        scoreBatches(batchSize, batches);
        return new Throughput(batchSize, batches * batchSize, (System.nanoTime() - start) / 1e9);
    }

    /**
     * Scores {@code scorings} single images in {@code rounds} rounds and reports memory after a
     * warm-up (first element) and after each round.
     */
    public List<SoakRound> soak(int scorings, int rounds) {
        scoreBatches(1, 100);
        List<SoakRound> result = new ArrayList<>();
        result.add(measure(0));
        int perRound = Math.max(1, scorings / rounds);
        for (int r = 1; r <= rounds; r++) {
            scoreBatches(1, perRound);
            result.add(measure(r * perRound));
        }
        return result;
    }

    private SoakRound measure(int scorings) {
        System.gc();
        return new SoakRound(
                scorings,
                model.liveNativeArrays(),
                residentKiB(),
                Runtime.getRuntime().totalMemory() / 1024);
    }

    private void scoreBatches(int batchSize, int batches) {
        int next = 0;
        for (int b = 0; b < batches; b++) {
            List<RgbImage> batch = new ArrayList<>(batchSize);
            for (int i = 0; i < batchSize; i++) {
                batch.add(images.get(next++ % images.size()));
            }
            model.scoreImages(classSet, batch);
        }
    }

    /** Resident set size of this process in KiB (Linux), or -1 where /proc is not available. */
    public static long residentKiB() {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            return -1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
