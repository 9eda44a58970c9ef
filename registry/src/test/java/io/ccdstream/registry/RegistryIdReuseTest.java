package io.ccdstream.registry;

import static io.ccdstream.registry.RawHttp.get;
import static io.ccdstream.registry.RawHttp.post;
import static io.ccdstream.registry.RawHttp.schemaBody;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Ids stay unique when the store holds records the registry does not serve: soft-deleted
 * versions and PROTOBUF or JSON schemas, as a Confluent registry writes them to {@code _schemas}.
 */
class RegistryIdReuseTest {

    private static final EmbeddedSchemaRegistryConfig CONFIG = new EmbeddedSchemaRegistryConfig(Map.of());
    private static final String DELETED_AVRO = """
        {"type":"record","name":"Gone","namespace":"t","fields":[{"name":"g","type":"int"}]}""";

    /** A store filled with records as Confluent's registry writes them (keys and values in JSON). */
    static InMemorySchemaStore confluentWrittenStore() throws IOException {
        InMemorySchemaStore store = new InMemorySchemaStore();
        add(store, "images-value", 1, """
            {"subject":"images-value","version":1,"id":3,"schema":%s,"deleted":true}""".formatted(quote(DELETED_AVRO)));
        add(store, "proto-value", 1, """
            {"subject":"proto-value","version":1,"id":7,"schemaType":"PROTOBUF",
             "schema":"syntax = \\"proto3\\";\\nmessage M { int32 a = 1; }","deleted":false}""");
        add(store, "json-value", 1, """
            {"subject":"json-value","version":1,"id":9,"schemaType":"JSON",
             "schema":"{\\"type\\":\\"object\\"}","deleted":true}""");
        add(store, "images-value", 2, """
            {"subject":"images-value","version":2,"id":5,"schema":%s}""".formatted(quote(EmbeddedSchemaRegistryRestTest.V1)));
        return store;
    }

    private static void add(InMemorySchemaStore store, String subject, int version, String value) throws IOException {
        String key = "{\"keytype\":\"SCHEMA\",\"subject\":\"" + subject + "\",\"version\":" + version + ",\"magic\":1}";
        store.append(
                StoreRecordCodec.decode(key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8))
                        .orElseThrow());
    }

    private static String quote(String text) {
        return RawHttp.toJson(text);
    }

    @Test
    void shouldGiveNewSchemasIdsAboveEveryStoredIdWhateverItsTypeOrState() throws IOException {
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(CONFIG, confluentWrittenStore())) {
            int first = post(
                            registry.url(),
                            "/subjects/others-value/versions",
                            schemaBody(EmbeddedSchemaRegistryRestTest.OTHER))
                    .json()
                    .path("id")
                    .asInt();
            int second = post(
                            registry.url(),
                            "/subjects/more-value/versions",
                            schemaBody("{\"type\":\"record\",\"name\":\"More\",\"fields\":[]}"))
                    .json()
                    .path("id")
                    .asInt();

            assertThat(first).isEqualTo(10);
            assertThat(second).isEqualTo(11);
        }
    }

    @Test
    void shouldServeUnservedRecordsByIdOnlyAndKeepThemOutOfSubjects() throws IOException {
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(CONFIG, confluentWrittenStore())) {
            RawHttp.Reply deleted = get(registry.url(), "/schemas/ids/3");
            RawHttp.Reply proto = get(registry.url(), "/schemas/ids/7");

            assertThat(deleted.status()).isEqualTo(200);
            assertThat(deleted.json().path("schema").asText()).contains("Gone");
            assertThat(proto.json().path("schemaType").asText()).isEqualTo("PROTOBUF");
            assertThat(get(registry.url(), "/schemas/ids/9/schema").raw()).isEqualTo("{\"type\":\"object\"}");
            assertThat(get(registry.url(), "/subjects").json().toString()).isEqualTo("[\"images-value\"]");
            assertThat(get(registry.url(), "/subjects/images-value/versions")
                            .json()
                            .toString())
                    .isEqualTo("[2]");
        }
    }

    @Test
    void shouldGiveReRegisteredDeletedSchemaItsOldIdAsTheNextVersion() throws IOException {
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(CONFIG, confluentWrittenStore())) {
            RawHttp.put(registry.url(), "/config/images-value", "{\"compatibility\":\"NONE\"}");

            RawHttp.Reply again = post(registry.url(), "/subjects/images-value/versions", schemaBody(DELETED_AVRO));

            assertThat(again.json().path("id").asInt()).isEqualTo(3);
            assertThat(get(registry.url(), "/subjects/images-value/versions")
                            .json()
                            .toString())
                    .isEqualTo("[2,3]");
        }
    }

    @Test
    void shouldKeepIdOfStoredRecordWhoseSchemaDoesNotParse() {
        InMemorySchemaStore store = new InMemorySchemaStore();
        store.append(new StoreRecord.SchemaVersion("broken-value", 1, 40, "{\"type\":\"nonsense\"}", false));
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(CONFIG, store)) {
            assertThat(post(registry.url(), "/subjects/x-value/versions", schemaBody(EmbeddedSchemaRegistryRestTest.V1))
                            .json()
                            .path("id")
                            .asInt())
                    .isEqualTo(41);
        }
    }
}
