package io.ccdstream.data.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Pascal VOC XML: {@code Annotations/<image id without extension>.xml} per image, with
 * {@code folder}, {@code filename}, {@code path}, {@code source}, {@code size} (width, height,
 * depth 3), {@code segmented} 0 and one {@code object} per positive class (name, pose Unspecified,
 * truncated 0, difficult 0, bndbox in VOC's 1-based inclusive pixels: the CAM box, else the whole
 * image). Image-level objects carry {@code <ccd_image_level>1</ccd_image_level>} and every object its
 * {@code <score>}, elements VOC readers ignore.
 */
final class VocWriter {

    private VocWriter() {}

    static void write(ExportSet set, Path dir) throws IOException {
        for (ExportedImage image : set.images()) {
            Document document = Xml.document();
            Element root = document.createElement("annotation");
            document.appendChild(root);
            Path file = Path.of(image.file().replace("file:", ""));
            Xml.child(
                    root,
                    "folder",
                    file.getParent() == null ? "" : file.getParent().getFileName());
            Xml.child(root, "filename", file.getFileName() == null ? image.imageId() : file.getFileName());
            Xml.child(root, "path", image.file());
            Element source = Xml.child(root, "source");
            Xml.child(source, "database", "ccd-stream class set " + set.classSetId());
            Element size = Xml.child(root, "size");
            Xml.child(size, "width", image.width());
            Xml.child(size, "height", image.height());
            Xml.child(size, "depth", 3);
            Xml.child(root, "segmented", 0);
            for (int c : image.positives()) {
                Element object = Xml.child(root, "object");
                Xml.child(object, "name", set.classNames().get(c));
                Xml.child(object, "pose", "Unspecified");
                Xml.child(object, "truncated", 0);
                Xml.child(object, "difficult", 0);
                Xml.child(object, "score", Json.score(image.scores()[c]));
                Xml.child(object, "ccd_image_level", image.hasCamBox(c) ? 0 : 1);
                ExportedImage.Box box = image.boxOrWholeImage(c);
                if (box != null) {
                    Element bndbox = Xml.child(object, "bndbox");
                    Xml.child(bndbox, "xmin", box.x0() + 1);
                    Xml.child(bndbox, "ymin", box.y0() + 1);
                    Xml.child(bndbox, "xmax", box.x1());
                    Xml.child(bndbox, "ymax", box.y1());
                }
            }
            Path xml = dir.resolve("Annotations").resolve(image.annotationPath(".xml"));
            Files.createDirectories(xml.getParent());
            Xml.write(document, xml);
        }
    }
}
