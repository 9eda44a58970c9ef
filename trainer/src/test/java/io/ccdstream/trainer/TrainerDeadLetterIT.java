package io.ccdstream.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.ccdstream.data.synth.SynthClass;
import io.ccdstream.data.synth.SynthScene;
import io.ccdstream.data.synth.SynthScenes;
import io.ccdstream.schemas.Image;
import io.ccdstream.schemas.ImageKey;
import io.ccdstream.schemas.Label;
import io.ccdstream.testsupport.TestCluster;
import io.ccdstream.topics.CcdTopics;
import io.ccdstream.topics.DeadLetters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Records the trainer cannot use go to the dead-letter topic with the reason; good ones are still taken. */
class TrainerDeadLetterIT {

    private static final String CLASS_SET = "dlq-test";
    private static final List<String> CLASSES = SynthClass.names();

    @TempDir
    Path dataDir;

    @Test
    void shouldDeadLetterUnusableImagesAndLabelsAndKeepTheGoodOnes() throws Exception {
        SynthScenes scenes = new SynthScenes(3, 64, 0);
        SynthScene good = scenes.generate(0);
        SynthScene corrupt = scenes.generate(1);
        SynthScene otherClasses = scenes.generate(2);
        SynthScene notAvro = scenes.generate(3);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (TestCluster cluster = TestCluster.start(dataDir, 1);
                TrainerService trainer = TrainerService.start(
                        new TrainerConfig(TrainerTestSettings.of(
                                cluster,
                                dataDir.resolve("trainer"),
                                Map.of(
                                        TrainerConfig.CLASS_SET_ID,
                                        CLASS_SET,
                                        TrainerConfig.CLASS_NAMES,
                                        CLASSES,
                                        TrainerConfig.WARMUP_MIN_IMAGES,
                                        100))),
                        registry)) {
            // Given a good image and label, a corrupt image, a label for other classes and a label that is not Avro
            byte[] junk = "this is not a PNG".getBytes(StandardCharsets.UTF_8);
            Image corruptImage = Image.newBuilder(SynthImages.record(corrupt, CLASS_SET))
                    .setData(ByteBuffer.wrap(junk))
                    .setByteSize(junk.length)
                    .build();
            cluster.send(
                    CcdTopics.IMAGES,
                    Map.of(
                            SynthImages.key(good, CLASS_SET),
                            SynthImages.record(good, CLASS_SET),
                            SynthImages.key(corrupt, CLASS_SET),
                            corruptImage));
            Map<ImageKey, Label> labels = new HashMap<>();
            labels.put(TestLabels.key(good, CLASS_SET), TestLabels.initial(good, CLASS_SET, CLASSES));
            labels.put(
                    TestLabels.key(otherClasses, CLASS_SET),
                    TestLabels.initial(otherClasses, CLASS_SET, CLASSES.subList(0, 3)));
            cluster.send(CcdTopics.LABELS, labels);
            byte[] key = CcdTopics.LABELS
                    .keySerde(cluster.serdes())
                    .serializer()
                    .serialize(CcdTopics.LABELS.name(), TestLabels.key(notAvro, CLASS_SET));
            try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(
                    Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()),
                    new ByteArraySerializer(),
                    new ByteArraySerializer())) {
                raw.send(new ProducerRecord<>(CcdTopics.LABELS.name(), key, junk))
                        .get();
            }

            // Then the three unusable records are dead-lettered with their reasons, and the good pair is kept
            List<ConsumerRecord<byte[], byte[]>> dead = deadLetters(cluster, 3);
            Map<String, String> reasons = dead.stream()
                    .collect(Collectors.toMap(
                            r -> DeadLetters.header(r.headers(), DeadLetters.TOPIC) + "@"
                                    + DeadLetters.header(r.headers(), DeadLetters.OFFSET),
                            r -> DeadLetters.header(r.headers(), DeadLetters.REASON)));
            assertThat(reasons.values())
                    .containsExactlyInAnyOrder("IMAGE_UNSUPPORTED_FORMAT", "CLASS_NAMES_MISMATCH", "DESERIALIZATION");
            assertThat(dead).allSatisfy(r -> {
                assertThat(DeadLetters.header(r.headers(), DeadLetters.PROCESSOR))
                        .isEqualTo("trainer");
                assertThat(DeadLetters.header(r.headers(), DeadLetters.MESSAGE)).isNotBlank();
            });
            assertThat(dead)
                    .filteredOn(r ->
                            DeadLetters.header(r.headers(), DeadLetters.REASON).equals("DESERIALIZATION"))
                    .singleElement()
                    .satisfies(r -> assertThat(r.value()).isEqualTo(junk));
            Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(trainer.status().skippedRecords()).isEqualTo(3);
                assertThat(trainer.status().labelledImages()).isEqualTo(1);
            });
            // and counted by reason in the process's metrics
            for (String reason : List.of("IMAGE_UNSUPPORTED_FORMAT", "CLASS_NAMES_MISMATCH", "DESERIALIZATION")) {
                assertThat(registry.get(TrainerMetrics.DEAD_LETTERS)
                                .tags("service", "trainer", "reason", reason)
                                .counter()
                                .count())
                        .isEqualTo(1.0);
            }
            assertThat(registry.get("ccd.trainer.state")
                            .tags("class_set", CLASS_SET, "state", "WAITING")
                            .gauge()
                            .value())
                    .isEqualTo(1.0);
            assertThat(trainer.isAlive()).isTrue();
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> deadLetters(TestCluster cluster, int count) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(CcdTopics.DEAD_LETTERS));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
