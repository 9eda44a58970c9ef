package io.ccdstream.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code ccd bench continuous} measured: SynthScenes streamed through the whole pipeline at a
 * rate for a set time, every label, scores and checkpoint record read back and scored against the
 * generator's ground truth. mAP figures are percentages (scikit-learn AP per class, a class without
 * positives among the images scores 0); intervals are 95% percentile-bootstrap intervals over images.
 *
 * @param command         the command line
 * @param date            when the run started (ISO-8601, UTC)
 * @param machine         where it ran
 * @param world           the SynthScenes world
 * @param seed            the SynthScenes seed of the streamed images (held-out images: seed + 1)
 * @param imageSize       the images' side in pixels
 * @param rate            images sent per second
 * @param streamSeconds   how long images were sent
 * @param drainSeconds    how long the run then waited for the last labels
 * @param imagesSent      images sent
 * @param imagesLabelled  of those, images with at least one label
 * @param heldOutImages   images the checkpoints' classifiers were evaluated on (never sent)
 * @param resamples       bootstrap resamples per interval
 * @param trainerSettings the trainer settings given beside the demo's defaults
 * @param clipModel       the CLIP model's id
 * @param classNames      the classes
 * @param summary         first and latest labels of every labelled image
 * @param byVersion       labels by the checkpoint version that made them
 * @param windows         first and latest labels by arrival window
 * @param latestByVersion latest labels by the checkpoint version that made them
 * @param rescoring       how images moved to newer checkpoints
 * @param checkpoints     the checkpoints published during the run
 * @param correlation     the trainer's quality signals against the checkpoints' true mAP
 * @param latency         first labels and checkpoints reaching labels
 * @param seconds         running time of the whole benchmark
 */
public record ContinuousReport(
        String command,
        String date,
        QualityReport.Machine machine,
        String world,
        long seed,
        int imageSize,
        double rate,
        double streamSeconds,
        double drainSeconds,
        int imagesSent,
        int imagesLabelled,
        int heldOutImages,
        int resamples,
        Map<String, String> trainerSettings,
        String clipModel,
        List<String> classNames,
        Summary summary,
        List<VersionRow> byVersion,
        List<WindowRow> windows,
        List<LatestRow> latestByVersion,
        Rescoring rescoring,
        List<CheckpointRow> checkpoints,
        Correlation correlation,
        Latency latency,
        double seconds) {

    /**
     * A value with its 95% bootstrap interval.
     *
     * @param value the statistic on the images as they are
     * @param low   the 2.5th percentile over the resamples
     * @param high  the 97.5th percentile over the resamples
     */
    public record Interval(double value, double low, double high) {

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.1f [%.1f, %.1f]", value, low, high);
        }
    }

    /**
     * Every labelled image's first label (as it arrived) and latest label (at the end of the run), final
     * and global-only, on the same images and resamples.
     *
     * @param images       labelled images
     * @param firstFinal   mAP of the first labels' final scores
     * @param firstGlobal  mAP of the first labels' global-only (debiased) scores
     * @param latestFinal  mAP of the latest labels' final scores
     * @param latestGlobal mAP of the latest labels' global-only scores
     * @param netGain      (latest - first final) - (latest - first global): what the labels gained beyond
     *                     the movement of the global-only scores (the bias)
     */
    public record Summary(
            int images,
            Interval firstFinal,
            Interval firstGlobal,
            Interval latestFinal,
            Interval latestGlobal,
            Interval netGain) {}

    /**
     * The labels made with one checkpoint version: per image, the last label record that version made.
     *
     * @param version  the checkpoint version; null: before any checkpoint
     * @param images   images with such a label
     * @param finalMap mAP of their final scores
     * @param global   mAP of their global-only scores (same records)
     * @param cropGain final - global on the same records (what the crops added)
     */
    public record VersionRow(Long version, int images, Interval finalMap, Interval global, Interval cropGain) {}

    /**
     * The images of one arrival window (by send order), their first and latest labels.
     *
     * @param window       1-based
     * @param fromImage    first send index of the window
     * @param toImage      last send index of the window
     * @param images       labelled images of the window
     * @param firstFinal   mAP of their first labels
     * @param latestFinal  mAP of their latest labels
     * @param latestGlobal mAP of their latest labels' global-only scores
     * @param gain         latest - first final, same resamples
     */
    public record WindowRow(
            int window,
            int fromImage,
            int toImage,
            int images,
            Interval firstFinal,
            Interval latestFinal,
            Interval latestGlobal,
            Interval gain) {}

    /**
     * The images whose latest label one checkpoint version made.
     *
     * @param version        the version; null: no checkpoint examined them
     * @param images         such images
     * @param finalMap       mAP of their latest labels
     * @param global         mAP of the same labels' global-only scores
     * @param finalVsFirst   finalMap minus the first checkpoint's row's
     * @param globalVsFirst  global minus the first checkpoint's row's
     * @param netVsFirst     finalVsFirst - globalVsFirst
     */
    public record LatestRow(
            Long version,
            int images,
            Interval finalMap,
            Interval global,
            Double finalVsFirst,
            Double globalVsFirst,
            Double netVsFirst) {}

    /**
     * How labels moved to newer checkpoints.
     *
     * @param labelledWithCheckpoint images whose first label a checkpoint made
     * @param rescored               of those, images whose latest label a newer checkpoint made
     * @param rescoredShare          rescored / labelledWithCheckpoint (0 when none)
     * @param backfilled             images first labelled before any checkpoint whose latest label a checkpoint made
     * @param rescoreRecords         scores records marked rescore (backfill of images scored before any checkpoint,
     *                               and re-scores with a better checkpoint)
     * @param betterCheckpointRescores of those, re-scores that replaced an older checkpoint's scores (rescoredFrom set)
     * @param duplicates             scores records beyond the first for the same image and checkpoint version
     *                               (null version included): 0 when every image is scored once per version
     */
    public record Rescoring(
            int labelledWithCheckpoint,
            int rescored,
            double rescoredShare,
            int backfilled,
            int rescoreRecords,
            int betterCheckpointRescores,
            int duplicates) {}

    /**
     * One published checkpoint.
     *
     * @param version          its version
     * @param phase            WARMUP, REFINE or CONTINUOUS
     * @param createdAt        when it was published (ISO-8601)
     * @param trainLabelMap    the trainer's train-label mAP
     * @param heldOutMap       the trainer's held-out signal, null when it gave none
     * @param heldOutImages    images of the trainer's held-out slice
     * @param trueMap          mAP of its classifier on the benchmark's held-out images against ground truth;
     *                         null when it could not be fetched
     * @param toFirstLabelSeconds from createdAt to the first label it made; null when it made none
     */
    public record CheckpointRow(
            long version,
            String phase,
            String createdAt,
            double trainLabelMap,
            Double heldOutMap,
            int heldOutImages,
            Double trueMap,
            Double toFirstLabelSeconds) {}

    /**
     * Spearman rank correlation across the run's checkpoints of a trainer signal with the true mAP.
     *
     * @param heldOut        of heldOutMap; null when fewer than 3 checkpoints carry it or it is constant
     * @param heldOutPoints  checkpoints with both values
     * @param trainLabel     of trainLabelMap; null as above
     * @param trainLabelPoints checkpoints with both values
     */
    public record Correlation(Double heldOut, int heldOutPoints, Double trainLabel, int trainLabelPoints) {}

    /**
     * Latency figures, in seconds.
     *
     * @param firstLabelMedian      image record timestamp to its first label's labeledAt, median
     * @param firstLabelP90         90th percentile
     * @param firstLabelP99         99th percentile
     * @param checkpointToLabelMedian checkpoint createdAt to the first label it made, median over checkpoints
     * @param checkpointToLabelMax  the same, largest
     */
    public record Latency(
            double firstLabelMedian,
            double firstLabelP90,
            double firstLabelP99,
            Double checkpointToLabelMedian,
            Double checkpointToLabelMax) {}

    /** The report's files in {@code dir}: {@code continuous-<world>.json}, {@code .md} and {@code .png}. */
    public List<Path> files(Path dir) {
        String base = "continuous-" + world;
        return List.of(dir.resolve(base + ".json"), dir.resolve(base + ".md"), dir.resolve(base + ".png"));
    }

    /** Writes JSON, Markdown and the PNG curve into {@code dir}; returns their paths. */
    public List<Path> write(Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> files = files(dir);
        new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(files.get(0).toFile(), this);
        Files.writeString(files.get(1), markdown(files.get(2).getFileName().toString()));
        ContinuousChart.write(this, files.get(2));
        return files;
    }

    /** The report as Markdown, the PNG referred to as {@code png}. */
    public String markdown(String png) {
        StringBuilder md = new StringBuilder("# ccd bench continuous\n\n");
        md.append("- Command: `").append(command).append("`\n");
        md.append("- Date: ").append(date).append('\n');
        md.append("- Machine: ").append(machine).append('\n');
        md.append(format(
                "- Stream: SynthScenes %s, seed %d, %d px, %.1f images/s for %.0f s, then %.0f s for the last labels: "
                        + "%d images sent, %d labelled%n",
                world, seed, imageSize, rate, streamSeconds, drainSeconds, imagesSent, imagesLabelled));
        md.append(format(
                "- Checkpoints evaluated on %d held-out SynthScenes images (seed %d, never sent)%n",
                heldOutImages, seed + 1));
        md.append("- Pipeline: the demo's (`ccd demo`) services and defaults; CLIP ")
                .append(clipModel)
                .append(", ")
                .append(classNames.size())
                .append(" classes; trainer settings given: ")
                .append(trainerSettings.isEmpty() ? "none" : trainerSettings.toString())
                .append('\n');
        md.append(format("- Intervals: 95%% percentile bootstrap over images, %d resamples, fixed seed%n", resamples));
        md.append(format("- Running time: %.0f s%n%n", seconds));
        md.append("![mAP by checkpoint and by arrival window](").append(png).append(")\n\n");

        md.append("## Summary\n\n");
        md.append("Every labelled image, its first label (made as it arrived) and its latest label (end of run).\n\n");
        md.append("| labels | final mAP | global-only mAP |\n|---|---:|---:|\n");
        md.append(format("| first | %s | %s |%n", summary.firstFinal(), summary.firstGlobal()));
        md.append(format("| latest | %s | %s |%n", summary.latestFinal(), summary.latestGlobal()));
        md.append(format(
                "%nLatest - first: final %+.1f, global-only %+.1f; net (beyond the global-only scores' movement) %s "
                        + "on %d images.%n%n",
                summary.latestFinal().value() - summary.firstFinal().value(),
                summary.latestGlobal().value() - summary.firstGlobal().value(),
                summary.netGain(),
                summary.images()));

        md.append("## Labels by the checkpoint that made them\n\n");
        md.append("Per image, the last label each checkpoint version made; \"none\": before any checkpoint.\n\n");
        md.append("| checkpoint | images | final mAP | global-only mAP (same records) | crops' gain |\n");
        md.append("|---|---:|---:|---:|---:|\n");
        for (VersionRow row : byVersion) {
            md.append(format(
                    "| %s | %d | %s | %s | %s |%n",
                    version(row.version()), row.images(), row.finalMap(), row.global(), signed(row.cropGain())));
        }

        md.append("\n## By arrival window\n\n");
        md.append("| window | images sent | labelled | first label mAP | latest label mAP | latest - first "
                + "| latest global-only mAP |\n|---:|---|---:|---:|---:|---:|---:|\n");
        for (WindowRow row : windows) {
            md.append(format(
                    "| %d | %d-%d | %d | %s | %s | %s | %s |%n",
                    row.window(),
                    row.fromImage(),
                    row.toImage(),
                    row.images(),
                    row.firstFinal(),
                    row.latestFinal(),
                    signed(row.gain()),
                    row.latestGlobal()));
        }

        md.append("\n## Latest labels by checkpoint\n\n");
        md.append("Images grouped by the checkpoint that made their latest label; differences against the first "
                + "checkpoint's group (different images: no paired interval).\n\n");
        md.append("| checkpoint | images | final mAP | global-only mAP | final vs first | global-only vs first "
                + "| net |\n|---|---:|---:|---:|---:|---:|---:|\n");
        for (LatestRow row : latestByVersion) {
            md.append(format(
                    "| %s | %d | %s | %s | %s | %s | %s |%n",
                    version(row.version()),
                    row.images(),
                    row.finalMap(),
                    row.global(),
                    signed(row.finalVsFirst()),
                    signed(row.globalVsFirst()),
                    signed(row.netVsFirst())));
        }

        md.append("\n## Re-scoring\n\n");
        md.append(format(
                "- Old images re-scored: %d of the %d images first labelled by a checkpoint (%.1f%%) carry a label of a "
                        + "newer one%n",
                rescoring.rescored(), rescoring.labelledWithCheckpoint(), 100 * rescoring.rescoredShare()));
        md.append(format(
                "- Backfilled: %d images first labelled before any checkpoint carry a checkpoint's label%n",
                rescoring.backfilled()));
        md.append(format(
                "- Scores records with rescore=true: %d, of them %d re-scores with a better checkpoint (rescoredFrom "
                        + "set), the rest the backfill of images scored before any checkpoint%n",
                rescoring.rescoreRecords(), rescoring.betterCheckpointRescores()));
        md.append(format(
                "- Duplicates (an image scored twice with the same checkpoint version): %d%n%n",
                rescoring.duplicates()));

        md.append("## Checkpoints\n\n");
        md.append("| version | phase | created | trainer train-label mAP | trainer held-out signal | held-out slice "
                + "| true mAP (held-out, ground truth) | to first label s |\n");
        md.append("|---:|---|---|---:|---:|---:|---:|---:|\n");
        for (CheckpointRow row : checkpoints) {
            md.append(format(
                    "| %d | %s | %s | %.1f | %s | %d | %s | %s |%n",
                    row.version(),
                    row.phase(),
                    row.createdAt(),
                    row.trainLabelMap(),
                    number(row.heldOutMap(), "%.1f"),
                    row.heldOutImages(),
                    number(row.trueMap(), "%.1f"),
                    number(row.toFirstLabelSeconds(), "%.2f")));
        }
        md.append(format(
                "%nSpearman rank correlation with the true mAP across the checkpoints: held-out signal %s (%d "
                        + "checkpoints), train-label mAP %s (%d checkpoints). n/a: fewer than 3 checkpoints carry the "
                        + "signal, or it is constant.%n%n",
                number(correlation.heldOut(), "%.2f"),
                correlation.heldOutPoints(),
                number(correlation.trainLabel(), "%.2f"),
                correlation.trainLabelPoints()));

        md.append("## Latency\n\n");
        md.append(format(
                "- First label (image record timestamp to labeledAt): median %.2f s, p90 %.2f s, p99 %.2f s%n",
                latency.firstLabelMedian(), latency.firstLabelP90(), latency.firstLabelP99()));
        md.append(format(
                "- Checkpoint createdAt to the first label it made: median %s s, max %s s%n",
                number(latency.checkpointToLabelMedian(), "%.2f"), number(latency.checkpointToLabelMax(), "%.2f")));
        return md.toString();
    }

    private static String version(Long version) {
        return version == null ? "none" : "v" + version;
    }

    private static String signed(Interval interval) {
        return format("%+.1f [%+.1f, %+.1f]", interval.value(), interval.low(), interval.high());
    }

    private static String signed(Double value) {
        return value == null ? "-" : format("%+.1f", value);
    }

    private static String number(Double value, String pattern) {
        return value == null ? "n/a" : format(pattern, value);
    }

    private static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}
