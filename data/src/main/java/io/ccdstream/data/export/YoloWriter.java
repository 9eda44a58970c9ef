package io.ccdstream.data.export;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * YOLO (Ultralytics layout): {@code labels/<image id without extension>.txt} per image, one line per
 * positive class, {@code class x_center y_center width height} normalised to [0, 1] (six decimals);
 * the CAM box when the scorer chose one, else the whole image ({@code 0.5 0.5 1 1}: YOLO has no
 * image-level label, so a whole-image box stands for one). An image with no positive class gets an
 * empty file (a background image). {@code data.yaml} names the classes ({@code names}, {@code nc})
 * and {@code images.txt} lists the images, one per line, in the order of the label files.
 */
final class YoloWriter {

    private YoloWriter() {}

    static void write(ExportSet set, Path dir) throws IOException {
        List<String> imageList = new ArrayList<>();
        for (ExportedImage image : set.images()) {
            StringBuilder lines = new StringBuilder();
            for (int c : image.positives()) {
                ExportedImage.Box box = image.hasCamBox(c) && image.width() > 0 && image.height() > 0
                        ? image.boxes().get(c)
                        : null;
                double xc = box == null ? 0.5 : (box.x0() + box.x1()) / 2.0 / image.width();
                double yc = box == null ? 0.5 : (box.y0() + box.y1()) / 2.0 / image.height();
                double w = box == null ? 1.0 : (double) box.width() / image.width();
                double h = box == null ? 1.0 : (double) box.height() / image.height();
                lines.append(String.format(Locale.ROOT, "%d %.6f %.6f %.6f %.6f%n", c, xc, yc, w, h));
            }
            Path file = dir.resolve("labels").resolve(image.annotationPath(".txt"));
            Files.createDirectories(file.getParent());
            Files.writeString(file, lines.toString(), StandardCharsets.UTF_8);
            imageList.add(image.file());
        }
        Files.write(dir.resolve("images.txt"), imageList, StandardCharsets.UTF_8);
        StringBuilder yaml = new StringBuilder();
        yaml.append("# ccd-stream labels of class set ")
                .append(set.classSetId())
                .append('\n');
        yaml.append("# selection: ").append(set.rule()).append('\n');
        yaml.append("path: .\n");
        yaml.append("train: images.txt\n");
        yaml.append("nc: ").append(set.classNames().size()).append('\n');
        yaml.append("names:\n");
        for (int c = 0; c < set.classNames().size(); c++) {
            yaml.append("  ")
                    .append(c)
                    .append(": ")
                    .append(quote(set.classNames().get(c)))
                    .append('\n');
        }
        Files.writeString(dir.resolve("data.yaml"), yaml.toString(), StandardCharsets.UTF_8);
    }

    /** A YAML double-quoted scalar. */
    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
