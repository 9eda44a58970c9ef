package io.ccdstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ccdstream.data.synth.SynthClass;
import io.ccdstream.schemas.ImageKey;
import io.ccdstream.schemas.Label;
import io.ccdstream.schemas.LabelStage;
import io.ccdstream.streams.pipeline.PipelineConfig;
import io.ccdstream.testsupport.TestCluster;
import io.ccdstream.topics.CcdTopics;
import io.ccdstream.topics.export.LabelReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ccd export} options on labels written straight to ccd.labels: ontology thresholds, calibration, catching up. */
class ExportCommandIT {

    @TempDir
    Path dir;

    private static Label label(String classSetId, String id, float forklift, float pallet) {
        return Label.newBuilder()
                .setImageId(id)
                .setClassSetId(classSetId)
                .setClassNames(List.of("forklift", "pallet"))
                .setStage(LabelStage.REFINED)
                .setScores(List.of(forklift, pallet))
                .setGlobal(List.of(forklift, pallet))
                .setLocal(List.of(forklift, pallet))
                .setAlpha(0.5f)
                .setBiasVersion(1L)
                .setCheckpointVersion(1L)
                .setModelId("m")
                .setClipInferences(2)
                .setLabeledAt(Instant.EPOCH)
                .build();
    }

    private static Map<String, List<String>> classes(Path jsonl) throws Exception {
        Map<String, List<String>> classes = new LinkedHashMap<>();
        for (String line : Files.readAllLines(jsonl)) {
            JsonNode node = new ObjectMapper().readTree(line);
            List<String> names = new ArrayList<>();
            node.get("classes").forEach(n -> names.add(n.asText()));
            classes.put(node.get("id").asText(), names);
        }
        return classes;
    }

    @Test
    void shouldApplyOntologyThresholdsCalibrationAndReadOnlyNewLabelsWhenCatchingUp() throws Exception {
        Path ontology = dir.resolve("o.yaml");
        Files.writeString(ontology, "classes:\n  - name: forklift\n    threshold: 0.8\n  - pallet\n");
        Path work = dir.resolve("work");
        PipelineConfig pipeline = new PipelineConfig(Map.of(PipelineConfig.ONTOLOGY_FILE, ontology.toString()));
        String classSetId =
                pipeline.classSet(pipeline.modelDir(work), SynthClass.names()).id();

        try (TestCluster cluster = TestCluster.start(dir.resolve("kafka"), 2)) {
            Map<ImageKey, Label> labels = new LinkedHashMap<>();
            labels.put(new ImageKey(classSetId, "a.jpg"), label(classSetId, "a.jpg", 0.9f, 0.6f));
            labels.put(new ImageKey(classSetId, "b.jpg"), label(classSetId, "b.jpg", 0.7f, 0.4f));
            labels.put(new ImageKey(classSetId, "c.jpg"), label(classSetId, "c.jpg", 0.6f, 0.1f));
            labels.put(new ImageKey("other", "z.jpg"), label("other", "z.jpg", 1f, 1f));
            cluster.send(CcdTopics.LABELS, labels);
            List<String> common = List.of(
                    "--bootstrap-servers",
                    cluster.bootstrapServers(),
                    "--schema-registry-url",
                    cluster.registryUrl(),
                    "--work-dir",
                    work.toString(),
                    "--ontology",
                    ontology.toString(),
                    "--format",
                    "jsonl");

            Path fixed = dir.resolve("fixed");
            CommandRun byOntology = run(common, "--out", fixed.toString());
            Path calibrated = dir.resolve("calibrated");
            CommandRun byPrevalence = run(common, "--out", calibrated.toString(), "--calibrated");

            // forklift needs 0.8 (its ontology threshold), pallet the default 0.5
            assertThat(byOntology.exit()).as(byOntology.output()).isZero();
            assertThat(byOntology.output()).contains("Exported 3 FINAL images of class set " + classSetId);
            assertThat(classes(fixed.resolve("labels.jsonl")))
                    .containsExactly(
                            Map.entry("a.jpg", List.of("forklift", "pallet")),
                            Map.entry("b.jpg", List.of()),
                            Map.entry("c.jpg", List.of()));
            // forklift: 0.9 + 0.7 + 0.6 = 2.2 -> the 2 highest; pallet: 1.1 -> the highest one
            assertThat(byPrevalence.exit()).as(byPrevalence.output()).isZero();
            assertThat(classes(calibrated.resolve("labels.jsonl")))
                    .containsExactly(
                            Map.entry("a.jpg", List.of("forklift", "pallet")),
                            Map.entry("b.jpg", List.of("forklift")),
                            Map.entry("c.jpg", List.of()));

            try (LabelReader reader =
                    new LabelReader(cluster.bootstrapServers(), cluster.serdes(), Map.of(), classSetId)) {
                assertThat(reader.catchUp(Duration.ofSeconds(30))).isEqualTo(3);
                cluster.send(
                        CcdTopics.LABELS,
                        Map.of(new ImageKey(classSetId, "d.jpg"), label(classSetId, "d.jpg", 0.1f, 0.9f)));
                assertThat(reader.catchUp(Duration.ofSeconds(30))).isEqualTo(1);
                assertThat(reader.labels()).containsOnlyKeys("a.jpg", "b.jpg", "c.jpg", "d.jpg");
                assertThat(reader.otherLabels()).isEqualTo(1);
            }
        }
    }

    private static CommandRun run(List<String> common, String... more) {
        List<String> args = new ArrayList<>(List.of("export"));
        args.addAll(common);
        args.addAll(List.of(more));
        return CommandRun.of(args.toArray(String[]::new));
    }
}
