package io.ccdstream.data.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Reads a PASCAL VOC {@code Annotations/{id}.xml}: the image size and each {@code <object>}'s
 * {@code <name>}, {@code <difficult>} (absent means 0) and {@code <bndbox>}, converted with
 * {@link ObjectBox#fromVoc}. Only direct children of {@code <object>} are read, so the
 * {@code <part>} boxes (head, hand, foot) of VOC 2012 persons are not objects.
 *
 * <p>Not thread-safe (one DOM parser per reader). DTDs are refused: a VOC annotation has none.
 */
final class VocAnnotationReader {

    /** An annotation file's content. */
    record Annotation(int width, int height, List<ObjectBox> boxes) {}

    private final Set<String> classNames;
    private final DocumentBuilder builder;

    /** @param classNames the object names allowed */
    VocAnnotationReader(List<String> classNames) {
        this.classNames = Set.copyOf(classNames);
        this.builder = newBuilder();
    }

    /**
     * @param file an annotation file
     * @return its size and boxes
     * @throws DatasetException if the file is missing, is not XML or lacks a required element
     */
    Annotation read(Path file) {
        Element root = parse(file).getDocumentElement();
        if (!"annotation".equals(root.getTagName())) {
            throw new DatasetException(file + ": root element is <" + root.getTagName() + ">, expected <annotation>");
        }
        Element size = child(file, root, "size");
        int width = (int) number(file, size, "width");
        int height = (int) number(file, size, "height");
        if (width <= 0 || height <= 0) {
            throw new DatasetException(file + ": <size> is " + width + "x" + height + ", expected a positive size");
        }
        List<ObjectBox> boxes = new ArrayList<>();
        for (Element object : children(root, "object")) {
            boxes.add(box(file, object, width, height));
        }
        return new Annotation(width, height, boxes);
    }

    private ObjectBox box(Path file, Element object, int width, int height) {
        String name = text(file, object, "name");
        if (!classNames.contains(name)) {
            throw new DatasetException(file + ": object <name>" + name + "</name> is not a VOC class " + classNames);
        }
        List<Element> difficult = children(object, "difficult");
        boolean isDifficult = !difficult.isEmpty()
                && "1".equals(difficult.get(0).getTextContent().trim());
        Element bndbox = child(file, object, "bndbox");
        return ObjectBox.fromVoc(
                name,
                number(file, bndbox, "xmin"),
                number(file, bndbox, "ymin"),
                number(file, bndbox, "xmax"),
                number(file, bndbox, "ymax"),
                width,
                height,
                isDifficult);
    }

    private Document parse(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return builder.parse(in, file.toUri().toString());
        } catch (NoSuchFileException e) {
            throw new DatasetException("missing annotation file " + file, e);
        } catch (SAXParseException e) {
            throw new DatasetException(
                    DatasetException.at(file, e.getLineNumber(), "not a VOC annotation: " + e.getMessage()), e);
        } catch (SAXException | IOException e) {
            throw new DatasetException("cannot read annotation file " + file + ": " + e.getMessage(), e);
        }
    }

    private static List<Element> children(Element parent, String tag) {
        List<Element> found = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && tag.equals(element.getTagName())) {
                found.add(element);
            }
        }
        return found;
    }

    private static Element child(Path file, Element parent, String tag) {
        List<Element> found = children(parent, tag);
        if (found.isEmpty()) {
            throw new DatasetException(file + ": <" + parent.getTagName() + "> has no <" + tag + ">");
        }
        return found.get(0);
    }

    private static String text(Path file, Element parent, String tag) {
        return child(file, parent, tag).getTextContent().trim();
    }

    private static double number(Path file, Element parent, String tag) {
        String value = text(file, parent, tag);
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new DatasetException(file + ": <" + tag + ">" + value + "</" + tag + "> is not a number", e);
        }
    }

    private static DocumentBuilder newBuilder() {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(new ErrorHandler() {
                @Override
                public void warning(SAXParseException e) {
                    // warnings do not make an annotation unusable
                }

                @Override
                public void error(SAXParseException e) throws SAXException {
                    throw e;
                }

                @Override
                public void fatalError(SAXParseException e) throws SAXException {
                    throw e;
                }
            });
            return builder;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser lacks secure processing", e);
        }
    }
}
