package io.ccdstream.topics.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ccdstream.data.export.ClassSelectionRule;
import io.ccdstream.data.export.ExportFormat;
import io.ccdstream.data.export.ExportSet;
import io.ccdstream.schemas.CamBox;
import io.ccdstream.schemas.Label;
import io.ccdstream.schemas.LabelStage;
import io.ccdstream.schemas.Scores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelExportTest {

    @TempDir
    Path dir;

    private static Label label(String id, LabelStage stage, List<Float> scores, List<Float> local) {
        return Label.newBuilder()
                .setImageId(id)
                .setClassSetId("cs")
                .setClassNames(List.of("a", "b"))
                .setStage(stage)
                .setScores(scores)
                .setGlobal(scores)
                .setLocal(local)
                .setAlpha(0.5f)
                .setBiasVersion(2L)
                .setCheckpointVersion(stage == LabelStage.REFINED ? 1L : null)
                .setModelId("m")
                .setClipInferences(1)
                .setLabeledAt(Instant.EPOCH)
                .build();
    }

    private static Scores scores(String id) {
        return Scores.newBuilder()
                .setImageId(id)
                .setClassSetId("cs")
                .setModelId("m")
                .setImageWidth(64)
                .setImageHeight(32)
                .setGlobal(List.of(0.5f, 0.5f))
                .setLocal(List.of(0.9f, 0f))
                .setBoxes(List.of(new CamBox(1, 0.8f, 1, 2, 3, 4), new CamBox(-1, 0f, 0, 0, 8, 8)))
                .setCheckpointVersion(1L)
                .setClipInferences(2)
                .setScoredAt(Instant.EPOCH)
                .build();
    }

    private static final java.util.function.Function<List<float[]>, ClassSelectionRule> HALF =
            rows -> ClassSelectionRule.fixed(Arrays.asList(null, null), 0.5, 0);

    @Test
    void shouldKeepTheStageTakeOriginsSizesAndCamBoxesOfRefinedLabels() {
        Map<String, Label> labels = Map.of(
                "x.png", label("x.png", LabelStage.REFINED, List.of(0.2f, 0.7f), List.of(0.1f, 0.9f)),
                "y.png", label("y.png", LabelStage.INITIAL, List.of(0.9f, 0.1f), null));
        Map<String, Scores> scores = Map.of("x.png", scores("x.png"), "y.png", scores("y.png"));

        ExportSet refined = LabelExport.build(
                "cs", labels, scores, LabelExport.Stage.REFINED, Map.of("x.png", "/d/x.png")::get, HALF);
        ExportSet any = LabelExport.build("cs", labels, scores, LabelExport.Stage.ANY, id -> null, HALF);

        assertThat(refined.images()).singleElement().satisfies(image -> {
            assertThat(image.file()).isEqualTo("/d/x.png");
            assertThat(image.width()).isEqualTo(64);
            assertThat(image.positives()).containsExactly(1);
            assertThat(image.boxes()).containsOnlyKeys(1);
            assertThat(image.boxes().get(1).x1()).isEqualTo(3);
        });
        assertThat(refined.classNames()).containsExactly("a", "b");
        assertThat(any.images()).extracting(i -> i.imageId()).containsExactly("x.png", "y.png");
        // an INITIAL label was not made with the crops: its scores' boxes are not its own
        assertThat(any.images().get(1).boxes()).isEmpty();
        assertThat(any.images().get(1).file()).isEqualTo("y.png");
    }

    @Test
    void shouldExportAsFinalTheRefinedLabelsAndThoseACheckpointExaminedWithoutACrop() {
        // Given a REFINED label, an INITIAL one before any checkpoint, and an INITIAL one that
        // checkpoint 1 examined without selecting a crop
        Label examined = label("z.png", LabelStage.INITIAL, List.of(0.6f, 0.1f), null);
        examined.setCheckpointVersion(1L);
        Map<String, Label> labels = Map.of(
                "x.png", label("x.png", LabelStage.REFINED, List.of(0.2f, 0.7f), List.of(0.1f, 0.9f)),
                "y.png", label("y.png", LabelStage.INITIAL, List.of(0.9f, 0.1f), null),
                "z.png", examined);

        // When
        ExportSet finals = LabelExport.build("cs", labels, Map.of(), LabelExport.Stage.FINAL, id -> null, HALF);
        ExportSet initial = LabelExport.build("cs", labels, Map.of(), LabelExport.Stage.INITIAL, id -> null, HALF);

        // Then
        assertThat(finals.images()).extracting(i -> i.imageId()).containsExactly("x.png", "z.png");
        assertThat(finals.images().get(1).stage()).isEqualTo("INITIAL");
        assertThat(initial.images()).extracting(i -> i.imageId()).containsExactly("y.png", "z.png");
    }

    @Test
    void shouldWriteNothingForAnEmptyExportAndMoveFilesIntoPlaceOtherwise() throws IOException {
        ExportSet empty = LabelExport.build("cs", Map.of(), Map.of(), LabelExport.Stage.REFINED, id -> null, HALF);
        Path out = dir.resolve("out");

        assertThatThrownBy(() -> LabelExport.write(empty, List.of(ExportFormat.COCO), out))
                .hasMessageContaining("nothing to export");
        assertThat(out).doesNotExist();

        ExportSet one = LabelExport.build(
                "cs",
                Map.of("x.png", label("x.png", LabelStage.REFINED, List.of(0.2f, 0.7f), List.of(0.1f, 0.9f))),
                Map.of(),
                LabelExport.Stage.REFINED,
                id -> null,
                HALF);
        List<Path> written = LabelExport.write(one, List.of(ExportFormat.COCO, ExportFormat.YOLO), out);
        List<Path> again = LabelExport.write(one, List.of(ExportFormat.COCO, ExportFormat.YOLO), out);

        assertThat(written)
                .containsExactlyInAnyOrder(
                        Path.of("annotations.json"),
                        Path.of("data.yaml"),
                        Path.of("images.txt"),
                        Path.of("labels/x.txt"));
        assertThat(again).isEqualTo(written);
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("out");
        }
    }
}
