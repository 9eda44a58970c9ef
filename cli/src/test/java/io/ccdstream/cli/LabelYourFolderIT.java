package io.ccdstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ccdstream.data.synth.SynthClass;
import io.ccdstream.data.synth.SynthScenes;
import io.ccdstream.data.synth.SynthScenesWriter;
import io.ccdstream.schemas.ImageKey;
import io.ccdstream.schemas.Label;
import io.ccdstream.streams.CcdStreamsConfig;
import io.ccdstream.streams.pipeline.Pipeline;
import io.ccdstream.streams.pipeline.PipelineConfig;
import io.ccdstream.streams.pipeline.PipelineSettings;
import io.ccdstream.testsupport.TestCluster;
import io.ccdstream.topics.CcdTopics;
import io.ccdstream.topics.DeadLetters;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Your own folder in, your labels out: real PNG and JPEG files on disk (SynthScenes rendered), one
 * over 1 MiB that goes by claim check, one corrupt file; {@code ccd ingest files}, the scorer, bias
 * and labeler on the test cluster (the folder allowed as claim-check root), then {@code ccd export}.
 */
class LabelYourFolderIT {

    @TempDir
    Path dir;

    @Test
    void shouldLabelEveryGoodFileOnceDeadLetterTheCorruptOneAndExportCoco() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("photos")).toRealPath();
        SynthScenes scenes = new SynthScenes(11, 64, 0.0);
        SynthScenesWriter.write(folder.resolve("png"), scenes, 6);
        Files.createDirectories(folder.resolve("jpg"));
        for (int i = 6; i < 9; i++) {
            BufferedImage png =
                    ImageIO.read(new ByteArrayInputStream(scenes.generate(i).png()));
            BufferedImage rgb = new BufferedImage(png.getWidth(), png.getHeight(), BufferedImage.TYPE_INT_RGB);
            rgb.getGraphics().drawImage(png, 0, 0, null);
            ImageIO.write(rgb, "jpg", folder.resolve("jpg/scene-" + i + ".jpg").toFile());
        }
        BufferedImage noise = new BufferedImage(700, 700, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(3);
        for (int y = 0; y < 700; y++) {
            for (int x = 0; x < 700; x++) {
                noise.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        ImageIO.write(noise, "png", folder.resolve("large.png").toFile());
        assertThat(Files.size(folder.resolve("large.png"))).isGreaterThan(CcdTopics.MAX_INLINE_IMAGE_BYTES);
        Files.write(folder.resolve("corrupt.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 1, 2, 3});
        Set<String> good = new HashSet<>();
        try (Stream<Path> files = Files.walk(folder)) {
            files.filter(f -> f.toString().endsWith(".png") || f.toString().endsWith(".jpg"))
                    .filter(f -> !f.endsWith("corrupt.jpg"))
                    .forEach(f -> good.add(f.toString()));
        }
        assertThat(good).hasSize(10);

        try (TestCluster cluster = TestCluster.start(dir.resolve("kafka"), 2)) {
            Path work = dir.resolve("work");
            PipelineSettings settings = new PipelineConfig(
                            Map.of(PipelineConfig.CLAIM_CHECK_ALLOWED_ROOTS, folder.toString()))
                    .settings(work, SynthClass.names());
            String classSetId = settings.classSet().id();
            String[] cluster_ = {
                "--bootstrap-servers",
                cluster.bootstrapServers(),
                "--schema-registry-url",
                cluster.registryUrl(),
                "--work-dir",
                work.toString(),
                "--ledger-dir",
                dir.resolve("ledger").toString()
            };
            try (Pipeline pipeline = Pipeline.start(
                    CcdStreamsConfig.of(cluster.bootstrapServers(), cluster.registryUrl(), dir.resolve("streams")),
                    settings,
                    List.of(Pipeline.Service.scorer, Pipeline.Service.bias, Pipeline.Service.labeler))) {

                CommandRun ingest =
                        CommandRun.of(concat(new String[] {"ingest", "files", folder.toString()}, cluster_));
                assertThat(ingest.exit()).as(ingest.output()).isZero();
                assertThat(ingest.output()).contains("Sent 11 of 11 images");

                Map<String, Label> labels = new HashMap<>();
                cluster.read(
                                CcdTopics.LABELS,
                                records -> {
                                    records.forEach(r -> labels.put(r.key().getImageId(), r.value()));
                                    return labels.size() >= 10;
                                },
                                Duration.ofMinutes(3))
                        .size();
                assertThat(labels).hasSize(10);
                List<ConsumerRecord<byte[], byte[]>> deadLetters = new ArrayList<>();
                var keys = CcdTopics.IMAGES.keySerde(cluster.serdes()).deserializer();
                cluster.read(
                        CcdTopics.DEAD_LETTERS,
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer(),
                        deadLetters::add,
                        () -> !deadLetters.isEmpty(),
                        Duration.ofMinutes(1));
                assertThat(deadLetters).hasSize(1);
                ImageKey deadKey = keys.deserialize(
                        CcdTopics.IMAGES.name(), deadLetters.get(0).key());
                assertThat(deadKey.getImageId()).isEqualTo("corrupt.jpg");
                assertThat(DeadLetters.header(deadLetters.get(0).headers(), DeadLetters.REASON))
                        .isNotBlank();

                // no trainer ran: no checkpoint examined any image, so nothing is FINAL: the default export refuses and
                // writes nothing
                Path refinedOut = dir.resolve("refined");
                CommandRun none = CommandRun.of(
                        concat(new String[] {"export", "--format", "coco", "--out", refinedOut.toString()}, cluster_));
                assertThat(none.exit()).as(none.output()).isEqualTo(1);
                assertThat(none.output()).contains("No FINAL labels of class set " + classSetId);
                assertThat(refinedOut).doesNotExist();

                Path out = dir.resolve("export");
                CommandRun export = CommandRun.of(concat(
                        new String[] {
                            "export",
                            "--format",
                            "coco,yolo,csv",
                            "--stage",
                            "any",
                            "--top-k",
                            "2",
                            "--out",
                            out.toString()
                        },
                        cluster_));
                assertThat(export.exit()).as(export.output()).isZero();
                assertThat(export.output()).contains("Exported 10 ANY images of class set " + classSetId);

                JsonNode coco = new ObjectMapper()
                        .readTree(out.resolve("annotations.json").toFile());
                List<String> files = new ArrayList<>();
                coco.get("images").forEach(i -> files.add(i.get("file_name").asText()));
                assertThat(files).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(good);
                Map<Integer, Integer> perImage = new HashMap<>();
                coco.get("annotations")
                        .forEach(a -> perImage.merge(a.get("image_id").asInt(), 1, Integer::sum));
                assertThat(perImage)
                        .hasSize(10)
                        .allSatisfy((image, count) -> assertThat(count).isEqualTo(2));
                coco.get("images")
                        .forEach(i -> assertThat(i.get("width").asInt()).isPositive());
                assertThat(out.resolve("data.yaml")).exists();
                assertThat(Files.readAllLines(out.resolve("labels.csv"))).hasSize(11);
                try (Stream<Path> left = Files.list(dir)) {
                    assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".ccd-export-"));
                }
            }
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
