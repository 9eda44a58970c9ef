package io.ccdstream.data.datasets;

import io.ccdstream.data.datasets.CocoInstancesReader.Annotation;
import io.ccdstream.data.datasets.CocoInstancesReader.Category;
import io.ccdstream.data.datasets.CocoInstancesReader.Image;
import io.ccdstream.data.datasets.CocoInstancesReader.Instances;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * MS COCO 2014 from {@code ROOT/annotations/instances_{train,val}2014.json} and the
 * {@code ROOT/{train,val}2014/} image folders.
 *
 * <p>Conventions, chosen to match the multi-label literature that evaluates on COCO 2014:
 * <ul>
 *   <li>Classes are the file's categories ordered by category id (80 for the real files).
 *   <li>An image's labels are the categories with at least one annotation in it, crowd
 *       annotations ({@code iscrowd 1}) included: a crowd of people still shows people.
 *   <li>An image without any annotation is kept, with no label, so that a split has as many images
 *       as the folder; a caller that wants the usual "labelled images only" filters on
 *       {@code labels().isEmpty()}.
 *   <li>Images keep the file's order; {@link LabelledImage#id()} is the numeric COCO image id.
 *   <li>Boxes are converted with {@link ObjectBox#fromCoco}.
 * </ul>
 *
 * <p>The class names are read lazily: they sit at the end of the instances file, so the first
 * call to {@link #classNames()} streams through one file unless {@link #images(Split)} already has.
 */
final class CocoDataset implements Dataset {

    private static final Set<Split> DEFINED = EnumSet.of(Split.TRAIN, Split.VAL);
    private static final String LAYOUT = "Expected layout (root = the folder holding annotations/):\n"
            + "  annotations/instances_train2014.json, annotations/instances_val2014.json\n"
            + "  train2014/COCO_train2014_{id:012d}.jpg, val2014/COCO_val2014_{id:012d}.jpg";

    private final String name;
    private final Path root;
    private List<String> classNames;
    private Path classNamesSource;

    private CocoDataset(String name, Path root) {
        this.name = name;
        this.root = root;
    }

    /**
     * @param name the dataset's name
     * @param root an existing directory
     */
    static CocoDataset open(String name, Path root) {
        CocoDataset dataset = new CocoDataset(name, root);
        if (dataset.splits().isEmpty()) {
            throw new DatasetException(name + ": found neither " + dataset.instancesFile(Split.TRAIN) + " nor "
                    + dataset.instancesFile(Split.VAL) + ". " + LAYOUT);
        }
        return dataset;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Path root() {
        return root;
    }

    @Override
    public synchronized List<String> classNames() {
        if (classNames == null) {
            Split source = splits().contains(Split.VAL) ? Split.VAL : Split.TRAIN;
            Path file = instancesFile(source);
            agreeOnClasses(classNames(CocoInstancesReader.read(file, true).categories(), file), file);
        }
        return classNames;
    }

    @Override
    public Set<Split> splits() {
        return DatasetFiles.present(DEFINED, this::instancesFile);
    }

    @Override
    public List<LabelledImage> images(Split split) {
        if (!DEFINED.contains(split)) {
            throw new DatasetException(name + " has no " + split.fileName() + " split; splits: train, val");
        }
        Path file = instancesFile(split);
        Path imageFolder = root.resolve(split.fileName() + "2014");
        if (!Files.isRegularFile(file)) {
            throw new DatasetException(
                    name + " split " + split.fileName() + " is not on disk: " + file + " is missing. " + LAYOUT);
        }
        if (!Files.isDirectory(imageFolder)) {
            throw new DatasetException(
                    name + " split " + split.fileName() + ": image folder " + imageFolder + " is missing. " + LAYOUT);
        }
        Instances instances = CocoInstancesReader.read(file, false);
        List<String> classes = classNames(instances.categories(), file);
        agreeOnClasses(classes, file);
        List<LabelledImage> images = labelledImages(instances, classes, file, imageFolder);
        DatasetFiles.requireImageFiles(name, images, file);
        return images;
    }

    private Path instancesFile(Split split) {
        return root.resolve("annotations").resolve("instances_" + split.fileName() + "2014.json");
    }

    private synchronized void agreeOnClasses(List<String> classes, Path file) {
        if (classNames == null) {
            classNames = classes;
            classNamesSource = file;
        } else if (!classNames.equals(classes)) {
            throw new DatasetException("the categories of " + file + " differ from those of " + classNamesSource
                    + "; are both files from COCO 2014?");
        }
    }

    private static List<String> classNames(List<Category> categories, Path file) {
        Set<Integer> ids = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (Category category : categories) {
            if (!ids.add(category.id()) || !names.add(category.name())) {
                throw new DatasetException(
                        file + ": category id " + category.id() + " or name '" + category.name() + "' appears twice");
            }
        }
        if (categories.isEmpty()) {
            throw new DatasetException(file + ": the \"categories\" array is empty");
        }
        return categories.stream().map(Category::name).toList();
    }

    private static List<LabelledImage> labelledImages(
            Instances instances, List<String> classes, Path file, Path imageFolder) {
        Map<Integer, Integer> classIndex = new HashMap<>();
        for (int c = 0; c < instances.categories().size(); c++) {
            classIndex.put(instances.categories().get(c).id(), c);
        }
        List<Image> images = instances.images();
        Map<Long, Integer> imageIndex = new HashMap<>(images.size() * 2);
        for (int i = 0; i < images.size(); i++) {
            if (imageIndex.put(images.get(i).id(), i) != null) {
                throw new DatasetException(file + ": image id " + images.get(i).id() + " appears twice");
            }
        }
        List<List<ObjectBox>> boxes = new ArrayList<>(images.size());
        List<BitSet> labels = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            boxes.add(new ArrayList<>(0));
            labels.add(new BitSet(classes.size()));
        }
        for (Annotation annotation : instances.annotations()) {
            Integer i = imageIndex.get(annotation.imageId());
            Integer c = classIndex.get(annotation.categoryId());
            if (i == null || c == null) {
                throw new DatasetException(file + ": annotation id " + annotation.id() + " refers to "
                        + (i == null ? "image id " + annotation.imageId() : "category id " + annotation.categoryId())
                        + ", which the file does not define");
            }
            Image image = images.get(i);
            boxes.get(i)
                    .add(ObjectBox.fromCoco(
                            classes.get(c),
                            annotation.x(),
                            annotation.y(),
                            annotation.w(),
                            annotation.h(),
                            image.width(),
                            image.height(),
                            annotation.crowd()));
            labels.get(i).set(c);
        }
        List<LabelledImage> result = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            Image image = images.get(i);
            List<String> names = labels.get(i).stream().mapToObj(classes::get).toList();
            result.add(new LabelledImage(
                    Long.toString(image.id()),
                    imageFile(imageFolder, image, file),
                    image.width(),
                    image.height(),
                    names,
                    boxes.get(i)));
        }
        return List.copyOf(result);
    }

    private static Path imageFile(Path imageFolder, Image image, Path file) {
        Path resolved = imageFolder.resolve(image.fileName()).normalize();
        if (!resolved.getParent().equals(imageFolder)) {
            throw new DatasetException(file + ": image id " + image.id() + " has file_name '" + image.fileName()
                    + "', expected a plain file name inside " + imageFolder);
        }
        return resolved;
    }
}
