package io.ccdstream.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.ccdstream.embedded.EmbeddedKafkaBroker;
import io.ccdstream.embedded.EmbeddedKafkaConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Kafka-backed registry on the embedded broker keeps ids, versions and settings across restarts of both. */
class KafkaSchemaStoreDurabilityIT {

    private static final Schema IMAGE_V1 = new Schema.Parser().parse("""
        {"type":"record","name":"Image","namespace":"t","fields":[{"name":"id","type":"string"}]}""");
    private static final Schema IMAGE_V2 = new Schema.Parser().parse("""
        {"type":"record","name":"Image","namespace":"t","fields":[{"name":"id","type":"string"},
         {"name":"width","type":"int","default":0}]}""");
    private static final Schema OTHER = new Schema.Parser().parse("""
        {"type":"record","name":"Other","namespace":"t","fields":[{"name":"n","type":"long"}]}""");

    @TempDir
    Path dataDir;

    private static final Schema GONE =
            new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"Gone\",\"namespace\":\"t\",\"fields\":[]}");

    /** Above every id the test registers: held by a PROTOBUF schema a Confluent registry wrote. */
    private static final int PROTOBUF_ID = 40;

    private record Snapshot(int image1, int image2, int other, int copy, int gone) {}

    private EmbeddedKafkaBroker startBroker() {
        return EmbeddedKafkaBroker.start(
                EmbeddedKafkaConfig.builder().setDataDir(dataDir).build());
    }

    private static EmbeddedSchemaRegistry startRegistry(EmbeddedKafkaBroker broker) {
        return EmbeddedSchemaRegistry.start(new EmbeddedSchemaRegistryConfig(
                Map.of(EmbeddedSchemaRegistryConfig.KAFKASTORE_BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers())));
    }

    private static SchemaRegistryClient clientOf(EmbeddedSchemaRegistry registry) {
        return SchemaRegistryClient.create(Map.of("schema.registry.url", registry.url()));
    }

    @Test
    void shouldKeepIdsVersionsAndSettingsAcrossRestartOfRegistryAndBroker() throws Exception {
        Snapshot before;
        try (EmbeddedKafkaBroker broker = startBroker();
                EmbeddedSchemaRegistry registry = startRegistry(broker)) {
            before = registerEverything(clientOf(registry));
            assertStoreTopicIsCompactedWithOnePartition(broker);
        }

        try (EmbeddedKafkaBroker broker = startBroker()) {
            writeConfluentRecords(broker);
        }

        try (EmbeddedKafkaBroker broker = startBroker();
                EmbeddedSchemaRegistry registry = startRegistry(broker)) {
            SchemaRegistryClient client = clientOf(registry);

            assertThat(client.listSubjects())
                    .as("soft-deleted and PROTOBUF subjects are not served")
                    .containsExactly("copy-value", "images-value", "others-value");
            assertThat(client.getById(before.gone()).getName())
                    .as("soft-deleted schema readable by id after restart")
                    .isEqualTo("Gone");
            assertThat(client.getVersion("images-value", 1))
                    .isEqualTo(new RegisteredSchema("images-value", 1, before.image1(), IMAGE_V1));
            assertThat(client.getLatest("images-value"))
                    .isEqualTo(new RegisteredSchema("images-value", 2, before.image2(), IMAGE_V2));
            assertThat(client.getLatest("others-value").id()).isEqualTo(before.other());
            assertThat(client.getLatest("copy-value").id()).isEqualTo(before.image1());
            assertThat(client.getById(before.other())).isEqualTo(OTHER);
            assertThat(client.getConfig()).isEqualTo(CompatibilityLevel.FULL);
            assertThat(client.getConfig("others-value")).isEqualTo(CompatibilityLevel.NONE);
            assertThat(client.register("images-value", IMAGE_V2))
                    .as("idempotent after restart")
                    .isEqualTo(before.image2());

            Schema fresh = new Schema.Parser().parse("""
                {"type":"record","name":"Fresh","namespace":"t","fields":[]}""");
            assertThat(client.register("others-value", fresh))
                    .as("ids are never reused, not even those of PROTOBUF records written by Confluent")
                    .isEqualTo(PROTOBUF_ID + 1);
            assertThat(client.listVersions("others-value")).containsExactly(1, 2);
        }
    }

    private static Snapshot registerEverything(SchemaRegistryClient client) {
        int image1 = client.register("images-value", IMAGE_V1);
        int image2 = client.register("images-value", IMAGE_V2);
        int other = client.register("others-value", OTHER);
        int copy = client.register("copy-value", IMAGE_V1);
        client.updateConfig(CompatibilityLevel.FULL);
        client.updateConfig("others-value", CompatibilityLevel.FORWARD);
        client.updateConfig("others-value", CompatibilityLevel.NONE);
        assertThat(List.of(image1, image2, other)).doesNotHaveDuplicates();
        assertThat(copy).isEqualTo(image1);
        int gone = client.register("gone-value", GONE);
        assertThat(client.deleteSubject("gone-value", false)).containsExactly(1);
        return new Snapshot(image1, image2, other, copy, gone);
    }

    /** Appends a PROTOBUF schema to {@code _schemas} as a Confluent registry sharing the topic would. */
    private static void writeConfluentRecords(EmbeddedKafkaBroker broker) throws Exception {
        String key = "{\"keytype\":\"SCHEMA\",\"subject\":\"proto-value\",\"version\":1,\"magic\":1}";
        String value = "{\"subject\":\"proto-value\",\"version\":1,\"id\":" + PROTOBUF_ID
                + ",\"schemaType\":\"PROTOBUF\",\"schema\":\"syntax = \\\"proto3\\\";\",\"deleted\":false}";
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>("_schemas", 0, key, value)).get(30, TimeUnit.SECONDS);
        }
    }

    private static void assertStoreTopicIsCompactedWithOnePartition(EmbeddedKafkaBroker broker) throws Exception {
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            TopicDescription topic = admin.describeTopics(Set.of("_schemas"))
                    .allTopicNames()
                    .get(30, TimeUnit.SECONDS)
                    .get("_schemas");
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "_schemas");
            Config config = admin.describeConfigs(Set.of(resource))
                    .all()
                    .get(30, TimeUnit.SECONDS)
                    .get(resource);

            assertThat(topic.partitions()).hasSize(1);
            assertThat(config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value())
                    .isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
        }
    }
}
