package io.ccdstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.Test;

/**
 * Every schema in src/main/avro must stay BACKWARD compatible with every released version in
 * released/N: a consumer on the current schema reads what producers on a released one wrote.
 * To release a version, copy src/main/avro to released/N+1.
 */
class SchemaCompatibilityTest {

    @Test
    void shouldKeepEveryReleasedSchema() {
        Map<String, Schema> current = SchemaFiles.parseTopLevel(SchemaFiles.CURRENT);
        for (Path version : SchemaFiles.releasedVersions()) {
            assertThat(current.keySet())
                    .as("schemas released in %s must still exist", version)
                    .containsAll(SchemaFiles.parseTopLevel(version).keySet());
        }
    }

    @Test
    void shouldReadEveryReleasedVersionWithTheCurrentSchemas() {
        assertThat(SchemaFiles.releasedVersions())
                .as("at least one released version is kept")
                .isNotEmpty();
        Map<String, Schema> current = SchemaFiles.parseTopLevel(SchemaFiles.CURRENT);
        List<String> incompatible = new ArrayList<>();
        for (Path version : SchemaFiles.releasedVersions()) {
            SchemaFiles.parseTopLevel(version).forEach((name, released) -> {
                SchemaPairCompatibility result =
                        SchemaCompatibility.checkReaderWriterCompatibility(current.get(name), released);
                if (result.getType() != SchemaCompatibilityType.COMPATIBLE) {
                    incompatible.add(
                            name + " vs " + version + ": " + result.getResult().getIncompatibilities());
                }
            });
        }
        assertThat(incompatible).as("BACKWARD incompatible changes").isEmpty();
    }

    @Test
    void shouldDetectAFieldAddedWithoutDefault() {
        // Given a released Label and a current one with a new required field
        Schema released = SchemaFiles.parseTopLevel(SchemaFiles.CURRENT)
                .get(Label.getClassSchema().getFullName());
        Schema broken = new Schema.Parser()
                .parse(released.toString()
                        .replaceFirst("\"fields\":\\[", "\"fields\":[{\"name\":\"mandatoryNew\",\"type\":\"int\"},"));

        // When
        SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(broken, released);

        // Then the check this suite relies on rejects it
        assertThat(result.getType()).isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
    }

    @Test
    void shouldGenerateClassesFromTheCurrentSchemas() {
        Map<String, Schema> current = SchemaFiles.parseTopLevel(SchemaFiles.CURRENT);
        for (Schema generated : List.of(
                Image.getClassSchema(),
                Scores.getClassSchema(),
                Bias.getClassSchema(),
                Label.getClassSchema(),
                Checkpoint.getClassSchema(),
                Review.getClassSchema())) {
            // the generated schemas carry avro.java.string properties; compare what the wire depends on
            assertThat(SchemaNormalization.toParsingForm(generated))
                    .isEqualTo(SchemaNormalization.toParsingForm(current.get(generated.getFullName())));
        }
    }
}
