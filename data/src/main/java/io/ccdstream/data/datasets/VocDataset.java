package io.ccdstream.data.datasets;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * PASCAL VOC 2007 or 2012 from a {@code VOCdevkit} tree.
 *
 * <p>Image-level labels are read from {@code ImageSets/Main/{class}_{split}.txt} as the devkit and
 * the paper count them: only {@code 1} is positive; {@code 0} (the class is present but every
 * instance is "difficult") and {@code -1} are negative. Boxes come from {@code Annotations/{id}.xml}
 * ({@link VocAnnotationReader}), difficult ones included and flagged.
 */
final class VocDataset implements Dataset {

    private static final Set<Split> DEFINED_2007 = EnumSet.allOf(Split.class);
    /** VOC 2012's test annotations are not public. */
    private static final Set<Split> DEFINED_2012 = EnumSet.of(Split.TRAIN, Split.VAL, Split.TRAINVAL);

    private final String name;
    private final String folder;
    private final Path root;
    private final Set<Split> defined;

    private VocDataset(String name, String folder, Path root) {
        this.name = name;
        this.folder = folder;
        this.root = root;
        this.defined = "VOC2007".equals(folder) ? DEFINED_2007 : DEFINED_2012;
    }

    /**
     * @param name the dataset's name, e.g. {@code "voc2012"}
     * @param folder the year's folder, {@code "VOC2007"} or {@code "VOC2012"}
     * @param root an existing directory: the {@code VOCdevkit} folder, the year's folder, or the
     *     folder the devkit archive was unpacked into
     */
    static VocDataset open(String name, String folder, Path root) {
        Path yearFolder = findYearFolder(name, folder, root);
        List<String> missing = new ArrayList<>();
        for (String sub : List.of("Annotations", "ImageSets/Main", "JPEGImages")) {
            if (!Files.isDirectory(yearFolder.resolve(sub))) {
                missing.add(yearFolder.resolve(sub).toString());
            }
        }
        if (!missing.isEmpty()) {
            throw new DatasetException(name + ": missing " + String.join(", ", missing) + ". " + layout(folder));
        }
        return new VocDataset(name, folder, yearFolder);
    }

    private static Path findYearFolder(String name, String folder, Path root) {
        String rootName = root.getFileName() == null ? "" : root.getFileName().toString();
        if (rootName.matches("VOC\\d{4}") && !rootName.equals(folder)) {
            throw new DatasetException(name + " root " + root + " is a " + rootName + " folder; point it at " + folder
                    + " or at the VOCdevkit folder that holds " + folder);
        }
        for (Path candidate :
                List.of(root.resolve(folder), root, root.resolve("VOCdevkit").resolve(folder))) {
            if (Files.isDirectory(candidate.resolve("ImageSets"))) {
                return candidate;
            }
        }
        throw new DatasetException(name + " not found under " + root + ": neither " + root.resolve(folder) + " nor "
                + root + " holds an ImageSets folder. " + layout(folder));
    }

    private static String layout(String folder) {
        return "Expected layout (root = VOCdevkit or VOCdevkit/" + folder + "):\n"
                + "  VOCdevkit/" + folder + "/Annotations/{id}.xml\n"
                + "  VOCdevkit/" + folder + "/ImageSets/Main/{split}.txt and {class}_{split}.txt for the 20 classes\n"
                + "  VOCdevkit/" + folder + "/JPEGImages/{id}.jpg";
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
    public List<String> classNames() {
        return Datasets.VOC_CLASSES;
    }

    @Override
    public Set<Split> splits() {
        return DatasetFiles.present(defined, this::listing);
    }

    @Override
    public List<LabelledImage> images(Split split) {
        Path listing = listing(split);
        if (!defined.contains(split)) {
            throw new DatasetException(name + " has no " + split.fileName() + " split with public ground truth; "
                    + "splits: " + names(defined));
        }
        if (!Files.isRegularFile(listing)) {
            throw new DatasetException(name + " split " + split.fileName() + " is not on disk: " + listing
                    + " is missing (present splits: " + names(splits()) + ")");
        }
        List<String> ids = readIds(listing);
        Map<String, boolean[]> positives = readPositives(split, ids, listing);
        VocAnnotationReader annotations = new VocAnnotationReader(Datasets.VOC_CLASSES);
        List<LabelledImage> images = new ArrayList<>(ids.size());
        for (String id : ids) {
            VocAnnotationReader.Annotation annotation =
                    annotations.read(root.resolve("Annotations").resolve(id + ".xml"));
            images.add(new LabelledImage(
                    id,
                    root.resolve("JPEGImages").resolve(id + ".jpg"),
                    annotation.width(),
                    annotation.height(),
                    labels(positives.get(id)),
                    annotation.boxes()));
        }
        DatasetFiles.requireImageFiles(name, images, listing);
        return List.copyOf(images);
    }

    private Path listing(Split split) {
        return root.resolve("ImageSets").resolve("Main").resolve(split.fileName() + ".txt");
    }

    private static List<String> readIds(Path listing) {
        Set<String> ids = new LinkedHashSet<>();
        List<String> lines = DatasetFiles.readLines(listing);
        for (int i = 0; i < lines.size(); i++) {
            String id = lines.get(i).trim();
            if (id.isEmpty()) {
                continue;
            }
            if (id.chars().anyMatch(Character::isWhitespace)) {
                throw new DatasetException(
                        DatasetException.at(listing, i + 1L, "expected one image id, got '" + lines.get(i) + "'"));
            }
            if (!ids.add(id)) {
                throw new DatasetException(DatasetException.at(listing, i + 1L, "image " + id + " is listed twice"));
            }
        }
        return List.copyOf(ids);
    }

    /** @return for every id, a flag per class in {@link Datasets#VOC_CLASSES} order */
    private Map<String, boolean[]> readPositives(Split split, List<String> ids, Path listing) {
        Map<String, boolean[]> positives = new HashMap<>();
        ids.forEach(id -> positives.put(id, new boolean[Datasets.VOC_CLASSES.size()]));
        for (int c = 0; c < Datasets.VOC_CLASSES.size(); c++) {
            String className = Datasets.VOC_CLASSES.get(c);
            Path file = listing.resolveSibling(className + "_" + split.fileName() + ".txt");
            if (!Files.isRegularFile(file)) {
                throw new DatasetException(name + ": missing " + file + "; every split needs a label file for each of "
                        + "the 20 classes. " + layout(folder));
            }
            readClassFile(file, c, positives, listing);
        }
        return positives;
    }

    private static void readClassFile(Path file, int classIndex, Map<String, boolean[]> positives, Path listing) {
        Set<String> seen = new LinkedHashSet<>();
        List<String> lines = DatasetFiles.readLines(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] fields = line.split("\\s+");
            if (fields.length != 2 || !List.of("1", "0", "-1").contains(fields[1])) {
                throw new DatasetException(
                        DatasetException.at(file, i + 1L, "expected 'imageid 1|0|-1', got '" + lines.get(i) + "'"));
            }
            boolean[] flags = positives.get(fields[0]);
            if (flags == null) {
                throw new DatasetException(DatasetException.at(
                        file, i + 1L, "image " + fields[0] + " is not in " + listing.getFileName()));
            }
            if (!seen.add(fields[0])) {
                throw new DatasetException(
                        DatasetException.at(file, i + 1L, "image " + fields[0] + " is listed twice"));
            }
            // the devkit's 0 marks a class whose every instance is difficult: negative, as in the paper
            flags[classIndex] = "1".equals(fields[1]);
        }
        if (seen.size() != positives.size()) {
            String absent = positives.keySet().stream()
                    .filter(id -> !seen.contains(id))
                    .sorted()
                    .findFirst()
                    .orElseThrow();
            throw new DatasetException(file + " has no line for " + (positives.size() - seen.size()) + " image(s) of "
                    + listing.getFileName() + ", e.g. " + absent);
        }
    }

    private static List<String> labels(boolean[] flags) {
        List<String> labels = new ArrayList<>();
        for (int c = 0; c < flags.length; c++) {
            if (flags[c]) {
                labels.add(Datasets.VOC_CLASSES.get(c));
            }
        }
        return labels;
    }

    private static String names(Set<Split> splits) {
        return splits.isEmpty()
                ? "none"
                : String.join(", ", splits.stream().map(Split::fileName).toList());
    }
}
