package io.ccdstream.streams;

import io.ccdstream.data.ImageRecords;
import io.ccdstream.schemas.Image;
import io.ccdstream.schemas.ImageKey;
import io.ccdstream.schemas.Scores;
import java.time.Instant;
import java.util.List;
import java.util.Map;

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
}
