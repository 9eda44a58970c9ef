package io.ccdstream.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * What {@code ccd bench quality} measured, written as JSON and as Markdown.
 *
 * @param command         the command line
 * @param date            when the run started (ISO-8601, UTC)
 * @param machine         where it ran
 * @param images          what was labelled and evaluated
 * @param world           the SynthScenes world ({@code small-objects}, {@code voc-like}), null for a dataset
 * @param clipModel       the CLIP model's id
 * @param classNames      the classes, in the order of every per-class list
 * @param trainImages     images sent through the pipeline per row
 * @param heldOutImages   images the classifiers are evaluated on
 * @param labelling       the labelling settings every row shares
 * @param trainerSettings the trainer settings every row shares (row-specific ones are in the rows)
 * @param rows            one per configuration, in the order run
 * @param seconds         running time of the whole benchmark
 */
public record QualityReport(
        String command,
        String date,
        Machine machine,
        String images,
        String world,
        String clipModel,
        List<String> classNames,
        int trainImages,
        int heldOutImages,
        String labelling,
        Map<String, String> trainerSettings,
        List<Row> rows,
        double seconds) {

    /**
     * The machine a run was measured on.
     *
     * @param cores    available processors
     * @param os       operating system name and version
     * @param java     Java runtime version
     * @param maxHeapMiB the JVM's maximum heap
     */
    public record Machine(int cores, String os, String java, long maxHeapMiB) {

        public static Machine current() {
            return new Machine(
                    Runtime.getRuntime().availableProcessors(),
                    System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                            + System.getProperty("os.arch"),
                    System.getProperty("java.vendor") + " " + Runtime.version(),
                    Runtime.getRuntime().maxMemory() >> 20);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d cores, %s, Java %s, max heap %d MiB", cores, os, java, maxHeapMiB);
        }
    }

    /**
     * One configuration's results. mAP figures are percentages (ALGORITHM.md section 6); per-class
     * AP values are in [0, 1].
     *
     * @param id                 the configuration's command-line name
     * @param title              its name in the table
     * @param labelUpdate        whether CAM crops updated the labels
     * @param debias             whether labels were debiased
     * @param beta               the consistency weight after warm-up
     * @param localViews         the scorer's local views (CAM, GRID, NONE)
     * @param labelled           training images that got a label (the others were dead-lettered)
     * @param deadLetters        training images dead-lettered
     * @param initialLabelMap    mAP of the labels' global part (debiased when debias is on) on the training images
     * @param trainLabelMap      mAP of the final labels the classifier trained on
     * @param heldOutMap         mAP of the trained classifier on the held-out images
     * @param clipInferencesPerImage mean CLIP image inferences per training image behind its final label
     * @param checkpointVersion  the evaluated checkpoint (the refinement round's)
     * @param epochs             epochs of the refinement round kept by early stopping
     * @param trainerTrainMap    the label-free train mAP the trainer reported for it
     * @param trainLabelAp       per-class AP of the final labels
     * @param heldOutAp          per-class AP of the classifier on the held-out images
     * @param bias               the last bias vector the bias service published, null if none
     * @param biasVersion        its version
     * @param paperVoc2012       the paper's classifier mAP for this configuration on VOC 2012
     * @param seconds            running time of the row (broker start to evaluation)
     * @param noneImages         how the labels find the images without any class of the set
     * @param camLocalisation    for rows whose local views are CAM crops: how the crops behind the
     *     final labels overlap the ground-truth boxes of their class; null for other rows and when
     *     the images have no boxes
     */
    public record Row(
            String id,
            String title,
            boolean labelUpdate,
            boolean debias,
            double beta,
            String localViews,
            int labelled,
            int deadLetters,
            double initialLabelMap,
            double trainLabelMap,
            double heldOutMap,
            double clipInferencesPerImage,
            long checkpointVersion,
            int epochs,
            double trainerTrainMap,
            List<Double> trainLabelAp,
            List<Double> heldOutAp,
            List<Float> bias,
            Long biasVersion,
            double paperVoc2012,
            double seconds,
            NoneImages noneImages,
            CamLocalisation camLocalisation) {}

    /**
     * Images without any class of the set ("none" images; ground truth has no class): how well the
     * labels find them without ground truth.
     *
     * @param images      training images whose ground truth has no class
     * @param detectionAp average precision (%) of ranking the images by their highest global label
     *                    value, lowest first, against "none" in the ground truth
     * @param flagged     labels the labeler marked none ({@code ccd.labeler.none.threshold})
     * @param flaggedNone of those, images whose ground truth has no class
     */
    public record NoneImages(int images, double detectionAp, int flagged, int flaggedNone) {}

    /** Writes {@code quality.json} and {@code quality.md} into {@code dir}; returns their paths. */
    public List<Path> write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path json = dir.resolve("quality.json");
        Path markdown = dir.resolve("quality.md");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), this);
        Files.writeString(markdown, markdown());
        return List.of(json, markdown);
    }

    /** The report as Markdown: the ablation table, per-class AP, the bias vectors. */
    public String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# ccd bench quality\n\n");
        md.append("- Command: `").append(command).append("`\n");
        md.append("- Date: ").append(date).append('\n');
        md.append("- Machine: ").append(machine).append('\n');
        md.append("- Images: ")
                .append(images)
                .append(": ")
                .append(trainImages)
                .append(" training images through the ")
                .append("pipeline, ")
                .append(heldOutImages)
                .append(" held-out images\n");
        if (world != null) {
            md.append("- SynthScenes world: ").append(world).append('\n');
        }
        md.append("- CLIP model: ")
                .append(clipModel)
                .append("; ")
                .append(classNames.size())
                .append(" classes\n");
        md.append("- Labelling: ").append(labelling).append('\n');
        md.append("- Trainer: ").append(trainerSettings).append('\n');
        md.append(String.format(Locale.ROOT, "- Running time: %.0f s%n%n", seconds));
        md.append("| configuration | label update | debias | consistency | CLIP inferences / image "
                + "| train-label mAP | held-out classifier mAP | paper, VOC 2012 "
                + "| CAM crops / image: on GT (IoU, centre), mean IoU | epochs | seconds |\n");
        md.append("|---|:-:|:-:|:-:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row row : rows) {
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %s | %s | %.2f | %.1f | %.1f | %s | %s | %d | %.0f |%n",
                    row.title(),
                    mark(row.labelUpdate()),
                    mark(row.debias()),
                    mark(row.beta() > 0),
                    row.clipInferencesPerImage(),
                    row.trainLabelMap(),
                    row.heldOutMap(),
                    Double.isNaN(row.paperVoc2012()) ? "-" : String.format(Locale.ROOT, "%.1f", row.paperVoc2012()),
                    localisation(row.camLocalisation()),
                    row.epochs(),
                    row.seconds()));
        }
        md.append(String.format(
                Locale.ROOT,
                "%nCAM crops: the crops behind the final labels (last scores record per training image); "
                        + "on GT: share of crops with IoU >= %.1f with a ground-truth box of the class the crop "
                        + "was chosen for, and share holding the centre of such a box; mean IoU: mean best IoU "
                        + "with such a box (0 when the class is absent). \"-\": no CAM crops in the row.%n",
                CamLocalisation.IOU_THRESHOLD));
        md.append("\nInitial (global-view) label mAP on the training images: ");
        md.append(String.join(
                        ", ",
                        rows.stream()
                                .map(r -> String.format(Locale.ROOT, "%s %.1f", r.id(), r.initialLabelMap()))
                                .toList()))
                .append(".\n");
        classTable(
                md,
                "Per-class AP (final labels / held-out classifier)",
                (row, c) -> String.format(
                        Locale.ROOT,
                        "%.2f / %.2f",
                        row.trainLabelAp().get(c),
                        row.heldOutAp().get(c)));
        classTable(
                md,
                "Bias vectors (last published per row)",
                (row, c) -> row.bias() == null
                        ? "-"
                        : String.format(Locale.ROOT, "%.3f", row.bias().get(c)));
        md.append("\nNone images (no class of the set) among the training images: ");
        md.append(String.join(
                        ", ",
                        rows.stream()
                                .map(r -> String.format(
                                        Locale.ROOT,
                                        "%s %d, detection AP %.1f, flagged %d (%d correctly)",
                                        r.id(),
                                        r.noneImages().images(),
                                        r.noneImages().detectionAp(),
                                        r.noneImages().flagged(),
                                        r.noneImages().flaggedNone()))
                                .toList()))
                .append(".\n");
        md.append("\nRows without debias still run the bias service; their labels ignore its vector.\n");
        return md.toString();
    }

    /** A table with a line per class and a column per row, each cell given by {@code cell}. */
    private void classTable(StringBuilder md, String title, BiFunction<Row, Integer, String> cell) {
        md.append("\n## ").append(title).append("\n\n| class |");
        rows.forEach(r -> md.append(' ').append(r.id()).append(" |"));
        md.append("\n|---|");
        rows.forEach(r -> md.append("---:|"));
        md.append('\n');
        for (int c = 0; c < classNames.size(); c++) {
            md.append("| ").append(classNames.get(c)).append(" |");
            for (Row row : rows) {
                md.append(' ').append(cell.apply(row, c)).append(" |");
            }
            md.append('\n');
        }
    }

    private static String localisation(CamLocalisation cam) {
        if (cam == null || cam.crops() == 0) {
            return cam == null ? "-" : "0 crops";
        }
        return String.format(
                Locale.ROOT,
                "%.2f: %.0f%%, %.0f%%, %.2f",
                cam.cropsPerImage(),
                100 * cam.overlapShare(),
                100 * cam.centreShare(),
                cam.meanBestIou());
    }

    private static String mark(boolean on) {
        return on ? "x" : "";
    }
}
