package io.ccdstream.streams;

import io.ccdstream.data.ImageRecords;
import io.ccdstream.schemas.CamBox;
import io.ccdstream.schemas.Image;
import io.ccdstream.schemas.ImageKey;
import io.ccdstream.schemas.Scores;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/** Records for topology tests. */
public final class TestRecords {

    public static final String CLASS_SET = "cs-test";

    private TestRecords() {}

    public static ImageKey key(String imageId) {
        return new ImageKey(CLASS_SET, imageId);
    }

    public static Image inlineImage(String imageId, byte[] bytes) {
        return ImageRecords.inline(CLASS_SET, imageId, bytes, "image/png", null, Map.of());
    }

    public static Scores scores(String imageId, List<Float> global) {
        return Scores.newBuilder()
                .setImageId(imageId)
                .setClassSetId(CLASS_SET)
                .setModelId("test-model")
                .setImageWidth(64)
                .setImageHeight(48)
                .setGlobal(global)
                .setClipInferences(1)
                .setScoredAt(Instant.ofEpochMilli(1_000))
                .build();
    }

    /**
     * Scores refined by checkpoint {@code checkpoint}: {@code local} the max over {@code crops} CAM
     * crops of class 0 (no crop: {@code local} all zeros, as the scorer writes it).
     */
    public static Scores refined(String imageId, List<Float> global, List<Float> local, int crops, long checkpoint) {
        Scores scores = scores(imageId, global);
        scores.setLocal(local);
        scores.setCheckpointVersion(checkpoint);
        scores.setBoxes(IntStream.range(0, crops)
                .mapToObj(i -> new CamBox(0, 0.9f, 0, 0, 32 + i, 24))
                .toList());
        scores.setClipInferences(1 + crops);
        return scores;
    }
}
