package io.ccdstream.data.export;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One labelled image as exported.
 *
 * @param imageId           its id in the class set
 * @param file              where the image is: the path or URI it was ingested from, else its id
 * @param width             its width in pixels, or 0 when unknown
 * @param height            its height in pixels, or 0 when unknown
 * @param stage             the label's stage (INITIAL or REFINED)
 * @param scores            the label's final score per class, aligned with the export's class names
 * @param positives         indices of the classes selected as present, highest score first
 * @param boxes             per class index, the CAM box the scorer chose for it, when it chose one
 * @param biasVersion       bias version that made the label, or null
 * @param checkpointVersion classifier checkpoint that chose the crops, or null
 * @param modelId           the CLIP model that scored the image
 * @param labeledAt         when the label was made
 */
public record ExportedImage(
        String imageId,
        String file,
        int width,
        int height,
        String stage,
        float[] scores,
        List<Integer> positives,
        Map<Integer, Box> boxes,
        Long biasVersion,
        Long checkpointVersion,
        String modelId,
        Instant labeledAt) {

    /** A box in pixels: x0/y0 inclusive, x1/y1 exclusive. */
    public record Box(int x0, int y0, int x1, int y1) {
        public int width() {
            return x1 - x0;
        }

        public int height() {
            return y1 - y0;
        }
    }

    /** The box of class {@code c}: its CAM box, else the whole image (when the size is known), else null. */
    public Box boxOrWholeImage(int c) {
        Box box = boxes.get(c);
        if (box != null) {
            return box;
        }
        return width > 0 && height > 0 ? new Box(0, 0, width, height) : null;
    }

    /** Whether class {@code c}'s box is a CAM box rather than the image-level whole image. */
    public boolean hasCamBox(int c) {
        return boxes.containsKey(c);
    }

    /** The file name without folders and extension, made safe for a file name of its own. */
    public String stem() {
        String name = file.substring(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
        int dot = name.lastIndexOf('.');
        return (dot > 0 ? name.substring(0, dot) : name).replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /**
     * A relative path for one annotation file per image, unique within an export: the image id with
     * unsafe characters replaced, its extension replaced by {@code extension}.
     */
    public String annotationPath(String extension) {
        String id = imageId.replace('\\', '/');
        int dot = id.lastIndexOf('.');
        if (dot > id.lastIndexOf('/')) {
            id = id.substring(0, dot);
        }
        StringBuilder path = new StringBuilder();
        for (String segment : id.split("/")) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                continue;
            }
            if (path.length() > 0) {
                path.append('/');
            }
            path.append(segment.replaceAll("[^A-Za-z0-9._-]", "_"));
        }
        return (path.length() == 0 ? "image" : path) + extension;
    }
}
