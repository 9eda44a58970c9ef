package io.ccdstream.data.export;

import java.io.IOException;
import java.nio.file.Path;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * CVAT for images 1.1 ({@code annotations.xml}, CVAT's own import format): {@code version},
 * {@code meta/task} with its {@code labels}, then one {@code image} per image (id, name, width,
 * height) holding a {@code tag} (CVAT's image-level label) per positive class, {@code source="auto"},
 * and, where the scorer chose a CAM box for it, a {@code box} (xtl, ytl, xbr, ybr) as well.
 */
final class CvatWriter {

    private CvatWriter() {}

    static void write(ExportSet set, Path dir) throws IOException {
        Document document = Xml.document();
        Element root = document.createElement("annotations");
        document.appendChild(root);
        Xml.child(root, "version", "1.1");
        Element task = Xml.child(Xml.child(root, "meta"), "task");
        Xml.child(task, "name", "ccd-stream " + set.classSetId());
        Xml.child(task, "size", set.images().size());
        Xml.child(task, "mode", "annotation");
        Element labels = Xml.child(task, "labels");
        for (String name : set.classNames()) {
            Element label = Xml.child(labels, "label");
            Xml.child(label, "name", name);
            Xml.child(label, "type", "any");
            Xml.child(label, "attributes");
        }
        for (int i = 0; i < set.images().size(); i++) {
            ExportedImage image = set.images().get(i);
            Element element = Xml.child(root, "image");
            element.setAttribute("id", Integer.toString(i));
            element.setAttribute("name", image.file());
            element.setAttribute("width", Integer.toString(image.width()));
            element.setAttribute("height", Integer.toString(image.height()));
            for (int c : image.positives()) {
                Element tag = Xml.child(element, "tag");
                tag.setAttribute("label", set.classNames().get(c));
                tag.setAttribute("source", "auto");
                if (image.hasCamBox(c)) {
                    ExportedImage.Box box = image.boxes().get(c);
                    Element b = Xml.child(element, "box");
                    b.setAttribute("label", set.classNames().get(c));
                    b.setAttribute("source", "auto");
                    b.setAttribute("occluded", "0");
                    b.setAttribute("xtl", Integer.toString(box.x0()));
                    b.setAttribute("ytl", Integer.toString(box.y0()));
                    b.setAttribute("xbr", Integer.toString(box.x1()));
                    b.setAttribute("ybr", Integer.toString(box.y1()));
                    b.setAttribute("z_order", "0");
                }
            }
        }
        Xml.write(document, dir.resolve("annotations.xml"));
    }
}
