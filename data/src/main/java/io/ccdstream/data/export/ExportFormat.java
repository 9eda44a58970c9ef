package io.ccdstream.data.export;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/** The formats of {@code ccd export}, each writing its files into a directory. */
public enum ExportFormat {
    /** COCO JSON: {@code annotations.json}. */
    COCO(CocoWriter::write),
    /** YOLO: {@code labels/<image>.txt} per image, {@code data.yaml}, {@code images.txt}. */
    YOLO(YoloWriter::write),
    /** Pascal VOC XML: {@code Annotations/<image>.xml} per image. */
    VOC(VocWriter::write),
    /** CSV: {@code labels.csv}. */
    CSV(CsvWriter::write),
    /** JSON Lines: {@code labels.jsonl}. */
    JSONL(JsonlWriter::write),
    /** Label Studio tasks with predictions: {@code tasks.json}. */
    LABEL_STUDIO(LabelStudioWriter::write),
    /** CVAT for images 1.1 XML: {@code annotations.xml}. */
    CVAT(CvatWriter::write);

    /** Writes one export into a directory. */
    @FunctionalInterface
    interface Writer {
        void write(ExportSet set, Path dir) throws IOException;
    }

    private final Writer writer;

    ExportFormat(Writer writer) {
        this.writer = writer;
    }

    /** Writes {@code set} into {@code dir} (created if needed). */
    public void write(ExportSet set, Path dir) throws IOException {
        java.nio.file.Files.createDirectories(dir);
        writer.write(set, dir);
    }

    /** The format named {@code name} (case-insensitive; {@code label-studio} and {@code labelstudio} too). */
    public static ExportFormat of(String name) {
        String key = name.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        if (key.equals("LABELSTUDIO")) {
            return LABEL_STUDIO;
        }
        try {
            return valueOf(key);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "unknown format " + name + " (coco, yolo, voc, csv, jsonl, label-studio, cvat)");
        }
    }

    /** The name on the command line. */
    public String optionName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
