package io.ccdstream.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interoperability with Confluent's own JavaScript client and Avro serdes
 * ({@code @confluentinc/schemaregistry}, pinned in src/test/js/interop/package.json): the script
 * interop.mjs runs once against the embedded registry; each test asserts one direction.
 * Maven's generate-test-resources phase runs {@code npm ci} there first.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConfluentJsClientInteropIT {

    private static final long NODE_TIMEOUT_SECONDS = 120;

    private final InteropImage fromJava =
            new InteropImage("img-java-1", 800, 0.625, 1_700_000_000_456L, List.of("cat", "window"), "ckpt-2");

    private EmbeddedSchemaRegistry registry;
    private Map<String, Object> config;
    private Path work;
    private JsonNode report;

    @BeforeAll
    void runConfluentScript(@TempDir Path tempDir) throws IOException, InterruptedException {
        work = tempDir;
        Path scriptDir = Path.of(System.getProperty("interop.js.dir", "src/test/js/interop"))
                .toAbsolutePath();
        if (!Files.isDirectory(scriptDir.resolve("node_modules/@confluentinc/schemaregistry"))) {
            fail("Confluent's JavaScript client is not installed: run `npm ci` in " + scriptDir
                    + " (mvn does it in generate-test-resources unless -Dinterop.npm.skip=true)");
        }
        registry = EmbeddedSchemaRegistry.inMemory();
        config = Map.of(SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL_CONFIG, registry.url());
        Path javaRecord = work.resolve("from-java.bin");
        Serde<InteropImage> serde = AvroSerde.specific(InteropImage.class, config, false);
        Files.write(javaRecord, serde.serializer().serialize("interop.java", fromJava));

        runNode(scriptDir, registry.url(), javaRecord.toString(), work.toString());
        report = RawHttp.JSON.readTree(work.resolve("report.json").toFile());
    }

    @AfterAll
    void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    private void runNode(Path scriptDir, String... args) throws IOException, InterruptedException {
        Path stdout = work.resolve("node.out");
        Path stderr = work.resolve("node.err");
        List<String> command = new ArrayList<>(List.of("node", "interop.mjs"));
        command.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .directory(scriptDir.toFile())
                    .redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile())
                    .start();
        } catch (IOException e) {
            throw new AssertionError("Cannot run node (is Node.js 18+ on the PATH?): " + e.getMessage(), e);
        }
        boolean finished = process.waitFor(NODE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (!finished || process.exitValue() != 0) {
            fail("node " + String.join(" ", command)
                    + (finished
                            ? " exited with " + process.exitValue()
                            : " timed out after " + NODE_TIMEOUT_SECONDS + " s")
                    + "\n--- stdout ---\n"
                    + Files.readString(stdout) + "\n--- stderr ---\n" + Files.readString(stderr));
        }
    }

    @Test
    void confluentClientShouldRegisterAndReadBackThroughOurRegistry() {
        JsonNode registered = report.path("registered");
        int id = registered.path("registeredId").asInt();

        assertThat(id).isPositive();
        assertThat(registered.path("registeredAgainId").asInt()).isEqualTo(id);
        assertThat(new Schema.Parser().parse(registered.path("schemaById").asText()))
                .isEqualTo(InteropImage.SCHEMA$);
        assertThat(registered.path("latest").path("id").asInt()).isEqualTo(id);
        assertThat(registered.path("latest").path("version").asInt()).isEqualTo(1);
        assertThat(registered.path("latest").path("subject").asText()).isEqualTo("js.registered-value");
        assertThat(registered.path("version1").path("id").asInt()).isEqualTo(id);
        assertThat(registered.path("lookup").path("id").asInt()).isEqualTo(id);
        assertThat(registered.path("lookup").path("version").asInt()).isEqualTo(1);
        assertThat(registered.path("versions").toString()).isEqualTo("[1]");
        assertThat(registered.path("subjects").toString()).contains("\"js.registered-value\"");
        assertThat(registered.path("defaultCompatibility").asText()).isEqualTo("BACKWARD");
        assertThat(registered.path("compatibleWithItself").asBoolean()).isTrue();
    }

    @Test
    void confluentClientShouldDeleteVersionsAndSubjectsSoftThenPermanently() {
        JsonNode deleted = report.path("deleted");

        assertThat(deleted.path("permanentBeforeSoftVersion").path("errorCode").asInt())
                .isEqualTo(SchemaRegistryException.VERSION_NOT_SOFT_DELETED);
        assertThat(deleted.path("softVersion").asInt()).isEqualTo(1);
        assertThat(deleted.path("softVersionAgain").path("errorCode").asInt())
                .isEqualTo(SchemaRegistryException.VERSION_SOFT_DELETED);
        assertThat(deleted.path("versionsAfterSoftVersion").toString()).isEqualTo("[2]");
        assertThat(deleted.path("permanentVersion").asInt()).isEqualTo(1);
        assertThat(deleted.path("permanentBeforeSoftSubject").path("errorCode").asInt())
                .isEqualTo(SchemaRegistryException.SUBJECT_NOT_SOFT_DELETED);
        assertThat(deleted.path("softSubject").toString()).isEqualTo("[2]");
        assertThat(deleted.path("softSubjectAgain").path("errorCode").asInt())
                .isEqualTo(SchemaRegistryException.SUBJECT_SOFT_DELETED);
        assertThat(deleted.path("permanentSubject").toString()).isEqualTo("[2]");
        assertThat(deleted.path("missingSubject").path("errorCode").asInt())
                .isEqualTo(SchemaRegistryException.SUBJECT_NOT_FOUND);
        assertThat(deleted.path("subjectsAfter").toString()).doesNotContain("js.deleted-value");
    }

    @Test
    void ourRegistryShouldShareIdOfSchemaRegisteredByJavaAndJavaScript() {
        SchemaRegistryClient client = SchemaRegistryClient.create(config);

        assertThat(client.lookup("interop.java-value", InteropImage.SCHEMA$).id())
                .isEqualTo(report.path("registered").path("registeredId").asInt());
    }

    @Test
    void confluentDeserializerShouldDecodeRecordOurSerializerWrote() throws IOException {
        JsonNode decoded =
                RawHttp.JSON.readTree(work.resolve("decoded-from-java.json").toFile());

        assertThat(decoded.path("imageId").asText()).isEqualTo(fromJava.imageId());
        assertThat(decoded.path("width").asInt()).isEqualTo(fromJava.width());
        assertThat(decoded.path("score").asDouble()).isEqualTo(fromJava.score());
        assertThat(decoded.path("capturedAt").asLong()).isEqualTo(fromJava.capturedAt());
        assertThat(decoded.path("labels").toString()).isEqualTo("[\"cat\",\"window\"]");
        assertThat(decoded.path("checkpoint").asText()).isEqualTo(fromJava.checkpoint());
    }

    @Test
    void ourDeserializerShouldDecodeRecordConfluentSerializerAutoRegistered() throws IOException {
        AvroDeserializer<GenericRecord> deserializer = new AvroDeserializer<>();
        deserializer.configure(config, false);

        GenericRecord record = deserializer.deserialize(
                "interop.js.inferred", Files.readAllBytes(work.resolve("from-js-inferred.bin")));

        assertThat(record.get("imageId")).hasToString("img-js-1");
        assertThat(record.get("width")).isEqualTo(640);
        // avsc infers the narrowest type that holds the value exactly: float here.
        assertThat(((Number) record.get("score")).doubleValue()).isEqualTo(0.875);
        assertThat((List<?>) record.get("tags")).map(Object::toString).containsExactly("cat", "sofa");
        assertThat(record.get("flagged")).isEqualTo(true);
        assertThat(SchemaRegistryClient.create(config).listVersions("interop.js.inferred-value"))
                .containsExactly(1);
    }

    @Test
    void ourDeserializerShouldDecodeConfluentRecordOfRegisteredSchemaAsGeneratedClass() throws IOException {
        Serde<InteropImage> serde = AvroSerde.specific(InteropImage.class, config, false);

        InteropImage image = serde.deserializer()
                .deserialize("js.registered", Files.readAllBytes(work.resolve("from-js-latest.bin")));

        assertThat(image.imageId()).isEqualTo("img-js-2");
        assertThat(image.width()).isEqualTo(1024);
        assertThat(image.score()).isEqualTo(0.25);
        assertThat(image.capturedAt()).isEqualTo(1_700_000_000_123L);
        assertThat(image.labels()).containsExactly("dog");
        assertThat(image.checkpoint()).isEqualTo("ckpt-7");
    }
}
