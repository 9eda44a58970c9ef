package io.ccdstream.data.export;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * JSON Lines ({@code labels.jsonl}), one object per image: {@code id}, {@code source} (the file or
 * URI), {@code classes} (positive, highest score first), {@code scores} (every class by name),
 * {@code stage}, {@code versions} ({@code bias}, {@code checkpoint}, {@code model}), {@code labeled_at},
 * {@code class_set_id}, and {@code boxes} (class name to [x0, y0, x1, y1] CAM box, when any).
 */
final class JsonlWriter {

    private JsonlWriter() {}

    static void write(ExportSet set, Path dir) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (ExportedImage image : set.images()) {
            ObjectNode line = Json.COMPACT
                    .createObjectNode()
                    .put("id", image.imageId())
                    .put("source", image.file())
                    .put("class_set_id", set.classSetId());
            set.positiveNames(image).forEach(line.putArray("classes")::add);
            ObjectNode scores = line.putObject("scores");
            for (int c = 0; c < set.classNames().size(); c++) {
                scores.put(set.classNames().get(c), Json.score(image.scores()[c]));
            }
            line.put("stage", image.stage());
            ObjectNode versions = line.putObject("versions");
            versions.putPOJO("bias", image.biasVersion());
            versions.putPOJO("checkpoint", image.checkpointVersion());
            versions.put("model", image.modelId());
            line.put(
                    "labeled_at",
                    image.labeledAt() == null ? null : image.labeledAt().toString());
            if (!image.boxes().isEmpty()) {
                ObjectNode boxes = line.putObject("boxes");
                image.boxes()
                        .forEach((c, box) -> boxes.putArray(set.classNames().get(c))
                                .add(box.x0())
                                .add(box.y0())
                                .add(box.x1())
                                .add(box.y1()));
            }
            lines.append(Json.COMPACT.writeValueAsString(line)).append('\n');
        }
        Files.writeString(dir.resolve("labels.jsonl"), lines.toString(), StandardCharsets.UTF_8);
    }
}
