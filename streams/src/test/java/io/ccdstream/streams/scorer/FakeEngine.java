package io.ccdstream.streams.scorer;

import io.ccdstream.method.image.RgbImage;
import io.ccdstream.schemas.Image;
import io.ccdstream.schemas.ImageKey;
import io.ccdstream.schemas.Scores;
import io.ccdstream.streams.TestRecords;
import io.ccdstream.topics.PoisonRecordException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A scoring engine for topology tests: an image's "content" (its inline bytes as text) decides
 * what happens. "poison" is refused when prepared, "bug" throws an unexpected exception, and
 * "model-fails" makes scoring throw for any batch that holds it (a failure caused by that image's
 * pixels); {@link #broken} makes scoring throw for every batch, control images included. Records
 * every batch it scores.
 */
final class FakeEngine implements ScoringEngine {

    /** Pixels of an image the model fails on. */
    static final int FAILING_PIXELS = 0xBAD0BAD;

    final List<List<String>> batches = new CopyOnWriteArrayList<>();
    /** A model that fails on every image. */
    volatile boolean broken;

    volatile boolean checkpointLoaded;
    /** Version of the loaded checkpoint. */
    volatile long checkpointVersion = 1;
    /** Held-out quality of the loaded checkpoint, null for none. */
    volatile Double heldOutMap;
    /** When set, every scoring call waits for it to open (a model busy with a batch). */
    volatile java.util.concurrent.CountDownLatch gate;
    /** Every image fails to prepare as if its claim-checked file had gone. */
    volatile boolean unreadable;

    static String content(Image image) {
        return StandardCharsets.UTF_8.decode(image.getData().duplicate()).toString();
    }

    @Override
    public RgbImage prepare(ImageKey key, Image image) {
        if (unreadable) {
            throw new PoisonRecordException("IMAGE_NOT_FOUND", "gone: " + key.getImageId());
        }
        switch (content(image)) {
            case "poison" -> throw new PoisonRecordException("IMAGE_CORRUPT", "not an image: " + key.getImageId());
            case "bug" -> throw new IllegalStateException("a bug");
            case "model-fails" -> {
                return RgbImage.filled(4, 3, FAILING_PIXELS & 0xFFFFFF);
            }
            default -> {
                return RgbImage.filled(4, 3, 0x102030);
            }
        }
    }

    /** False: the engine never refines, so nothing should wait for a backfill. */
    boolean refinesLater = true;

    @Override
    public boolean canRefine(String classSetId) {
        return checkpointLoaded;
    }

    @Override
    public boolean refinesLater() {
        return refinesLater;
    }

    @Override
    public List<Scores> score(List<Prepared> batch) {
        java.util.concurrent.CountDownLatch waitFor = gate;
        if (waitFor != null) {
            try {
                waitFor.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        if (broken) {
            throw new IllegalStateException("model broken");
        }
        if (batch.stream().anyMatch(p -> p.pixels().rgb(0, 0) == (FAILING_PIXELS & 0xFFFFFF))) {
            throw new IllegalStateException("model failed");
        }
        batches.add(batch.stream().map(p -> p.key().getImageId()).toList());
        List<Scores> results = new ArrayList<>();
        for (Prepared p : batch) {
            results.add(
                    checkpointLoaded
                            ? TestRecords.refined(
                                    p.key().getImageId(),
                                    List.of(0.25f, 0.75f),
                                    List.of(0.5f, 0.5f),
                                    2,
                                    checkpointVersion)
                            : TestRecords.scores(p.key().getImageId(), List.of(0.25f, 0.75f)));
        }
        return results;
    }

    @Override
    public java.util.Optional<io.ccdstream.schemas.Checkpoint> checkpoint(String classSetId) {
        if (!checkpointLoaded) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(io.ccdstream.schemas.Checkpoint.newBuilder()
                .setClassSetId(classSetId)
                .setVersion(checkpointVersion)
                .setPhase(io.ccdstream.schemas.CheckpointPhase.CONTINUOUS)
                .setArchitecture("fake")
                .setLocation("file:/fake")
                .setSha256("00")
                .setSizeBytes(0)
                .setCreatedAt(java.time.Instant.EPOCH)
                .setMetrics(new io.ccdstream.schemas.CheckpointMetrics(0.0, 0.0, 0L, 0, heldOutMap, 0, 0))
                .build());
    }

    @Override
    public void checkModel(String classSetId) {
        if (broken) {
            throw new IllegalStateException("model broken");
        }
    }
}
