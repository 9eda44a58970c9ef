package io.ccdstream.data.datasets;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a large COCO-shaped instances file, the size of the real ones per annotation: every
 * annotation carries a polygon segmentation that the loader must skip. The top-level keys come
 * in an unusual order (annotations before images, categories last) to show that the reader does
 * not depend on it. Deterministic: annotation {@code a} belongs to image {@code a % images}, has
 * category id {@code categoryId((a / images) % 80)} and bbox {@code [1.25, 2.5, 10.5, 6.75]}.
 */
final class SyntheticCocoFile {

    static final int CATEGORIES = 80;

    /** Polygon coordinates 100.00 .. 499.99, formatted once: formatting doubles would dominate the writing time. */
    private static final String[] COORDINATES = new String[40_000];

    static {
        for (int i = 0; i < COORDINATES.length; i++) {
            COORDINATES[i] = (100 + i / 100) + "." + String.format("%02d", i % 100);
        }
    }

    private SyntheticCocoFile() {}

    /** @return COCO-like category ids 1..90 with gaps, for class {@code c} in 0..79 */
    static int categoryId(int c) {
        return c + 1 + c / 8;
    }

    /**
     * @param file the instances file to write
     * @param images number of images, named {@code COCO_train2014_{id:012d}.jpg}
     * @param annotations number of annotations
     * @param polygonCoordinates numbers in each annotation's segmentation polygon
     */
    static void write(Path file, int images, int annotations, int polygonCoordinates) throws IOException {
        Files.createDirectories(file.getParent());
        try (JsonGenerator json = new JsonFactory().createGenerator(file.toFile(), JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeObjectFieldStart("info");
            json.writeStringField("description", "synthetic");
            json.writeEndObject();
            json.writeArrayFieldStart("annotations");
            for (int a = 0; a < annotations; a++) {
                writeAnnotation(json, a, images, polygonCoordinates);
            }
            json.writeEndArray();
            json.writeArrayFieldStart("images");
            for (int i = 0; i < images; i++) {
                json.writeStartObject();
                json.writeNumberField("id", i + 1);
                json.writeStringField("file_name", fileName(i + 1));
                json.writeNumberField("width", 640);
                json.writeNumberField("height", 480);
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeArrayFieldStart("categories");
            for (int c = CATEGORIES - 1; c >= 0; c--) {
                json.writeStartObject();
                json.writeNumberField("id", categoryId(c));
                json.writeStringField("name", "class" + c);
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
    }

    /** @return the file name of image {@code id} */
    static String fileName(long id) {
        return String.format("COCO_train2014_%012d.jpg", id);
    }

    private static void writeAnnotation(JsonGenerator json, int a, int images, int polygonCoordinates)
            throws IOException {
        json.writeStartObject();
        json.writeArrayFieldStart("segmentation");
        json.writeStartArray();
        for (int k = 0; k < polygonCoordinates; k++) {
            json.writeNumber(COORDINATES[(a * 31 + k * 17) % COORDINATES.length]);
        }
        json.writeEndArray();
        json.writeEndArray();
        json.writeNumberField("area", 70.875);
        json.writeNumberField("iscrowd", a % 50 == 0 ? 1 : 0);
        json.writeNumberField("image_id", a % images + 1);
        json.writeArrayFieldStart("bbox");
        json.writeNumber(1.25);
        json.writeNumber(2.5);
        json.writeNumber(10.5);
        json.writeNumber(6.75);
        json.writeEndArray();
        json.writeNumberField("category_id", categoryId(a / images % CATEGORIES));
        json.writeNumberField("id", 900_000 + a);
        json.writeEndObject();
    }
}
