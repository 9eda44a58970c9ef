package io.ccdstream.data.export;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CSV ({@code labels.csv}, RFC 4180: comma-separated, CRLF line ends, a field quoted with
 * {@code "} when it holds a comma, a quote or a line break, quotes doubled): a header
 * {@code image_id,file,stage,classes,<one column per class>}, then one row per image: the positive
 * classes joined by {@code ;} (highest score first) and each class's final score.
 */
final class CsvWriter {

    private CsvWriter() {}

    static void write(ExportSet set, Path dir) throws IOException {
        StringBuilder csv = new StringBuilder();
        List<String> header = new ArrayList<>(List.of("image_id", "file", "stage", "classes"));
        header.addAll(set.classNames());
        row(csv, header);
        for (ExportedImage image : set.images()) {
            List<String> fields = new ArrayList<>(
                    List.of(image.imageId(), image.file(), image.stage(), String.join(";", set.positiveNames(image))));
            for (float score : image.scores()) {
                fields.add(Float.toString(score));
            }
            row(csv, fields);
        }
        Files.writeString(dir.resolve("labels.csv"), csv.toString(), StandardCharsets.UTF_8);
    }

    private static void row(StringBuilder csv, List<String> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                csv.append(',');
            }
            String field = fields.get(i);
            if (field.contains(",") || field.contains("\"") || field.contains("\n") || field.contains("\r")) {
                csv.append('"').append(field.replace("\"", "\"\"")).append('"');
            } else {
                csv.append(field);
            }
        }
        csv.append("\r\n");
    }
}
