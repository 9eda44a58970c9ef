package io.ccdstream.data.export;

import com.fasterxml.jackson.databind.JsonNode;
import io.ccdstream.schemas.ClassVerdict;
import io.ccdstream.schemas.Review;
import io.ccdstream.schemas.Verdict;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads Label Studio's JSON export (Export, format "JSON": a list of tasks, each with its {@code data},
 * {@code annotations} and {@code predictions}) of tasks that {@code ccd export --format labelstudio} wrote,
 * into reviews: per task, the latest annotation that was not cancelled; each class of the set the person
 * chose in its {@code choices} result is PRESENT, every other class ABSENT (a multiple-choice answer says
 * what is in the image, and so what is not). The reviewer is the annotation's {@code completed_by} (the
 * user's e-mail when the export expands it, else {@code labelstudio:<user id>}), the time its
 * {@code updated_at} (else {@code created_at}).
 *
 * <p>A task that cannot become a review gets a problem and no review; the others are unaffected: one
 * without {@code data.ccd_image_id} (not a ccd task), of another class set, without an annotation that was
 * not cancelled, or choosing a class that is not in the set.
 */
public final class LabelStudioImport {

    /** The {@code source} of the reviews read. */
    public static final String SOURCE = "labelstudio";

    /**
     * One task of the file.
     *
     * @param task    the task's id in Label Studio (its position, 1-based, when the export has none)
     * @param imageId the image's id, or null when the task names none
     * @param review  the review it makes, or null when it makes none
     * @param problem why it makes none, or null
     */
    public record Outcome(long task, String imageId, Review review, String problem) {

        /** Whether the task made a review. */
        public boolean imported() {
            return review != null;
        }
    }

    private LabelStudioImport() {}

    /**
     * The outcome of every task of {@code file}, in file order.
     *
     * @throws IllegalArgumentException when the file is not a JSON list of tasks
     * @throws IOException when it cannot be read
     */
    public static List<Outcome> read(Path file, String classSetId, List<String> classNames) throws IOException {
        JsonNode root;
        try {
            root = Json.COMPACT.readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(file + " is not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isArray()) {
            throw new IllegalArgumentException(file + " is not a Label Studio JSON export: expected a list of tasks");
        }
        List<Outcome> outcomes = new ArrayList<>();
        int position = 0;
        for (JsonNode task : root) {
            position++;
            outcomes.add(task(task, position, classSetId, classNames));
        }
        return outcomes;
    }

    private static Outcome task(JsonNode task, int position, String classSetId, List<String> classNames) {
        long id = task.path("id").canConvertToLong() ? task.path("id").asLong() : position;
        JsonNode data = task.path("data");
        String imageId =
                data.path("ccd_image_id").isTextual() ? data.get("ccd_image_id").asText() : null;
        if (imageId == null || imageId.isBlank()) {
            return new Outcome(id, null, null, "no data.ccd_image_id: not a task of ccd export");
        }
        String taskClassSet = data.path("ccd_class_set_id").asText(null);
        if (taskClassSet != null && !taskClassSet.equals(classSetId)) {
            return new Outcome(id, imageId, null, "a task of class set " + taskClassSet + ", not of " + classSetId);
        }
        JsonNode annotation = latestAnnotation(task.path("annotations"));
        if (annotation == null) {
            return new Outcome(id, imageId, null, "no annotation (none yet, or every one was cancelled)");
        }
        Set<String> chosen = new LinkedHashSet<>();
        for (JsonNode result : annotation.path("result")) {
            if ("choices".equals(result.path("type").asText())) {
                for (JsonNode choice : result.path("value").path("choices")) {
                    chosen.add(choice.asText());
                }
            }
        }
        for (String name : chosen) {
            if (!classNames.contains(name)) {
                return new Outcome(
                        id,
                        imageId,
                        null,
                        "class '" + name + "' is not one of class set " + classSetId + " " + classNames);
            }
        }
        List<ClassVerdict> verdicts = new ArrayList<>();
        for (String name : classNames) {
            verdicts.add(new ClassVerdict(name, chosen.contains(name) ? Verdict.PRESENT : Verdict.ABSENT));
        }
        Review review = Review.newBuilder()
                .setImageId(imageId)
                .setClassSetId(classSetId)
                .setVerdicts(verdicts)
                .setReviewer(reviewer(annotation.path("completed_by")))
                .setReviewedAt(time(annotation))
                .setSource(SOURCE)
                .build();
        return new Outcome(id, imageId, review, null);
    }

    /** The annotation last updated among those not cancelled, or null. */
    private static JsonNode latestAnnotation(JsonNode annotations) {
        JsonNode latest = null;
        Instant latestAt = null;
        for (JsonNode annotation : annotations) {
            if (annotation.path("was_cancelled").asBoolean(false)) {
                continue;
            }
            Instant at = time(annotation);
            if (latest == null || !at.isBefore(latestAt)) {
                latest = annotation;
                latestAt = at;
            }
        }
        return latest;
    }

    private static String reviewer(JsonNode completedBy) {
        if (completedBy.isObject()) {
            String email = completedBy.path("email").asText("");
            return email.isBlank() ? "labelstudio:" + completedBy.path("id").asText("?") : email;
        }
        return completedBy.isMissingNode() || completedBy.isNull() ? SOURCE : "labelstudio:" + completedBy.asText();
    }

    private static Instant time(JsonNode annotation) {
        for (String field : List.of("updated_at", "created_at")) {
            String value = annotation.path(field).asText("");
            if (!value.isBlank()) {
                try {
                    return OffsetDateTime.parse(value).toInstant();
                } catch (DateTimeParseException e) {
                    // try the next field
                }
            }
        }
        return Instant.now();
    }
}
