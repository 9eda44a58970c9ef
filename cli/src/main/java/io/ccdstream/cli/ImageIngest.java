package io.ccdstream.cli;

import io.ccdstream.processors.synth.SynthScene;
import io.ccdstream.schemas.GroundTruth;
import io.ccdstream.schemas.GroundTruthBox;
import io.ccdstream.schemas.Image;
import io.ccdstream.schemas.ImageKey;
import io.ccdstream.streams.CcdTopics;
import io.ccdstream.streams.SerdeFactory;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Produces images, inline, with their ground truth when known, into the images topic of one class set. */
final class ImageIngest implements AutoCloseable {

    /** The source of SynthScenes images. */
    static final Map<String, String> SYNTHSCENES = Map.of("generator", "synthscenes");

    private final KafkaProducer<ImageKey, Image> producer;
    private final String classSetId;

    ImageIngest(String bootstrapServers, SerdeFactory serdes, String classSetId) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        this.producer = new KafkaProducer<>(props, CcdTopics.IMAGES.keySerde(serdes).serializer(),
            CcdTopics.IMAGES.valueSerde(serdes).serializer());
        this.classSetId = classSetId;
    }

    /** Sends a SynthScenes image with its ground truth and returns it. */
    SynthScene send(SynthScene scene) {
        send(scene.id(), scene.png(), "image/png", groundTruth(scene), SYNTHSCENES);
        return scene;
    }

    /**
     * Sends arbitrary image bytes, e.g. a corrupt file, under {@code imageId}.
     *
     * @param groundTruth the image's ground truth, or null
     * @param source      where the image comes from, stored with it
     */
    void send(String imageId, byte[] bytes, String contentType, GroundTruth groundTruth, Map<String, String> source) {
        Image image = Image.newBuilder()
            .setImageId(imageId)
            .setClassSetId(classSetId)
            .setData(ByteBuffer.wrap(bytes))
            .setContentType(contentType)
            .setByteSize(bytes.length)
            .setCaptureTime(Instant.now())
            .setSource(source)
            .setGroundTruth(groundTruth)
            .build();
        producer.send(new ProducerRecord<>(CcdTopics.IMAGES.name(), new ImageKey(classSetId, imageId), image));
    }

    private static GroundTruth groundTruth(SynthScene scene) {
        return GroundTruth.newBuilder()
            .setLabels(scene.labels())
            .setBoxes(scene.objects().stream()
                .map(o -> new GroundTruthBox(o.className(), o.x0(), o.y0(), o.x1(), o.y1())).toList())
            .build();
    }

    /** Waits for every sent image to be acknowledged. */
    void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }
}
