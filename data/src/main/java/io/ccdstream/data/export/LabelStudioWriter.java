package io.ccdstream.data.export;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Label Studio import ({@code tasks.json}): a list of tasks, each {@code data.image} (the file or
 * URI; Label Studio must be able to open it, e.g. a served URL or local-files storage),
 * {@code data.ccd_image_id} and {@code data.ccd_class_set_id} (which {@link LabelStudioImport} reads
 * back from Label Studio's JSON export), with one prediction ({@code model_version}: model, bias and checkpoint
 * versions; {@code score}: the highest positive score) whose result is a {@code choices} region
 * ({@code from_name} {@code "label"}, {@code to_name} {@code "image"}) holding the positive classes.
 * The labelling config this fits: {@code <View><Image name="image" value="$image"/><Choices
 * name="label" toName="image" choice="multiple">...one <Choice value="class"/> per class...</Choices></View>}.
 */
final class LabelStudioWriter {

    private LabelStudioWriter() {}

    static void write(ExportSet set, Path dir) throws IOException {
        ArrayNode tasks = Json.MAPPER.createArrayNode();
        for (ExportedImage image : set.images()) {
            ObjectNode task = tasks.addObject();
            task.putObject("data")
                    .put("image", image.file())
                    .put("ccd_image_id", image.imageId())
                    .put("ccd_class_set_id", set.classSetId());
            ObjectNode prediction = task.putArray("predictions").addObject();
            prediction.put(
                    "model_version",
                    image.modelId() + " bias " + image.biasVersion() + " checkpoint " + image.checkpointVersion());
            prediction.put(
                    "score",
                    image.positives().isEmpty()
                            ? 0.0
                            : Json.score(image.scores()[image.positives().get(0)]));
            ArrayNode result = prediction.putArray("result");
            if (!image.positives().isEmpty()) {
                ObjectNode choices = result.addObject()
                        .put("from_name", "label")
                        .put("to_name", "image")
                        .put("type", "choices");
                ArrayNode values = choices.putObject("value").putArray("choices");
                set.positiveNames(image).forEach(values::add);
            }
        }
        Json.MAPPER.writeValue(dir.resolve("tasks.json").toFile(), tasks);
    }
}
