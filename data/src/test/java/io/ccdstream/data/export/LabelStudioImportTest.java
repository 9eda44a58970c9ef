package io.ccdstream.data.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ccdstream.schemas.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelStudioImportTest {

    private static final List<String> CLASSES = List.of("cat", "dog");

    @TempDir
    Path dir;

    private List<LabelStudioImport.Outcome> read(String json) throws Exception {
        Path file = dir.resolve("export.json");
        Files.writeString(file, json);
        return LabelStudioImport.read(file, "cs", CLASSES);
    }

    @Test
    void shouldTakeTheLatestAnnotationThatWasNotCancelled() throws Exception {
        List<LabelStudioImport.Outcome> outcomes = read("""
                [{"id": 9, "data": {"image": "x.png", "ccd_image_id": "x", "ccd_class_set_id": "cs"},
                  "annotations": [
                    {"completed_by": 1, "was_cancelled": false, "updated_at": "2026-01-01T10:00:00Z",
                     "result": [{"type": "choices", "from_name": "label", "to_name": "image", "value": {"choices": ["cat"]}}]},
                    {"completed_by": {"id": 2, "email": "b@x.org"}, "was_cancelled": false, "updated_at": "2026-01-01T11:00:00.5Z",
                     "result": [{"type": "choices", "value": {"choices": ["dog"]}}]},
                    {"completed_by": 3, "was_cancelled": true, "updated_at": "2026-01-01T12:00:00Z",
                     "result": [{"type": "choices", "value": {"choices": ["cat", "dog"]}}]}]}]
                """);

        assertThat(outcomes).singleElement().satisfies(o -> {
            assertThat(o.task()).isEqualTo(9);
            assertThat(o.review().getReviewer()).isEqualTo("b@x.org");
            assertThat(o.review().getReviewedAt()).isEqualTo(Instant.parse("2026-01-01T11:00:00.5Z"));
            assertThat(o.review().getVerdicts())
                    .extracting(v -> v.getVerdict())
                    .containsExactly(Verdict.ABSENT, Verdict.PRESENT);
        });
    }

    @Test
    void shouldRefuseTaskByTaskWhatCannotBeAReview() throws Exception {
        List<LabelStudioImport.Outcome> outcomes = read("""
                [{"data": {"image": "a.png"}, "annotations": []},
                 {"data": {"ccd_image_id": "b", "ccd_class_set_id": "other"}, "annotations": []},
                 {"data": {"ccd_image_id": "c"}, "annotations": [{"was_cancelled": true, "result": []}]},
                 {"data": {"ccd_image_id": "d"}, "annotations": [{"result": [{"type": "choices", "value": {"choices": ["cow"]}}]}]},
                 {"data": {"ccd_image_id": "e"}, "annotations": [{"completed_by": 4, "result": []}]}]
                """);

        assertThat(outcomes)
                .extracting(LabelStudioImport.Outcome::problem)
                .containsExactly(
                        "no data.ccd_image_id: not a task of ccd export",
                        "a task of class set other, not of cs",
                        "no annotation (none yet, or every one was cancelled)",
                        "class 'cow' is not one of class set cs [cat, dog]",
                        null);
        assertThat(outcomes).extracting(LabelStudioImport.Outcome::task).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(outcomes.get(4).review().getVerdicts())
                .allSatisfy(v -> assertThat(v.getVerdict()).isEqualTo(Verdict.ABSENT));
        assertThat(outcomes.get(4).review().getReviewer()).isEqualTo("labelstudio:4");
    }

    @Test
    void shouldRefuseAFileThatIsNotAListOfTasks() throws Exception {
        Files.writeString(dir.resolve("x.json"), "{\"tasks\": []}");
        assertThatThrownBy(() -> LabelStudioImport.read(dir.resolve("x.json"), "cs", CLASSES))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected a list of tasks");
        Files.writeString(dir.resolve("y.json"), "[{");
        assertThatThrownBy(() -> LabelStudioImport.read(dir.resolve("y.json"), "cs", CLASSES))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not JSON");
    }
}
