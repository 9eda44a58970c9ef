package io.ccdstream.data.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Every export format read back with a parser of its own: Jackson for the JSON ones, the JDK's XML
 * parser for VOC and CVAT, and the YOLO and CSV rules written out here.
 */
class ExportFormatTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> CLASSES = List.of("cat", "dog, big", "car");

    @TempDir
    Path dir;

    /** Two images: a.png (100x50) with cat (CAM box) and dog (image level); sub/b "q".jpg with none. */
    static ExportSet set() {
        ClassSelectionRule rule = ClassSelectionRule.fixed(Arrays.asList(null, null, null), 0.5, 0);
        float[] a = {0.9f, 0.6f, 0.1f};
        float[] b = {0.2f, 0.3f, 0.4f};
        return new ExportSet(
                "cs123",
                CLASSES,
                rule.thresholds(),
                rule.rule(),
                List.of(
                        new ExportedImage(
                                "a.png",
                                "/data/imgs/a.png",
                                100,
                                50,
                                "REFINED",
                                a,
                                rule.select(a),
                                Map.of(0, new ExportedImage.Box(10, 5, 30, 25)),
                                3L,
                                1L,
                                "mini-clip",
                                Instant.parse("2026-01-02T03:04:05Z")),
                        new ExportedImage(
                                "sub/b \"q\".jpg",
                                "https://h/sub/b.jpg",
                                0,
                                0,
                                "REFINED",
                                b,
                                rule.select(b),
                                Map.of(),
                                null,
                                null,
                                "mini-clip",
                                Instant.parse("2026-01-02T03:04:06Z"))));
    }

    @Test
    void shouldSelectByThresholdTopKAndPerClassThresholds() {
        float[] scores = {0.9f, 0.6f, 0.55f, 0.1f};
        assertThat(ClassSelectionRule.fixed(Arrays.asList(null, null, null, null), 0.5, 0)
                        .select(scores))
                .containsExactly(0, 1, 2);
        assertThat(ClassSelectionRule.fixed(Arrays.asList(null, null, null, null), 0.5, 2)
                        .select(scores))
                .containsExactly(0, 1);
        assertThat(ClassSelectionRule.fixed(Arrays.asList(0.95, null, null, 0.05), 0.5, 0)
                        .select(scores))
                .containsExactly(1, 2, 3);
        assertThat(ClassSelectionRule.fixed(Arrays.asList(null, null, null, null), Double.NaN, 1)
                        .select(scores))
                .containsExactly(0);
    }

    @Test
    void shouldCalibrateEachClassToItsEstimatedPrevalence() {
        // class 0: scores sum to 2.1 -> 2 positives (threshold 0.8); class 1: sum 0.3 -> none
        List<float[]> rows = List.of(
                new float[] {0.9f, 0.1f}, new float[] {0.8f, 0.1f}, new float[] {0.3f, 0.05f}, new float[] {0.1f, 0.05f
                });
        ClassSelectionRule rule = ClassSelectionRule.calibrated(rows, 2, 0);

        assertThat(rule.thresholds()[0]).isEqualTo(0.8f);
        assertThat(rule.thresholds()[1]).isInfinite();
        assertThat(rows.stream().map(rule::select).toList())
                .containsExactly(List.of(0), List.of(0), List.of(), List.of());
    }

    @Test
    void shouldWriteCocoWithItsRequiredFields() throws IOException {
        ExportFormat.COCO.write(set(), dir);

        JsonNode coco = JSON.readTree(dir.resolve("annotations.json").toFile());
        for (String key : List.of("info", "licenses", "images", "annotations", "categories")) {
            assertThat(coco.has(key)).as(key).isTrue();
        }
        assertThat(coco.get("images")).hasSize(2);
        for (JsonNode image : coco.get("images")) {
            for (String key : List.of("id", "file_name", "width", "height")) {
                assertThat(image.has(key)).as("image " + key).isTrue();
            }
        }
        assertThat(coco.get("images").get(0).get("file_name").asText()).isEqualTo("/data/imgs/a.png");
        assertThat(coco.get("categories")).hasSize(3);
        assertThat(coco.get("categories").get(1).get("id").asInt()).isEqualTo(2);
        assertThat(coco.get("categories").get(1).get("name").asText()).isEqualTo("dog, big");
        JsonNode annotations = coco.get("annotations");
        assertThat(annotations).hasSize(2);
        for (JsonNode annotation : annotations) {
            for (String key : List.of("id", "image_id", "category_id", "bbox", "area", "iscrowd")) {
                assertThat(annotation.has(key)).as("annotation " + key).isTrue();
            }
            assertThat(annotation.get("image_id").asInt()).isEqualTo(1);
        }
        JsonNode cat = annotations.get(0);
        assertThat(cat.get("category_id").asInt()).isEqualTo(1);
        assertThat(cat.get("bbox").toString()).isEqualTo("[10,5,20,20]");
        assertThat(cat.get("area").asInt()).isEqualTo(400);
        assertThat(cat.get("ccd_image_level").asBoolean()).isFalse();
        JsonNode dog = annotations.get(1);
        assertThat(dog.get("bbox").toString()).isEqualTo("[0,0,100,50]");
        assertThat(dog.get("ccd_image_level").asBoolean()).isTrue();
        assertThat(dog.get("score").asDouble()).isEqualTo(0.6);
    }

    @Test
    void shouldWriteYoloLabelFilesAndDataYaml() throws IOException {
        ExportFormat.YOLO.write(set(), dir);

        // YOLO: "class x_center y_center width height", normalised by the image size
        List<String> a = Files.readAllLines(dir.resolve("labels/a.txt"));
        assertThat(a).hasSize(2);
        double[] cat = Arrays.stream(a.get(0).split(" "))
                .mapToDouble(Double::parseDouble)
                .toArray();
        assertThat(cat).containsExactly(0, (10 + 30) / 2.0 / 100, (5 + 25) / 2.0 / 50, 20 / 100.0, 20 / 50.0);
        assertThat(a.get(1)).isEqualTo("1 0.500000 0.500000 1.000000 1.000000");
        assertThat(Files.readString(dir.resolve("labels/sub/b__q_.txt"))).isEmpty();
        assertThat(Files.readAllLines(dir.resolve("images.txt")))
                .containsExactly("/data/imgs/a.png", "https://h/sub/b.jpg");
        List<String> yaml = Files.readAllLines(dir.resolve("data.yaml"));
        assertThat(yaml).contains("nc: 3", "names:", "  0: \"cat\"", "  1: \"dog, big\"", "  2: \"car\"");
    }

    @Test
    void shouldWriteVocXmlPerImage() throws Exception {
        ExportFormat.VOC.write(set(), dir);

        Document a = parse(dir.resolve("Annotations/a.xml"));
        Element root = a.getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("annotation");
        assertThat(text(root, "filename")).isEqualTo("a.png");
        assertThat(text(root, "width")).isEqualTo("100");
        assertThat(text(root, "height")).isEqualTo("50");
        NodeList objects = root.getElementsByTagName("object");
        assertThat(objects.getLength()).isEqualTo(2);
        Element cat = (Element) objects.item(0);
        assertThat(text(cat, "name")).isEqualTo("cat");
        assertThat(List.of(text(cat, "xmin"), text(cat, "ymin"), text(cat, "xmax"), text(cat, "ymax")))
                .containsExactly("11", "6", "30", "25");
        assertThat(text((Element) objects.item(1), "ccd_image_level")).isEqualTo("1");
        Document b = parse(dir.resolve("Annotations/sub/b__q_.xml"));
        assertThat(b.getDocumentElement().getElementsByTagName("object").getLength())
                .isZero();
    }

    @Test
    void shouldWriteCsvByRfc4180() throws IOException {
        ExportFormat.CSV.write(set(), dir);

        String csv = Files.readString(dir.resolve("labels.csv"), StandardCharsets.UTF_8);
        List<List<String>> rows = readCsv(csv);
        assertThat(rows.get(0)).containsExactly("image_id", "file", "stage", "classes", "cat", "dog, big", "car");
        assertThat(rows.get(1))
                .containsExactly("a.png", "/data/imgs/a.png", "REFINED", "cat;dog, big", "0.9", "0.6", "0.1");
        assertThat(rows.get(2))
                .containsExactly("sub/b \"q\".jpg", "https://h/sub/b.jpg", "REFINED", "", "0.2", "0.3", "0.4");
        assertThat(rows).hasSize(3);
    }

    @Test
    void shouldWriteJsonLines() throws IOException {
        ExportFormat.JSONL.write(set(), dir);

        List<String> lines = Files.readAllLines(dir.resolve("labels.jsonl"));
        assertThat(lines).hasSize(2);
        JsonNode a = JSON.readTree(lines.get(0));
        assertThat(a.get("id").asText()).isEqualTo("a.png");
        assertThat(a.get("source").asText()).isEqualTo("/data/imgs/a.png");
        assertThat(a.get("classes").toString()).isEqualTo("[\"cat\",\"dog, big\"]");
        assertThat(a.get("scores").get("car").asDouble()).isEqualTo(0.1);
        assertThat(a.get("stage").asText()).isEqualTo("REFINED");
        assertThat(a.get("versions").get("bias").asLong()).isEqualTo(3);
        assertThat(a.get("versions").get("checkpoint").asLong()).isEqualTo(1);
        assertThat(a.get("boxes").get("cat").toString()).isEqualTo("[10,5,30,25]");
        JsonNode b = JSON.readTree(lines.get(1));
        assertThat(b.get("versions").get("bias").isNull()).isTrue();
        assertThat(b.get("classes")).isEmpty();
    }

    @Test
    void shouldWriteLabelStudioTasksWithPredictions() throws IOException {
        ExportFormat.LABEL_STUDIO.write(set(), dir);

        JsonNode tasks = JSON.readTree(dir.resolve("tasks.json").toFile());
        assertThat(tasks.isArray()).isTrue();
        assertThat(tasks).hasSize(2);
        JsonNode a = tasks.get(0);
        assertThat(a.get("data").get("image").asText()).isEqualTo("/data/imgs/a.png");
        JsonNode result = a.get("predictions").get(0).get("result").get(0);
        assertThat(result.get("type").asText()).isEqualTo("choices");
        assertThat(result.get("from_name").asText()).isEqualTo("label");
        assertThat(result.get("to_name").asText()).isEqualTo("image");
        assertThat(result.get("value").get("choices").toString()).isEqualTo("[\"cat\",\"dog, big\"]");
        assertThat(tasks.get(1).get("predictions").get(0).get("result")).isEmpty();
    }

    @Test
    void shouldWriteCvatForImagesXml() throws Exception {
        ExportFormat.CVAT.write(set(), dir);

        Element root = parse(dir.resolve("annotations.xml")).getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("annotations");
        assertThat(text(root, "version")).isEqualTo("1.1");
        NodeList labels = ((Element) root.getElementsByTagName("labels").item(0)).getElementsByTagName("label");
        assertThat(labels.getLength()).isEqualTo(3);
        NodeList images = root.getElementsByTagName("image");
        assertThat(images.getLength()).isEqualTo(2);
        Element a = (Element) images.item(0);
        assertThat(a.getAttribute("name")).isEqualTo("/data/imgs/a.png");
        assertThat(a.getAttribute("width")).isEqualTo("100");
        NodeList tags = a.getElementsByTagName("tag");
        assertThat(tags.getLength()).isEqualTo(2);
        assertThat(((Element) tags.item(1)).getAttribute("label")).isEqualTo("dog, big");
        Element box = (Element) a.getElementsByTagName("box").item(0);
        assertThat(box.getAttribute("label")).isEqualTo("cat");
        assertThat(box.getAttribute("xbr")).isEqualTo("30");
    }

    @Test
    void shouldNameFormatsAsOnTheCommandLine() {
        assertThat(ExportFormat.of("label-studio")).isEqualTo(ExportFormat.LABEL_STUDIO);
        assertThat(ExportFormat.of("COCO")).isEqualTo(ExportFormat.COCO);
        assertThat(ExportFormat.LABEL_STUDIO.optionName()).isEqualTo("label-studio");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ExportFormat.of("tfrecord"))
                .hasMessageContaining("unknown format");
    }

    private static Document parse(Path file) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
    }

    private static String text(Element parent, String tag) {
        return parent.getElementsByTagName(tag).item(0).getTextContent();
    }

    /** RFC 4180: fields split by commas, quoted fields may hold commas, quotes (doubled) and line breaks; CRLF ends a row. */
    static List<List<String>> readCsv(String csv) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < csv.length(); i++) {
            char ch = csv.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < csv.length() && csv.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    field.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (ch == '\r' && i + 1 < csv.length() && csv.charAt(i + 1) == '\n') {
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                i++;
            } else {
                field.append(ch);
            }
        }
        return rows;
    }
}
