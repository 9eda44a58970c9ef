package io.ccdstream.topics.export;

import io.ccdstream.data.export.ClassSelectionRule;
import io.ccdstream.data.export.ExportFormat;
import io.ccdstream.data.export.ExportSet;
import io.ccdstream.data.export.ExportedImage;
import io.ccdstream.schemas.CamBox;
import io.ccdstream.schemas.Label;
import io.ccdstream.schemas.Scores;
import io.ccdstream.topics.LabelStages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Turns a class set's labels into an export: keeps the labels of the wanted stage, selects each
 * image's positive classes, takes sizes and CAM boxes from the scores and the image's file or URI
 * from the ingest ledger, and writes the formats into a directory — each file written beside it
 * first and moved into place, so a reader never sees half a file.
 */
public final class LabelExport {

    /** Which labels to export. */
    public enum Stage {
        /** Labels the scorer is done with: REFINED ones and those a checkpoint examined without a crop. */
        FINAL,
        /** Labels mixed with at least one local view. */
        REFINED,
        /** Global-view labels, with or without a checkpoint's examination. */
        INITIAL,
        /** Labels a person reviewed (ccd.reviews). */
        VERIFIED,
        ANY;

        /** Whether {@code label} is of this stage. */
        public boolean matches(Label label) {
            return switch (this) {
                case FINAL -> LabelStages.isFinal(label);
                case ANY -> true;
                default -> label.getStage().name().equals(name());
            };
        }
    }

    private LabelExport() {}

    /**
     * The export of {@code labels}.
     *
     * @param origins where each image came from (its ledger origin), else its id is used
     * @param rule    makes the selection rule from the kept images' scores (one row per image)
     * @return the export; its image list is empty when no label matched
     */
    public static ExportSet build(
            String classSetId,
            Map<String, Label> labels,
            Map<String, Scores> scores,
            Stage stage,
            Function<String, String> origins,
            Function<List<float[]>, ClassSelectionRule> rule) {
        List<Label> kept = labels.values().stream()
                .filter(stage::matches)
                .sorted(Comparator.comparing(Label::getImageId))
                .toList();
        List<String> classNames =
                kept.isEmpty() ? List.of() : List.copyOf(kept.get(0).getClassNames());
        List<float[]> rows = new ArrayList<>();
        for (Label label : kept) {
            float[] row = new float[label.getScores().size()];
            for (int c = 0; c < row.length; c++) {
                row[c] = label.getScores().get(c);
            }
            rows.add(row);
        }
        ClassSelectionRule selection = rule.apply(rows);
        List<ExportedImage> images = new ArrayList<>();
        for (int i = 0; i < kept.size(); i++) {
            Label label = kept.get(i);
            Scores score = scores.get(label.getImageId());
            Map<Integer, ExportedImage.Box> boxes = new HashMap<>();
            if (score != null && label.getLocal() != null) {
                for (CamBox box : score.getBoxes()) {
                    if (box.getClassIndex() >= 0) {
                        boxes.putIfAbsent(
                                box.getClassIndex(),
                                new ExportedImage.Box(box.getX0(), box.getY0(), box.getX1(), box.getY1()));
                    }
                }
            }
            String origin = origins.apply(label.getImageId());
            images.add(new ExportedImage(
                    label.getImageId(),
                    origin == null ? label.getImageId() : origin,
                    score == null ? 0 : score.getImageWidth(),
                    score == null ? 0 : score.getImageHeight(),
                    label.getStage().name(),
                    rows.get(i),
                    selection.select(rows.get(i)),
                    Map.copyOf(boxes),
                    label.getBiasVersion(),
                    label.getCheckpointVersion(),
                    label.getModelId(),
                    label.getLabeledAt()));
        }
        return new ExportSet(classSetId, classNames, selection.thresholds(), selection.rule(), List.copyOf(images));
    }

    /**
     * Writes {@code set} in each of {@code formats} into {@code out}: into a staging directory beside
     * it first, then each file moved into place (replacing an older export's file).
     *
     * @return the files written, relative to {@code out}
     * @throws IllegalArgumentException when the export has no images: nothing is written
     */
    public static List<Path> write(ExportSet set, List<ExportFormat> formats, Path out) throws IOException {
        if (set.images().isEmpty()) {
            throw new IllegalArgumentException("nothing to export");
        }
        Path target = out.toAbsolutePath().normalize();
        Path parent = target.getParent();
        Files.createDirectories(parent);
        Path staging = Files.createTempDirectory(parent, ".ccd-export-");
        List<Path> written = new ArrayList<>();
        try {
            for (ExportFormat format : formats) {
                format.write(set, staging);
            }
            Files.createDirectories(target);
            try (Stream<Path> files = Files.walk(staging)) {
                for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                    Path relative = staging.relativize(file);
                    Path destination = target.resolve(relative.toString());
                    Files.createDirectories(destination.getParent());
                    Files.move(file, destination, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    written.add(relative);
                }
            }
        } finally {
            try (Stream<Path> left = Files.walk(staging)) {
                for (Path path : left.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
        return written;
    }
}
