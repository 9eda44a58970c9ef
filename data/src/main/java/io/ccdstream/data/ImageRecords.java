package io.ccdstream.data;

import io.ccdstream.data.synth.SynthScene;
import io.ccdstream.schemas.GroundTruth;
import io.ccdstream.schemas.GroundTruthBox;
import io.ccdstream.schemas.Image;
import io.ccdstream.schemas.ImageKey;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;

/** The one place that turns image bytes, or a SynthScenes scene, into an {@code ccd.images} record. */
public final class ImageRecords {

    /** The source attributes of SynthScenes images. */
    public static final Map<String, String> SYNTHSCENES = Map.of("generator", "synthscenes");

    private ImageRecords() {}

    /**
     * An image sent inline.
     *
     * @param groundTruth the image's ground truth, or null
     * @param source      where the image comes from, stored with it
     */
    public static Image inline(
            String classSetId,
            String imageId,
            byte[] bytes,
            String contentType,
            GroundTruth groundTruth,
            Map<String, String> source) {
        return Image.newBuilder()
                .setImageId(imageId)
                .setClassSetId(classSetId)
                .setData(ByteBuffer.wrap(bytes))
                .setContentType(contentType)
                .setByteSize(bytes.length)
                .setCaptureTime(Instant.now())
                .setSource(source)
                .setGroundTruth(groundTruth)
                .build();
    }

    /**
     * An image sent inline, with its capture time and no ground truth.
     *
     * @param captureTime when the image was taken, or null when unknown
     */
    public static Image inlineTaken(
            String classSetId,
            String imageId,
            byte[] bytes,
            String contentType,
            Instant captureTime,
            Map<String, String> source) {
        Image image = inline(classSetId, imageId, bytes, contentType, (GroundTruth) null, source);
        image.setCaptureTime(captureTime);
        return image;
    }

    /**
     * An image sent by claim check: the scorer and the trainer fetch its bytes from {@code uri}.
     *
     * @param uri         a {@code file:} URI or an {@code http(s):} URL of the encoded image
     * @param byteSize    size of the encoded image
     * @param captureTime when the image was taken, or null when unknown
     */
    public static Image claimCheck(
            String classSetId,
            String imageId,
            String uri,
            String contentType,
            long byteSize,
            Instant captureTime,
            Map<String, String> source) {
        return Image.newBuilder()
                .setImageId(imageId)
                .setClassSetId(classSetId)
                .setUri(uri)
                .setData(null)
                .setContentType(contentType)
                .setByteSize(byteSize)
                .setCaptureTime(captureTime)
                .setSource(source)
                .setGroundTruth(null)
                .build();
    }

    /** A SynthScenes image, inline as PNG, with its ground truth. */
    public static Image synth(SynthScene scene, String classSetId) {
        return inline(classSetId, scene.id(), scene.png(), "image/png", groundTruth(scene), SYNTHSCENES);
    }

    /** The ground truth of a SynthScenes scene: its labels and object boxes. */
    public static GroundTruth groundTruth(SynthScene scene) {
        return GroundTruth.newBuilder()
                .setLabels(scene.labels())
                .setBoxes(scene.objects().stream()
                        .map(o -> new GroundTruthBox(o.className(), o.x0(), o.y0(), o.x1(), o.y1()))
                        .toList())
                .build();
    }

    /** The key of {@code image} on {@code ccd.images}. */
    public static ImageKey key(Image image) {
        return new ImageKey(image.getClassSetId(), image.getImageId());
    }
}
