package io.ccdstream.streams.integration;

import static org.assertj.core.api.Assertions.assertThat;

import io.ccdstream.data.ImageRecords;
import io.ccdstream.data.synth.SynthClass;
import io.ccdstream.data.synth.SynthScene;
import io.ccdstream.data.synth.SynthScenes;
import io.ccdstream.method.image.ImageDecoder;
import io.ccdstream.models.BundledModels;
import io.ccdstream.models.clip.ClassSet;
import io.ccdstream.models.clip.ClipModel;
import io.ccdstream.schemas.Image;
import io.ccdstream.schemas.ImageKey;
import io.ccdstream.schemas.Label;
import io.ccdstream.schemas.LabelStage;
import io.ccdstream.streams.errors.DeadLetterHandler;
import io.ccdstream.streams.pipeline.Pipeline;
import io.ccdstream.streams.pipeline.PipelineSettings;
import io.ccdstream.testsupport.TestCluster;
import io.ccdstream.topics.CcdTopics;
import io.ccdstream.topics.DeadLetters;
import io.ccdstream.topics.RegistrySerdes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scorer and labeler on the in-process broker with the embedded registry and the bundled
 * CLIP model: good images end as Avro labels, bad ones as dead letters, and the stream goes on.
 */
class PipelineIT {

    private static final int GOOD_IMAGES = 12;

    @TempDir
    static Path dataDir;

    private static TestCluster cluster;
    private static ClipModel model;
    private static ClassSet classSet;
    private static RegistrySerdes serdes;
    private static Pipeline pipeline;
    private static PipelineSettings settings;

    @BeforeAll
    static void startPipeline() throws Exception {
        cluster = TestCluster.start(dataDir, 2);
        serdes = cluster.serdes();
        Path modelDir = BundledModels.extract(BundledModels.DEFAULT, dataDir.resolve("models"));
        model = ClipModel.load(modelDir);
        classSet = model.classSet(SynthClass.names());
        settings = PipelineSettings.defaults(modelDir, classSet);
        pipeline = Pipeline.start(
                StreamsTestConfig.of(cluster, "pipeline"),
                settings,
                List.of(Pipeline.Service.scorer, Pipeline.Service.labeler));
    }

    @AfterAll
    static void stopPipeline() {
        pipeline.close();
        model.close();
        cluster.close();
    }

    @Test
    void shouldLabelGoodImagesAndDeadLetterBadOnesWhileTheStreamGoesOn() throws Exception {
        SynthScenes scenes = new SynthScenes(5, 64, 0.0);
        try (KafkaProducer<byte[], byte[]> producer =
                cluster.producer(new ByteArraySerializer(), new ByteArraySerializer())) {
            var keys = CcdTopics.IMAGES.keySerde(serdes).serializer();
            var values = CcdTopics.IMAGES.valueSerde(serdes).serializer();
            String topic = CcdTopics.IMAGES.name();
            for (int i = 0; i < GOOD_IMAGES; i++) {
                SynthScene scene = scenes.generate(i);
                ImageKey key = new ImageKey(classSet.id(), scene.id());
                producer.send(new ProducerRecord<>(
                        topic, keys.serialize(topic, key), values.serialize(topic, image(scene.id(), scene.png()))));
                if (i == 3) {
                    // not Avro at all
                    producer.send(new ProducerRecord<>(
                            topic,
                            keys.serialize(topic, new ImageKey(classSet.id(), "json")),
                            "{\"imageId\":\"json\"}".getBytes(StandardCharsets.UTF_8)));
                    // Confluent framing with a schema id the registry never issued
                    producer.send(new ProducerRecord<>(
                            topic,
                            keys.serialize(topic, new ImageKey(classSet.id(), "ghost")),
                            new byte[] {0, 0, 0, 0x30, 0x39, 2, 2}));
                    // valid Avro, but a PNG cut in half
                    byte[] truncated = java.util.Arrays.copyOf(scene.png(), scene.png().length / 2);
                    producer.send(new ProducerRecord<>(
                            topic,
                            keys.serialize(topic, new ImageKey(classSet.id(), "corrupt")),
                            values.serialize(topic, image("corrupt", truncated))));
                }
            }
            producer.flush();
        }

        Map<String, Label> labels = new HashMap<>();
        Map<String, ConsumerRecord<byte[], byte[]>> deadLetters = new HashMap<>();
        try (KafkaConsumer<ImageKey, Label> labelConsumer = new KafkaConsumer<>(
                        consumerProps(),
                        CcdTopics.LABELS.keySerde(serdes).deserializer(),
                        CcdTopics.LABELS.valueSerde(serdes).deserializer());
                KafkaConsumer<byte[], byte[]> dlqConsumer = new KafkaConsumer<>(
                        consumerProps(), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            labelConsumer.subscribe(List.of(CcdTopics.LABELS.name()));
            dlqConsumer.subscribe(List.of(CcdTopics.DEAD_LETTERS));
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while ((labels.size() < GOOD_IMAGES || deadLetters.size() < 3) && System.nanoTime() < deadline) {
                labelConsumer
                        .poll(Duration.ofMillis(200))
                        .forEach(r -> labels.put(r.key().getImageId(), r.value()));
                dlqConsumer
                        .poll(Duration.ofMillis(200))
                        .forEach(r -> deadLetters.put(
                                DeadLetters.header(r.headers(), DeadLetters.REASON) + ":"
                                        + DeadLetters.header(r.headers(), DeadLetters.OFFSET),
                                r));
            }
        }

        assertThat(labels).hasSize(GOOD_IMAGES);
        for (int i = 0; i < GOOD_IMAGES; i++) {
            Label label = labels.get(scenes.generate(i).id());
            assertThat(label.getStage()).isEqualTo(LabelStage.INITIAL);
            assertThat(label.getClassSetId()).isEqualTo(classSet.id());
            assertThat(label.getClassNames()).isEqualTo(SynthClass.names());
            assertThat(label.getModelId()).isEqualTo(model.descriptor().modelId());
            assertThat(label.getScores())
                    .hasSize(SynthClass.ALL.size())
                    .allSatisfy(s -> assertThat(s).isBetween(0.05f, 1f));
        }
        // the label equals the offline computation: CLIP probabilities, floored as configured (no bias yet)
        SynthScene first = scenes.generate(0);
        float[] offline = model.scoreImages(
                        classSet,
                        List.of(ImageDecoder.builder()
                                .build()
                                .decode(first.png())
                                .image()))[0];
        float[] expected = settings.debias().apply(offline, null);
        List<Float> actual = labels.get(first.id()).getScores();
        for (int c = 0; c < expected.length; c++) {
            assertThat(actual.get(c)).isCloseTo(expected[c], org.assertj.core.api.Assertions.within(1e-5f));
        }

        assertThat(deadLetters.keySet())
                .extracting(k -> k.substring(0, k.indexOf(':')))
                .containsExactlyInAnyOrder(
                        DeadLetterHandler.DESERIALIZATION, DeadLetterHandler.DESERIALIZATION, "IMAGE_CORRUPT");
        assertThat(deadLetters.values()).allSatisfy(r -> {
            assertThat(DeadLetters.header(r.headers(), DeadLetters.TOPIC)).isEqualTo(CcdTopics.IMAGES.name());
            assertThat(DeadLetters.header(r.headers(), DeadLetters.PARTITION)).matches("\\d+");
            assertThat(DeadLetters.header(r.headers(), DeadLetters.MESSAGE)).isNotBlank();
        });
        assertThat(deadLetters.values())
                .extracting(r -> DeadLetters.header(r.headers(), DeadLetters.MESSAGE))
                .anySatisfy(m -> assertThat(m).containsIgnoringCase("magic byte"))
                .anySatisfy(m -> assertThat(m).contains("12345"))
                .anySatisfy(m -> assertThat(m).contains("corrupt"));
        assertThat(pipeline.isAlive()).isTrue();
    }

    private Image image(String imageId, byte[] bytes) {
        return ImageRecords.inline(classSet.id(), imageId, bytes, "image/png", null, Map.of());
    }

    private static Map<String, Object> consumerProps() {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + System.nanoTime());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return props;
    }
}
