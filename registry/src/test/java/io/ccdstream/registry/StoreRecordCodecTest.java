package io.ccdstream.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Keys and values of the store topic: Confluent's layout, and a round trip of every record kind. */
class StoreRecordCodecTest {

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void shouldWriteSchemaVersionUnderConfluentKeyLayout() {
        StoreRecord record = new StoreRecord.SchemaVersion("images-value", 2, 7, "\"string\"", false);

        assertThat(text(StoreRecordCodec.key(record)))
                .isEqualTo("{\"keytype\":\"SCHEMA\",\"subject\":\"images-value\",\"version\":2,\"magic\":1}");
        assertThat(text(StoreRecordCodec.value(record)))
                .isEqualTo(
                        "{\"subject\":\"images-value\",\"version\":2,\"id\":7,\"schema\":\"\\\"string\\\"\",\"deleted\":false}");
    }

    @Test
    void shouldWriteGlobalAndSubjectLevelsUnderConfigKeys() {
        StoreRecord global = new StoreRecord.Compatibility(null, CompatibilityLevel.FULL);
        StoreRecord subject = new StoreRecord.Compatibility("images-value", CompatibilityLevel.NONE);

        assertThat(text(StoreRecordCodec.key(global)))
                .isEqualTo("{\"keytype\":\"CONFIG\",\"subject\":null,\"magic\":0}");
        assertThat(text(StoreRecordCodec.key(subject)))
                .isEqualTo("{\"keytype\":\"CONFIG\",\"subject\":\"images-value\",\"magic\":0}");
        assertThat(text(StoreRecordCodec.value(subject))).isEqualTo("{\"compatibilityLevel\":\"NONE\"}");
    }

    @Test
    void shouldRoundTripEveryRecordKind() throws IOException {
        StoreRecord[] records = {
            new StoreRecord.SchemaVersion("s", 1, 3, "{\"type\":\"int\"}", false),
            new StoreRecord.Compatibility(null, CompatibilityLevel.FORWARD_TRANSITIVE),
            new StoreRecord.Compatibility("s", CompatibilityLevel.BACKWARD),
            new StoreRecord.Compatibility("s", null),
            new StoreRecord.SchemaVersion("s", 2, 4, "{\"type\":\"long\"}", true),
            new StoreRecord.SchemaVersion("p", 1, 5, "syntax = \"proto3\";", "PROTOBUF", false),
            new StoreRecord.VersionPurged("s", 2),
            new StoreRecord.Mode(null, RegistryMode.IMPORT),
            new StoreRecord.Mode("s", RegistryMode.READONLY),
            new StoreRecord.Mode("s", null),
            new StoreRecord.SubjectDeleted("s", 3),
        };

        for (StoreRecord record : records) {
            assertThat(StoreRecordCodec.decode(StoreRecordCodec.key(record), StoreRecordCodec.value(record)))
                    .contains(record);
        }
    }

    @Test
    void shouldSkipKeyTypesThisRegistryDoesNotKeep() throws IOException {
        assertThat(StoreRecordCodec.decode(utf8("{\"keytype\":\"NOOP\",\"magic\":0}"), null))
                .isEqualTo(Optional.empty());
        assertThat(StoreRecordCodec.decode(
                        utf8("{\"keytype\":\"CLEAR_SUBJECT\",\"subject\":\"s\",\"magic\":0}"),
                        utf8("{\"subject\":\"s\"}")))
                .isEmpty();
    }

    @Test
    void shouldReadSchemaTombstoneAsPurgedVersion() throws IOException {
        Optional<StoreRecord> decoded = StoreRecordCodec.decode(
                utf8("{\"keytype\":\"SCHEMA\",\"subject\":\"s\",\"version\":4,\"magic\":1}"), null);

        assertThat(decoded).contains(new StoreRecord.VersionPurged("s", 4));
    }

    @Test
    void shouldWriteSchemaTypeOnlyForNonAvroAndModeUnderModeKey() {
        StoreRecord proto = new StoreRecord.SchemaVersion("p", 1, 5, "syntax = \"proto3\";", "protobuf", true);
        StoreRecord mode = new StoreRecord.Mode(null, RegistryMode.READONLY);

        assertThat(text(StoreRecordCodec.value(proto)))
                .isEqualTo("{\"subject\":\"p\",\"version\":1,\"id\":5,\"schema\":\"syntax = \\\"proto3\\\";\","
                        + "\"schemaType\":\"PROTOBUF\",\"deleted\":true}");
        assertThat(text(StoreRecordCodec.key(mode))).isEqualTo("{\"keytype\":\"MODE\",\"subject\":null,\"magic\":0}");
        assertThat(text(StoreRecordCodec.value(mode))).isEqualTo("{\"mode\":\"READONLY\"}");
        assertThat(StoreRecordCodec.value(new StoreRecord.VersionPurged("p", 1)))
                .isNull();
    }

    @Test
    void shouldRejectUnreadableKey() {
        assertThatThrownBy(() -> StoreRecordCodec.decode(utf8("not json"), null))
                .isInstanceOf(IOException.class);
    }
}
