package io.ccdstream.data.export;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;

/**
 * COCO object-detection JSON ({@code annotations.json}): {@code info}, {@code licenses},
 * {@code images} (id, file_name, width, height), {@code categories} (id = class index + 1, name,
 * supercategory) and one annotation per positive class of an image (id, image_id, category_id,
 * bbox [x, y, width, height], area, iscrowd 0, score). An annotation's bbox is the scorer's CAM box
 * for that class when it chose one; otherwise the whole image, marked {@code "ccd_image_level": true}
 * (the label says the class is in the image, not where). Sizes unknown to the pipeline are 0, and
 * then an image-level annotation has an empty bbox.
 */
final class CocoWriter {

    private CocoWriter() {}

    static void write(ExportSet set, Path dir) throws IOException {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.putObject("info")
                .put("description", "ccd-stream labels of class set " + set.classSetId())
                .put("version", "1.0")
                .put("ccd_class_set_id", set.classSetId())
                .put("ccd_selection", set.rule());
        root.putArray("licenses");
        ArrayNode images = root.putArray("images");
        ArrayNode categories = root.putArray("categories");
        ArrayNode annotations = root.putArray("annotations");
        for (int c = 0; c < set.classNames().size(); c++) {
            categories
                    .addObject()
                    .put("id", c + 1)
                    .put("name", set.classNames().get(c))
                    .put("supercategory", "");
        }
        long annotationId = 1;
        for (int i = 0; i < set.images().size(); i++) {
            ExportedImage image = set.images().get(i);
            int imageId = i + 1;
            images.addObject()
                    .put("id", imageId)
                    .put("file_name", image.file())
                    .put("width", image.width())
                    .put("height", image.height())
                    .put("ccd_image_id", image.imageId())
                    .put("ccd_stage", image.stage());
            for (int c : image.positives()) {
                ExportedImage.Box box = image.boxOrWholeImage(c);
                ObjectNode annotation = annotations
                        .addObject()
                        .put("id", annotationId++)
                        .put("image_id", imageId)
                        .put("category_id", c + 1);
                ArrayNode bbox = annotation.putArray("bbox");
                if (box != null) {
                    bbox.add(box.x0()).add(box.y0()).add(box.width()).add(box.height());
                }
                annotation
                        .put("area", box == null ? 0 : (long) box.width() * box.height())
                        .put("iscrowd", 0)
                        .put("score", Json.score(image.scores()[c]))
                        .put("ccd_image_level", !image.hasCamBox(c));
                annotation.putArray("segmentation");
            }
        }
        Json.MAPPER.writeValue(dir.resolve("annotations.json").toFile(), root);
    }
}
