package io.ccdstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ccdstream.schemas.ClassVerdict;
import io.ccdstream.schemas.ImageKey;
import io.ccdstream.schemas.Label;
import io.ccdstream.schemas.LabelStage;
import io.ccdstream.schemas.Review;
import io.ccdstream.testsupport.TestCluster;
import io.ccdstream.topics.CcdTopics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Label Studio round trip: {@code ccd export --format labelstudio --queue} writes the review queue as
 * Label Studio tasks, and {@code ccd import labelstudio} reads a committed sample of Label Studio's JSON
 * export of such tasks ({@code src/test/resources/labelstudio/project-7-export.json}: annotations by two
 * users, a task annotated twice, a cancelled one, an empty answer, a class the set does not have, an image
 * the pipeline never labelled, a task that is not ccd's) into {@code ccd.reviews}, refusing task by task.
 */
class LabelStudioRoundTripIT {

    private static final String CLASS_SET = "labelstudio-test";
    private static final Path SAMPLE = Path.of("src/test/resources/labelstudio/project-7-export.json");

    @TempDir
    Path dir;

    private static Label label(String id, LabelStage stage, float forklift, float pallet) {
        return Label.newBuilder()
                .setImageId(id)
                .setClassSetId(CLASS_SET)
                .setClassNames(List.of("forklift", "pallet"))
                .setStage(stage)
                .setScores(List.of(forklift, pallet))
                .setGlobal(List.of(forklift, pallet))
                .setAlpha(0.4f)
                .setModelId("m")
                .setClipInferences(1)
                .setLabeledAt(Instant.EPOCH)
                .build();
    }

    @Test
    void shouldExportTheReviewQueueAsTasksAndImportLabelStudiosExportAsReviews() throws Exception {
        Path ontology = dir.resolve("o.yaml");
        Files.writeString(ontology, "classes:\n  - forklift\n  - pallet\n");
        try (TestCluster cluster = TestCluster.start(dir.resolve("kafka"), 2)) {
            Map<ImageKey, Label> labels = new LinkedHashMap<>();
            labels.put(new ImageKey(CLASS_SET, "a.jpg"), label("a.jpg", LabelStage.INITIAL, 0.5f, 0.5f));
            labels.put(new ImageKey(CLASS_SET, "b.jpg"), label("b.jpg", LabelStage.INITIAL, 0.45f, 0.9f));
            labels.put(new ImageKey(CLASS_SET, "c.jpg"), label("c.jpg", LabelStage.INITIAL, 0.3f, 0.05f));
            labels.put(new ImageKey(CLASS_SET, "d.jpg"), label("d.jpg", LabelStage.REFINED, 0.8f, 0.02f));
            labels.put(new ImageKey(CLASS_SET, "e.jpg"), label("e.jpg", LabelStage.INITIAL, 0.99f, 0.01f));
            labels.put(new ImageKey(CLASS_SET, "f.jpg"), label("f.jpg", LabelStage.VERIFIED, 0.5f, 0.5f));
            cluster.send(CcdTopics.LABELS, labels);
            List<String> common = List.of(
                    "--bootstrap-servers",
                    cluster.bootstrapServers(),
                    "--schema-registry-url",
                    cluster.registryUrl(),
                    "--work-dir",
                    dir.resolve("work").toString(),
                    "--ontology",
                    ontology.toString(),
                    "--class-set-id",
                    CLASS_SET);

            // When the 4 most useful images are exported for Label Studio
            Path out = dir.resolve("tasks");
            List<String> exportArgs = new ArrayList<>(common);
            exportArgs.addAll(
                    List.of("--format", "labelstudio", "--queue", "--queue-size", "4", "--out", out.toString()));
            CommandRun export = run("export", exportArgs);

            // Then they are the least certain unreviewed ones: e is confident, f already verified
            assertThat(export.exit()).as(export.output()).isZero();
            assertThat(export.output()).contains("the 4 most useful of 5 unreviewed images by uncertainty");
            JsonNode tasks =
                    new ObjectMapper().readTree(out.resolve("tasks.json").toFile());
            Set<String> exported = new TreeSet<>();
            for (JsonNode task : tasks) {
                exported.add(task.get("data").get("ccd_image_id").asText());
                assertThat(task.get("data").get("ccd_class_set_id").asText()).isEqualTo(CLASS_SET);
                JsonNode prediction = task.get("predictions").get(0);
                assertThat(prediction.get("model_version").asText()).startsWith("m ");
                if (task.get("data").get("ccd_image_id").asText().equals("b.jpg")) {
                    // the pipeline's suggestion: pallet at 0.9
                    assertThat(prediction.get("result").get(0).get("type").asText())
                            .isEqualTo("choices");
                    assertThat(prediction
                                    .get("result")
                                    .get(0)
                                    .get("value")
                                    .get("choices")
                                    .get(0)
                                    .asText())
                            .isEqualTo("pallet");
                }
            }
            assertThat(exported).containsExactly("a.jpg", "b.jpg", "c.jpg", "d.jpg");

            // When Label Studio's export of those tasks, once annotated, is imported
            List<String> importArgs = new ArrayList<>(List.of("labelstudio", SAMPLE.toString()));
            importArgs.addAll(common);
            CommandRun imported = run("import", importArgs);

            // Then each annotated task of an exported image becomes a review; the others are refused, line by line
            assertThat(imported.exit()).as(imported.output()).isEqualTo(1);
            assertThat(imported.output())
                    .contains(
                            "task 101 (a.jpg): imported, 2 present, 0 absent, by labelstudio:3",
                            "task 102 (b.jpg): imported, 1 present, 1 absent, by ann@example.com",
                            "task 103 (c.jpg): refused: no annotation",
                            "task 104 (d.jpg): imported, 0 present, 2 absent",
                            "task 105 (a.jpg): refused: class 'crane' is not one of class set " + CLASS_SET,
                            "task 106 (z.jpg): refused: image z.jpg has no label of class set " + CLASS_SET,
                            "task 107: refused: no data.ccd_image_id",
                            "Imported 3 of 7 tasks");
            List<ConsumerRecord<ImageKey, Review>> reviews = cluster.read(CcdTopics.REVIEWS, 3, Duration.ofSeconds(30));
            Map<String, String> verdicts = new LinkedHashMap<>();
            for (ConsumerRecord<ImageKey, Review> record : reviews) {
                assertThat(record.key())
                        .isEqualTo(new ImageKey(CLASS_SET, record.value().getImageId()));
                assertThat(record.value().getSource()).isEqualTo("labelstudio");
                verdicts.put(record.value().getImageId(), verdicts(record.value()));
            }
            assertThat(verdicts)
                    .containsExactly(
                            Map.entry("a.jpg", "forklift=PRESENT pallet=PRESENT"),
                            Map.entry("b.jpg", "forklift=PRESENT pallet=ABSENT"),
                            Map.entry("d.jpg", "forklift=ABSENT pallet=ABSENT"));
            assertThat(reviews.get(1).value().getReviewedAt()).isEqualTo(Instant.parse("2026-12-04T14:11:30.090Z"));
        }
    }

    private static String verdicts(Review review) {
        return review.getVerdicts().stream()
                .map((ClassVerdict v) -> v.getClassName() + "=" + v.getVerdict())
                .collect(Collectors.joining(" "));
    }

    private static CommandRun run(String command, List<String> rest) {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(rest);
        return CommandRun.of(args.toArray(String[]::new));
    }
}
