package io.ccdstream.streams;

import io.ccdstream.schemas.Image;
import io.ccdstream.schemas.ImageKey;
import io.ccdstream.schemas.Scores;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;

/** Records for topology tests. */
public final class TestRecords {

    public static final String CLASS_SET = "cs-test";

    private TestRecords() {
    }

    public static ImageKey key(String imageId) {
        return new ImageKey(CLASS_SET, imageId);
    }

    public static Image inlineImage(String imageId, byte[] bytes) {
        return Image.newBuilder().setImageId(imageId).setClassSetId(CLASS_SET)
            .setData(ByteBuffer.wrap(bytes)).setContentType("image/png").setByteSize(bytes.length).build();
    }

    public static Scores scores(String imageId, List<Float> global) {
        return Scores.newBuilder().setImageId(imageId).setClassSetId(CLASS_SET).setModelId("test-model")
            .setImageWidth(64).setImageHeight(48).setGlobal(global).setClipInferences(1)
            .setScoredAt(Instant.ofEpochMilli(1_000)).build();
    }
}
