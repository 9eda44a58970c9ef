package io.ccdstream.bench;

import io.ccdstream.data.synth.SynthScenes;
import io.ccdstream.method.image.ImageDecoder;
import io.ccdstream.method.image.RgbImage;
import io.ccdstream.models.classifier.Classifier;
import java.util.ArrayList;
import java.util.List;

/** Measures the classifier's forward pass with CAMs on SynthScenes images, at several batch sizes. */
public final class ClassifierBenchmark {

    private final Classifier classifier;
    private final List<RgbImage> images = new ArrayList<>();

    /**
     * @param classifier the classifier to measure; not closed here
     * @param imageCount distinct SynthScenes images to cycle through
     * @param imageSize  their side in pixels
     */
    public ClassifierBenchmark(Classifier classifier, int imageCount, int imageSize) {
        this.classifier = classifier;
        SynthScenes scenes = new SynthScenes(98, imageSize, 0.05);
        ImageDecoder decoder = ImageDecoder.builder().build();
        for (int i = 0; i < imageCount; i++) {
            images.add(decoder.decode(scenes.generate(i).png()).image());
        }
    }

    /** Forward + CAM over about {@code minImages} images in batches of {@code batchSize}, after a warm-up. */
    public ClipBenchmark.Throughput throughput(int batchSize, int minImages) {
        int batches = Math.max(1, (minImages + batchSize - 1) / batchSize);
        run(batchSize, 2);
        long start = System.nanoTime();
        run(batchSize, batches);
        return new ClipBenchmark.Throughput(batchSize, batches * batchSize, (System.nanoTime() - start) / 1e9);
    }

    private void run(int batchSize, int batches) {
        int next = 0;
        for (int b = 0; b < batches; b++) {
            List<RgbImage> batch = new ArrayList<>(batchSize);
            for (int i = 0; i < batchSize; i++) {
                batch.add(images.get(next++ % images.size()));
            }
            classifier.forwardWithCam(batch);
        }
    }
}
