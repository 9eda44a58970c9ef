package io.ccdstream.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Avro serdes in Confluent's wire format against the embedded registry. */
class AvroSerdeTest {

    private static final String TOPIC = "ccd.images";

    private EmbeddedSchemaRegistry registry;
    private Map<String, Object> config;
    private SchemaRegistryClient client;

    @BeforeEach
    void start() {
        registry = EmbeddedSchemaRegistry.inMemory();
        config = Map.of(SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL_CONFIG, registry.url());
        client = SchemaRegistryClient.create(config);
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    private static GenericRecord labelV1(String imageId, String label) {
        GenericRecord record = new GenericData.Record(ImageLabel.V1_SCHEMA);
        record.put("imageId", imageId);
        record.put("label", label);
        return record;
    }

    private <T> Serializer<T> serializer(Map<String, Object> overrides, boolean isKey) {
        AvroSerializer<T> serializer = new AvroSerializer<>();
        serializer.configure(merged(overrides), isKey);
        return serializer;
    }

    private <T> Deserializer<T> deserializer(Map<String, Object> overrides, boolean isKey) {
        AvroDeserializer<T> deserializer = new AvroDeserializer<>();
        deserializer.configure(merged(overrides), isKey);
        return deserializer;
    }

    private Map<String, Object> merged(Map<String, Object> overrides) {
        Map<String, Object> all = new HashMap<>(config);
        all.putAll(overrides);
        return all;
    }

    @Test
    void shouldRoundTripGenericRecordInConfluentWireFormat() {
        GenericRecord record = labelV1("img-1", "cat");

        byte[] bytes = this.<GenericRecord>serializer(Map.of(), false).serialize(TOPIC, record);
        GenericRecord back = this.<GenericRecord>deserializer(Map.of(), false).deserialize(TOPIC, bytes);

        int id = client.lookup("ccd.images-value", ImageLabel.V1_SCHEMA).id();
        assertThat(bytes[0]).isZero();
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
        assertThat(back).isEqualTo(record);
        assertThat(back.get("label")).hasToString("cat");
    }

    @Test
    void shouldRoundTripSpecificRecordThroughSpecificSerde() {
        Serde<ImageLabel> serde = AvroSerde.specific(ImageLabel.class, config, false);
        ImageLabel label = new ImageLabel("img-2", "dog", 0.75, "ckpt-3");

        ImageLabel back =
                serde.deserializer().deserialize(TOPIC, serde.serializer().serialize(TOPIC, label));

        assertThat(back).isInstanceOf(ImageLabel.class);
        assertThat(back.imageId()).isEqualTo("img-2");
        assertThat(back.label()).isEqualTo("dog");
        assertThat(back.confidence()).isEqualTo(0.75);
        assertThat(back.checkpoint()).isEqualTo("ckpt-3");
    }

    @Test
    void shouldUseKeyAndValueSubjectsOfTopicNameStrategy() {
        AvroSerde.specific(ImageLabel.class, config, true)
                .serializer()
                .serialize(TOPIC, new ImageLabel("k", "l", 1.0, null));
        AvroSerde.generic(null, config, false).serializer().serialize(TOPIC, labelV1("v", "l"));

        assertThat(client.listSubjects()).containsExactly("ccd.images-key", "ccd.images-value");
        assertThat(client.getLatest("ccd.images-key").schema()).isEqualTo(ImageLabel.SCHEMA$);
        assertThat(client.getLatest("ccd.images-value").schema()).isEqualTo(ImageLabel.V1_SCHEMA);
    }

    @Test
    void shouldReturnGeneratedClassUnderSpecificAvroReaderWithoutTrustedPackagesProperty() {
        byte[] bytes = this.<ImageLabel>serializer(Map.of(), false)
                .serialize(TOPIC, new ImageLabel("img-3", "bird", 0.5, null));

        Object back = deserializer(Map.of(AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG, true), false)
                .deserialize(TOPIC, bytes);

        assertThat(System.getProperty("org.apache.avro.SERIALIZABLE_PACKAGES")).isNull();
        assertThat(back)
                .isInstanceOfSatisfying(
                        ImageLabel.class, label -> assertThat(label.label()).isEqualTo("bird"));
    }

    @Test
    void avroAloneShouldRefuseToLoadProjectClassWithoutTrustedPackages() {
        // The pitfall TrustedSpecificData exists for: Avro 1.12 validates classes named by schemas.
        assertThatThrownBy(() -> new SpecificData(getClass().getClassLoader()).getClass(ImageLabel.SCHEMA$))
                .isInstanceOf(SecurityException.class);
    }

    @Test
    void shouldReadRecordWrittenWithV1AsV2GeneratedClass() {
        byte[] v1Bytes = this.<GenericRecord>serializer(Map.of(), false).serialize(TOPIC, labelV1("img-4", "fox"));
        Serde<ImageLabel> v2 = AvroSerde.specific(ImageLabel.class, config, false);

        ImageLabel back = v2.deserializer().deserialize(TOPIC, v1Bytes);

        assertThat(back.imageId()).isEqualTo("img-4");
        assertThat(back.label()).isEqualTo("fox");
        assertThat(back.confidence()).as("v2 default").isEqualTo(1.0);
        assertThat(back.checkpoint()).as("v2 default").isNull();
    }

    @Test
    void shouldRejectWrongMagicByteAsSerializationException() {
        byte[] json = "{\"imageId\":\"x\"}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> deserializer(Map.of(), false).deserialize(TOPIC, json))
                .isInstanceOf(SerializationException.class)
                .hasMessage(
                        "Unknown magic byte 0x7b at start of value from topic ccd.images: not Confluent Avro wire format");
    }

    @Test
    void shouldRejectPayloadShorterThanHeaderAsSerializationException() {
        assertThatThrownBy(() -> deserializer(Map.of(), true).deserialize(TOPIC, new byte[] {0, 0, 1}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Payload of 3 bytes in key from topic ccd.images is too short");
    }

    @Test
    void shouldRejectUnknownSchemaIdAsSerializationException() {
        byte[] bytes = {0, 0, 0, 0, 77, 2, 'x'};

        assertThatThrownBy(() -> deserializer(Map.of(), false).deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Unknown schema id 77 at start of value from topic ccd.images");
    }

    @Test
    void shouldRejectTruncatedAvroBodyAsSerializationException() {
        byte[] bytes = this.<GenericRecord>serializer(Map.of(), false).serialize(TOPIC, labelV1("img-5", "owl"));
        byte[] truncated = Arrays.copyOf(bytes, 7);

        assertThatThrownBy(() -> deserializer(Map.of(), false).deserialize(TOPIC, truncated))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Cannot decode Avro value from topic ccd.images");
    }

    @Test
    void shouldReportUnreachableRegistryAsRegistryFailureNotBadRecord() throws IOException {
        byte[] bytes = this.<GenericRecord>serializer(Map.of(), false).serialize(TOPIC, labelV1("img-6", "eel"));
        String dead = "http://127.0.0.1:" + SchemaRegistryClientTest.freePort();
        Deserializer<Object> cut =
                deserializer(Map.of(SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL_CONFIG, dead), false);

        assertThatThrownBy(() -> cut.deserialize(TOPIC, bytes))
                .isInstanceOf(SchemaRegistryException.class)
                .isNotInstanceOf(SerializationException.class);
    }

    @Test
    void shouldFetchWriterSchemaOncePerId() {
        byte[] bytes = this.<GenericRecord>serializer(Map.of(), false).serialize(TOPIC, labelV1("img-7", "ant"));
        Deserializer<GenericRecord> reader = deserializer(Map.of(), false);
        reader.deserialize(TOPIC, bytes);
        long afterFirst = registry.requestCount();

        for (int i = 0; i < 10; i++) {
            reader.deserialize(TOPIC, bytes);
        }

        assertThat(registry.requestCount()).isEqualTo(afterFirst);
    }

    @Test
    void shouldRegisterOncePerSchemaWhenSerializingManyRecords() {
        Serializer<GenericRecord> writer = serializer(Map.of(), false);
        writer.serialize(TOPIC, labelV1("a", "b"));
        long afterFirst = registry.requestCount();

        for (int i = 0; i < 10; i++) {
            writer.serialize(TOPIC, labelV1("a" + i, "b"));
        }

        assertThat(registry.requestCount()).isEqualTo(afterFirst);
    }

    @Test
    void shouldRefuseUnregisteredSchemaWhenAutoRegisterIsOff() {
        Serializer<GenericRecord> strict =
                serializer(Map.of(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS_CONFIG, false), false);

        assertThatThrownBy(() -> strict.serialize(TOPIC, labelV1("img-8", "bee")))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("ccd.images-value")
                .hasMessageContaining("auto.register.schemas=false");
        assertThat(client.listSubjects()).isEmpty();
    }

    @Test
    void shouldUseRegisteredIdWhenAutoRegisterIsOffAndSchemaIsRegistered() {
        int id = client.register("ccd.images-value", ImageLabel.V1_SCHEMA);
        Serializer<GenericRecord> strict =
                serializer(Map.of(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS_CONFIG, false), false);

        byte[] bytes = strict.serialize(TOPIC, labelV1("img-9", "cow"));

        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
    }

    @Test
    void shouldWriteWithLatestSchemaWhenUseLatestVersion() {
        client.register("ccd.images-value", ImageLabel.V1_SCHEMA);
        int latestId = client.register("ccd.images-value", ImageLabel.SCHEMA$);
        Serializer<GenericRecord> latest = serializer(
                Map.of(
                        AvroSerdeConfig.AUTO_REGISTER_SCHEMAS_CONFIG,
                        false,
                        AvroSerdeConfig.USE_LATEST_VERSION_CONFIG,
                        true),
                false);

        byte[] bytes = latest.serialize(TOPIC, labelV1("img-10", "hen"));
        GenericRecord back = this.<GenericRecord>deserializer(Map.of(), false).deserialize(TOPIC, bytes);

        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(latestId);
        assertThat(back.getSchema()).isEqualTo(ImageLabel.SCHEMA$);
        assertThat(back.get("label")).hasToString("hen");
        assertThat(back.get("confidence")).isEqualTo(1.0);
    }

    @Test
    void shouldExplainMissingSubjectWhenUseLatestVersion() {
        Serializer<GenericRecord> latest = serializer(
                Map.of(
                        AvroSerdeConfig.AUTO_REGISTER_SCHEMAS_CONFIG,
                        false,
                        AvroSerdeConfig.USE_LATEST_VERSION_CONFIG,
                        true),
                false);

        assertThatThrownBy(() -> latest.serialize(TOPIC, labelV1("img-12", "owl")))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Subject ccd.images-value has no registered schema")
                .hasMessageContaining("use.latest.version=true");
        assertThat(client.listSubjects()).as("nothing registered").isEmpty();
    }

    @Test
    void shouldRefuseRecordTheLatestSchemaCannotRead() {
        Schema unrelated = new Schema.Parser().parse(EmbeddedSchemaRegistryRestTest.OTHER);
        client.register("ccd.images-value", unrelated);
        Serializer<GenericRecord> latest = serializer(
                Map.of(
                        AvroSerdeConfig.AUTO_REGISTER_SCHEMAS_CONFIG,
                        false,
                        AvroSerdeConfig.USE_LATEST_VERSION_CONFIG,
                        true),
                false);

        assertThatThrownBy(() -> latest.serialize(TOPIC, labelV1("img-11", "elk")))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("cannot be written as the latest schema");
    }

    @Test
    void shouldRefuseValueThatIsNotAnAvroRecord() {
        Serializer<Object> serializer = serializer(Map.of(), false);

        assertThatThrownBy(() -> serializer.serialize(TOPIC, "plain string"))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("java.lang.String");
    }

    @Test
    void shouldMapNullToNullBothWays() {
        assertThat(serializer(Map.of(), false).serialize(TOPIC, null)).isNull();
        assertThat(deserializer(Map.of(), false).deserialize(TOPIC, null)).isNull();
    }

    @Test
    void shouldShareOneClientBetweenSerializerAndDeserializerOfSerde() {
        Serde<ImageLabel> serde = AvroSerde.specific(ImageLabel.class, config, false);
        ImageLabel label = new ImageLabel("img-12", "yak", 0.1, null);
        byte[] bytes = serde.serializer().serialize(TOPIC, label);
        long afterSerialize = registry.requestCount();

        serde.deserializer().deserialize(TOPIC, bytes);

        assertThat(registry.requestCount())
                .as("writer schema already cached by the shared client")
                .isEqualTo(afterSerialize);
    }

    @Test
    void shouldRejectReaderTypeThatIsNotGenerated() {
        @SuppressWarnings({"unchecked", "rawtypes"})
        Class<Object> notGenerated = (Class) String.class;

        assertThatThrownBy(() -> new AvroDeserializer<>(client, notGenerated))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a generated Avro SpecificRecord");
    }

    @Test
    void shouldReadListsOfGeneratedRecords() {
        Serde<InteropImage> serde = AvroSerde.specific(InteropImage.class, config, false);
        InteropImage image = new InteropImage("img-13", 320, 0.5, 1_700_000_000_000L, List.of("a", "b"), null);

        InteropImage back =
                serde.deserializer().deserialize(TOPIC, serde.serializer().serialize(TOPIC, image));

        assertThat(back.labels()).containsExactly("a", "b");
        assertThat(back.capturedAt()).isEqualTo(1_700_000_000_000L);
    }
}
