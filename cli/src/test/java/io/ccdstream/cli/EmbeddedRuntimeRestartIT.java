package io.ccdstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ccdstream.embedded.EmbeddedRuntime;
import io.ccdstream.registry.SchemaRegistryClient;
import io.ccdstream.registry.TopicNameStrategy;
import io.ccdstream.schemas.ImageKey;
import io.ccdstream.schemas.Label;
import io.ccdstream.schemas.LabelStage;
import io.ccdstream.streams.CcdStreamsConfig;
import io.ccdstream.topics.CcdTopics;
import io.ccdstream.topics.RegistrySerdes;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broker and registry stopped and started again on the same directory keep topics, records and schema ids. */
class EmbeddedRuntimeRestartIT {

    @Test
    void shouldKeepTopicsRecordsAndSchemaIdsAcrossARestart(@TempDir Path dataDir) throws Exception {
        int labelSchemaId;
        try (EmbeddedRuntime runtime = EmbeddedRuntime.start(dataDir, 0, 0, 2)) {
            RegistrySerdes serdes = serdes(runtime);
            try (KafkaProducer<ImageKey, Label> producer = new KafkaProducer<>(
                    producerProps(runtime),
                    CcdTopics.LABELS.keySerde(serdes).serializer(),
                    CcdTopics.LABELS.valueSerde(serdes).serializer())) {
                for (int i = 0; i < 5; i++) {
                    producer.send(
                            new ProducerRecord<>(CcdTopics.LABELS.name(), new ImageKey("cs", "img-" + i), label(i)));
                }
            }
            labelSchemaId = labelSchemaId(serdes.client());
        }

        try (EmbeddedRuntime runtime = EmbeddedRuntime.start(dataDir, 0, 0, 2)) {
            RegistrySerdes serdes = serdes(runtime);
            assertThat(runtime.topics().created()).isEmpty();
            assertThat(labelSchemaId(serdes.client())).isEqualTo(labelSchemaId);
            assertThat(serdes.client().getById(labelSchemaId).getFullName()).isEqualTo(Label.class.getName());
            List<Label> read = readAll(runtime, serdes, 5);
            assertThat(read)
                    .extracting(Label::getImageId)
                    .containsExactlyInAnyOrder("img-0", "img-1", "img-2", "img-3", "img-4");
            try (Admin admin =
                    Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, runtime.bootstrapServers()))) {
                var resource = new ConfigResource(ConfigResource.Type.TOPIC, CcdTopics.LABELS.name());
                assertThat(admin.describeConfigs(List.of(resource))
                                .all()
                                .get()
                                .get(resource)
                                .get("cleanup.policy")
                                .value())
                        .isEqualTo("compact");
            }
        }
    }

    private static int labelSchemaId(SchemaRegistryClient client) {
        return client.getLatest(TopicNameStrategy.subjectName(CcdTopics.LABELS.name(), false))
                .id();
    }

    private static RegistrySerdes serdes(EmbeddedRuntime runtime) {
        return new RegistrySerdes(new CcdStreamsConfig(Map.of(
                        CcdStreamsConfig.BOOTSTRAP_SERVERS, runtime.bootstrapServers(),
                        CcdStreamsConfig.SCHEMA_REGISTRY_URL, runtime.registryUrl()))
                .serdeSettings());
    }

    private static Label label(int i) {
        return Label.newBuilder()
                .setImageId("img-" + i)
                .setClassSetId("cs")
                .setClassNames(List.of("a", "b"))
                .setStage(LabelStage.INITIAL)
                .setScores(List.of(0.1f * i, 0.5f))
                .setGlobal(List.of(0.1f * i, 0.5f))
                .setAlpha(0.4f)
                .setModelId("m")
                .setClipInferences(1)
                .setLabeledAt(Instant.ofEpochMilli(i))
                .build();
    }

    private static Map<String, Object> producerProps(EmbeddedRuntime runtime) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, runtime.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return props;
    }

    private static List<Label> readAll(EmbeddedRuntime runtime, RegistrySerdes serdes, int expected) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, runtime.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "restart-test");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<Label> read = new ArrayList<>();
        try (KafkaConsumer<ImageKey, Label> consumer = new KafkaConsumer<>(
                props,
                CcdTopics.LABELS.keySerde(serdes).deserializer(),
                CcdTopics.LABELS.valueSerde(serdes).deserializer())) {
            consumer.subscribe(List.of(CcdTopics.LABELS.name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (read.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> read.add(r.value()));
            }
        }
        return read;
    }
}
