package io.ccdstream.models.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ccdstream.method.image.RgbImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassifierCheckpointTest {

    private static Classifier trained;

    @TempDir
    Path dir;

    @BeforeAll
    static void trainBriefly() throws ClassifierException {
        // a few steps, so that weights and batch-norm statistics differ from the initial ones
        trained = Classifier.create(Scenes.tinyConfig().optCamScale(3f).build());
        Scenes.Set set = Scenes.redsAndBlues(16, 6);
        try (ClassifierTrainer trainer = trained.newTrainer(
                ClassifierTrainerConfig.builder().optLearningRate(1e-3f).build())) {
            trainer.trainStep(set.images(), set.targets(), 0f);
            trainer.trainStep(set.images(), set.targets(), 1f);
        }
    }

    @AfterAll
    static void close() {
        trained.close();
    }

    @Test
    void shouldReturnTheSha256OfTheWrittenFile() throws Exception {
        Path file = dir.resolve("classifier.ckpt");

        String sha = trained.save(file);

        assertThat(sha).matches("[0-9a-f]{64}");
        assertThat(sha)
                .isEqualTo(HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))));
        assertThat(trained.save(dir.resolve("again.ckpt")))
                .as("same weights, same bytes")
                .isEqualTo(sha);
    }

    @Test
    void shouldLoadACheckpointThatGivesIdenticalOutputs() throws Exception {
        Path file = dir.resolve("classifier.ckpt");
        String sha = trained.save(file);
        List<RgbImage> images = ClassifierTest.images(5);
        ClassifierOutput expected = trained.forwardWithCam(images);

        try (Classifier loaded = Classifier.load(file, sha, Scenes.CLASSES)) {
            ClassifierOutput actual = loaded.forwardWithCam(images);

            assertThat(loaded.config().classNames()).isEqualTo(Scenes.CLASSES);
            assertThat(loaded.config().camScale()).isEqualTo(3f);
            assertThat(loaded.config().backbone()).isEqualTo(trained.config().backbone());
            assertThat(actual.logits()).isDeepEqualTo(expected.logits());
            assertThat(actual.cams()).isDeepEqualTo(expected.cams());
            assertThat(loaded.save(dir.resolve("resaved.ckpt"))).isEqualTo(sha);
        }
    }

    @Test
    void shouldKeepTrainingALoadedCheckpoint() throws Exception {
        Path file = dir.resolve("classifier.ckpt");
        String sha = trained.save(file);
        Scenes.Set set = Scenes.redsAndBlues(8, 7);

        try (Classifier loaded = Classifier.load(file, sha)) {
            Map<String, float[]> before = loaded.parameterValues();
            try (ClassifierTrainer trainer = loaded.newTrainer(
                    ClassifierTrainerConfig.builder().optLearningRate(1e-3f).build())) {
                trainer.trainStep(set.images(), set.targets(), 0f);
            }
            Map<String, float[]> after = loaded.parameterValues();

            for (String name : before.keySet()) {
                assertThat(after.get(name)).as(name).isNotEqualTo(before.get(name));
            }
        }
    }

    @Test
    void shouldWriteTheDocumentedHeader() throws Exception {
        Path file = dir.resolve("classifier.ckpt");
        trained.save(file);

        JsonNode header =
                new ObjectMapper().readTree(entries(Files.readAllBytes(file)).get("classifier.json"));

        assertThat(entries(Files.readAllBytes(file))).containsOnlyKeys("classifier.json", "parameters.djl");
        assertThat(header.get("format").asText()).isEqualTo("ccd-stream-classifier");
        assertThat(header.get("formatVersion").asInt()).isEqualTo(1);
        assertThat(header.get("numClasses").asInt()).isEqualTo(2);
        assertThat(header.get("classNames").toString()).isEqualTo("[\"red\",\"blue\"]");
        assertThat(header.get("backbone").toString()).isEqualTo("{\"type\":\"small-cnn\",\"widths\":[8,16,32]}");
        assertThat(header.get("inputSize").asInt()).isEqualTo(32);
        assertThat(header.get("camScale").asDouble()).isEqualTo(3.0);
        assertThat(header.get("mean")).hasSize(3);
        assertThat(header.get("std")).hasSize(3);
    }

    @Test
    void shouldRefuseAFileWithOneByteChanged() throws Exception {
        Path file = dir.resolve("classifier.ckpt");
        String sha = trained.save(file);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(file, bytes);

        assertThatThrownBy(() -> Classifier.load(file, sha))
                .isInstanceOf(ClassifierException.class)
                .hasMessageContaining("SHA-256")
                .hasMessageContaining(sha)
                .hasMessageContaining("refusing");
    }

    @Test
    void shouldRefuseAnotherExpectedChecksum() throws Exception {
        Path file = dir.resolve("classifier.ckpt");
        trained.save(file);

        assertThatThrownBy(() -> Classifier.load(file, "0".repeat(64)))
                .isInstanceOf(ClassifierException.class)
                .hasMessageContaining("refusing");
        assertThatThrownBy(() -> Classifier.load(file, "not-a-checksum"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("64 hex digits");
    }

    @Test
    void shouldRefuseAHeaderWithAnotherClassCount() throws Exception {
        Path file = rewriteHeader(header -> {
            header.putArray("classNames").add("red").add("blue").add("green");
            header.put("numClasses", 3);
            return header;
        });

        assertThatThrownBy(() -> Classifier.load(file, sha(file)))
                .isInstanceOf(ClassifierException.class)
                .hasMessageContaining("do not match the header")
                .hasMessageContaining("02head_weight");
    }

    @Test
    void shouldRefuseAHeaderWithAnotherBackbone() throws Exception {
        Path file = rewriteHeader(header -> {
            header.putObject("backbone")
                    .put("type", "small-cnn")
                    .putArray("widths")
                    .add(8)
                    .add(16)
                    .add(64);
            return header;
        });

        assertThatThrownBy(() -> Classifier.load(file, sha(file)))
                .isInstanceOf(ClassifierException.class)
                .hasMessageContaining("do not match the header");
    }

    @Test
    void shouldRefuseAnInconsistentOrNewerHeader() throws Exception {
        Path inconsistent = rewriteHeader(header -> header.put("numClasses", 5));
        Path newer = rewriteHeader(header -> header.put("formatVersion", 2));

        assertThatThrownBy(() -> Classifier.load(inconsistent, sha(inconsistent)))
                .isInstanceOf(ClassifierException.class)
                .hasMessageContaining("numClasses 5 but 2 class names");
        assertThatThrownBy(() -> Classifier.load(newer, sha(newer)))
                .isInstanceOf(ClassifierException.class)
                .hasMessageContaining("formatVersion 2");
    }

    @Test
    void shouldRefuseACheckpointForOtherClasses() throws Exception {
        Path file = dir.resolve("classifier.ckpt");
        String sha = trained.save(file);

        assertThatThrownBy(() -> Classifier.load(file, sha, List.of("blue", "red")))
                .isInstanceOf(ClassifierException.class)
                .hasMessageContaining("[red, blue]");
    }

    @Test
    void shouldRefuseAFileThatIsNotACheckpoint() throws Exception {
        Path file = dir.resolve("not-a-checkpoint.ckpt");
        Files.writeString(file, "hello");

        assertThatThrownBy(() -> Classifier.load(file, sha(file)))
                .isInstanceOf(ClassifierException.class)
                .hasMessageContaining("zip");
    }

    /** Saves the trained classifier with an edited header; the file's own checksum is then valid. */
    private Path rewriteHeader(UnaryOperator<ObjectNode> edit) throws IOException {
        Path file = Files.createTempFile(dir, "edited", ".ckpt");
        trained.save(file);
        Map<String, byte[]> entries = entries(Files.readAllBytes(file));
        ObjectMapper json = new ObjectMapper();
        ObjectNode header = (ObjectNode) json.readTree(entries.get("classifier.json"));
        entries.put("classifier.json", json.writeValueAsBytes(edit.apply(header)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        }
        Files.write(file, out.toByteArray());
        return file;
    }

    private static Map<String, byte[]> entries(byte[] zipBytes) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(zipBytes))) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                entries.put(entry.getName(), zip.readAllBytes());
            }
        }
        return entries;
    }

    private static String sha(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
