package io.ccdstream.data.datasets;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Streams a COCO {@code instances_*.json} with Jackson's token API, keeping only what the
 * evaluation needs: category ids and names, image ids, file names and sizes, and each
 * annotation's image, category, {@code bbox} and {@code iscrowd}. Segmentations (most of the
 * file's 400 MB) and every other field are skipped token by token, so memory grows with the
 * number of annotations, not with the file size, and the top-level keys may come in any order
 * (the real files put {@code categories} last).
 */
final class CocoInstancesReader {

    /** A category; {@code id} is COCO's (1..90 with gaps). */
    record Category(int id, String name) {}

    /** An image entry. */
    record Image(long id, String fileName, int width, int height) {}

    /** The fields of an annotation that evaluation uses; {@code x, y, w, h} is COCO's {@code bbox}. */
    record Annotation(long id, long imageId, int categoryId, double x, double y, double w, double h, boolean crowd) {}

    /**
     * A file's content.
     *
     * @param categories ordered by id
     * @param images in file order; empty when only categories were read
     * @param annotations in file order; empty when only categories were read
     */
    record Instances(List<Category> categories, List<Image> images, List<Annotation> annotations) {}

    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final long NO_ID = Long.MIN_VALUE;

    private final Path file;
    private final JsonParser parser;
    private final boolean categoriesOnly;
    private final List<Category> categories = new ArrayList<>();
    private final List<Image> images = new ArrayList<>();
    private final List<Annotation> annotations = new ArrayList<>();

    private CocoInstancesReader(Path file, JsonParser parser, boolean categoriesOnly) {
        this.file = file;
        this.parser = parser;
        this.categoriesOnly = categoriesOnly;
    }

    /**
     * @param file an instances file
     * @param categoriesOnly skip images and annotations (a quick pass for the class names)
     * @return the file's categories, images and annotations
     * @throws DatasetException if the file is missing, not JSON, or lacks a required field
     */
    static Instances read(Path file, boolean categoriesOnly) {
        try (InputStream in = Files.newInputStream(file);
                JsonParser parser = JSON.createParser(in)) {
            return new CocoInstancesReader(file, parser, categoriesOnly).readDocument();
        } catch (NoSuchFileException e) {
            throw new DatasetException("missing COCO instances file " + file, e);
        } catch (JsonProcessingException e) {
            throw new DatasetException(where(file, e.getLocation()) + "not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new DatasetException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private Instances readDocument() throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw fail("expected a JSON object with images, annotations and categories");
        }
        Set<String> seen = new HashSet<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            seen.add(field);
            switch (field) {
                case "categories" -> readArray(field, this::readCategory);
                case "images" -> readOrSkip(field, this::readImage);
                case "annotations" -> readOrSkip(field, this::readAnnotation);
                default -> parser.skipChildren();
            }
        }
        for (String required :
                categoriesOnly ? List.of("categories") : List.of("images", "annotations", "categories")) {
            if (!seen.contains(required)) {
                throw new DatasetException(
                        file + " has no \"" + required + "\" array; is it an instances_*.json file?");
            }
        }
        categories.sort(Comparator.comparingInt(Category::id));
        return new Instances(List.copyOf(categories), images, annotations);
    }

    private void readOrSkip(String field, ElementReader reader) throws IOException {
        if (categoriesOnly) {
            parser.skipChildren();
        } else {
            readArray(field, reader);
        }
    }

    private void readArray(String field, ElementReader reader) throws IOException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw fail("\"" + field + "\" must be an array");
        }
        int index = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                throw fail(field + "[" + index + "] must be an object");
            }
            reader.read(index++);
        }
    }

    private void readCategory(int index) throws IOException {
        String element = "categories[" + index + "]";
        long id = NO_ID;
        String name = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            switch (field) {
                case "id" -> id = integer(element, field);
                case "name" -> name = text(element, field);
                default -> parser.skipChildren();
            }
        }
        require(id != NO_ID && name != null, element + " needs an \"id\" and a \"name\"");
        categories.add(new Category(Math.toIntExact(id), name));
    }

    private void readImage(int index) throws IOException {
        String element = "images[" + index + "]";
        long id = NO_ID;
        long width = NO_ID;
        long height = NO_ID;
        String fileName = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            switch (field) {
                case "id" -> id = integer(element, field);
                case "file_name" -> fileName = text(element, field);
                case "width" -> width = integer(element, field);
                case "height" -> height = integer(element, field);
                default -> parser.skipChildren();
            }
        }
        require(
                id != NO_ID && fileName != null && width != NO_ID && height != NO_ID,
                element + " needs \"id\", \"file_name\", \"width\" and \"height\"");
        require(
                width > 0 && height > 0 && width <= Integer.MAX_VALUE && height <= Integer.MAX_VALUE,
                element + " (id " + id + ") has size " + width + "x" + height);
        images.add(new Image(id, fileName, (int) width, (int) height));
    }

    private void readAnnotation(int index) throws IOException {
        String element = "annotations[" + index + "]";
        long id = NO_ID;
        long imageId = NO_ID;
        long categoryId = NO_ID;
        long crowd = 0;
        double[] bbox = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            switch (field) {
                case "id" -> id = integer(element, field);
                case "image_id" -> imageId = integer(element, field);
                case "category_id" -> categoryId = integer(element, field);
                case "iscrowd" -> crowd = integer(element, field);
                case "bbox" -> bbox = bbox(element);
                default -> parser.skipChildren();
            }
        }
        require(
                imageId != NO_ID && categoryId != NO_ID && bbox != null,
                element + " needs \"image_id\", \"category_id\" and \"bbox\"");
        annotations.add(new Annotation(
                id, imageId, Math.toIntExact(categoryId), bbox[0], bbox[1], bbox[2], bbox[3], crowd != 0));
    }

    private double[] bbox(String element) throws IOException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw fail(element + ".bbox must be an array [x, y, w, h]");
        }
        double[] values = new double[4];
        int count = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (!parser.currentToken().isNumeric() || count == values.length) {
                throw fail(element + ".bbox must be four numbers [x, y, w, h]");
            }
            values[count++] = parser.getDoubleValue();
        }
        require(count == values.length, element + ".bbox must be four numbers [x, y, w, h]");
        return values;
    }

    private long integer(String element, String field) throws IOException {
        if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            throw fail(element + "." + field + " must be an integer, got " + parser.getText());
        }
        return parser.getLongValue();
    }

    private String text(String element, String field) throws IOException {
        if (parser.currentToken() != JsonToken.VALUE_STRING) {
            throw fail(element + "." + field + " must be a string, got " + parser.getText());
        }
        return parser.getText();
    }

    private void require(boolean condition, String problem) {
        if (!condition) {
            throw fail(problem);
        }
    }

    private DatasetException fail(String problem) {
        return new DatasetException(where(file, parser.currentTokenLocation()) + problem);
    }

    private static String where(Path file, JsonLocation location) {
        return location == null
                ? file + ": "
                : file + " line " + location.getLineNr() + ", column " + location.getColumnNr() + ": ";
    }

    @FunctionalInterface
    private interface ElementReader {
        void read(int index) throws IOException;
    }
}
