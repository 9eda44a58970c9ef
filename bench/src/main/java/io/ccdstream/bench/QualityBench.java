package io.ccdstream.bench;

import io.ccdstream.data.datasets.Dataset;
import io.ccdstream.data.datasets.Datasets;
import io.ccdstream.data.datasets.Split;
import io.ccdstream.data.synth.SynthClass;
import io.ccdstream.data.synth.SynthWorld;
import io.ccdstream.method.ccd.ClassSelection;
import io.ccdstream.models.clip.ClassSet;
import io.ccdstream.models.clip.ClipModelDescriptor;
import io.ccdstream.streams.pipeline.PipelineConfig;
import io.ccdstream.streams.pipeline.PipelineSettings;
import io.ccdstream.trainer.TrainerConfig;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The quality ablation (the paper's Table 2) through the real pipeline: each configuration on a
 * fresh embedded cluster, the same training schedule, the classifier evaluated on held-out images.
 */
public final class QualityBench {

    /**
     * What to run.
     *
     * @param rows            configurations, in order
     * @param synth           SynthScenes (true) or a dataset on disk
     * @param dataset         dataset name (voc2007, voc2012, coco2014) when not SynthScenes
     * @param root            the dataset's folder
     * @param trainSplit      training split, null for the dataset's default
     * @param heldOutSplit    held-out split, null for the dataset's default
     * @param trainImages     training images (0: whole split for a dataset)
     * @param heldOutImages   held-out images (0: whole split for a dataset)
     * @param imageSize       SynthScenes image side
     * @param world           SynthScenes world (ignored for a dataset)
     * @param classifierInput classifier input side, null for the default
     * @param seed            SynthScenes seed and sampling seed
     * @param rowTimeout      longest a row waits for its labels, then for its checkpoint
     * @param pipeline        the labelling settings
     * @param trainerSettings trainer settings every row shares
     * @param commandLine     the command line, for the report
     */
    public record Settings(
            List<Ablation> rows,
            boolean synth,
            String dataset,
            Path root,
            String trainSplit,
            String heldOutSplit,
            int trainImages,
            int heldOutImages,
            int imageSize,
            SynthWorld world,
            Integer classifierInput,
            long seed,
            Duration rowTimeout,
            PipelineConfig pipeline,
            Map<String, Object> trainerSettings,
            String commandLine) {}

    private final Settings bench;
    private final PrintStream out;

    /** A benchmark of {@code settings} printing its progress to {@code out}. */
    public QualityBench(Settings settings, PrintStream out) {
        this.bench = settings;
        this.out = out;
    }

    /**
     * Runs every configuration and returns the report.
     *
     * @param workDir models, brokers and state; null for a temporary directory, deleted at the end
     */
    public QualityReport run(Path workDir) throws Exception {
        Path work = workDir != null ? workDir : Files.createTempDirectory("ccd-bench-quality-");
        try {
            return runIn(work);
        } finally {
            if (workDir == null) {
                WorkDirs.deleteTree(work);
            }
        }
    }

    private QualityReport runIn(Path work) throws Exception {
        List<Ablation> configurations = bench.rows();
        boolean synth = bench.synth();
        Instant date = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        long started = System.nanoTime();
        PipelineSettings settings = bench.pipeline().settings(work, SynthClass.names());
        BenchImages images;
        if (synth) {
            images = BenchImages.synthScenes(
                    bench.seed(), bench.world(), bench.imageSize(), bench.trainImages(), bench.heldOutImages());
        } else {
            if (bench.root() == null) {
                throw new IllegalArgumentException("--dataset " + bench.dataset() + " needs --root DIR");
            }
            Dataset data = Datasets.open(bench.dataset(), bench.root());
            boolean voc2007 = data.name().equals("voc2007");
            images = BenchImages.dataset(
                    data,
                    Split.of(bench.trainSplit() != null ? bench.trainSplit() : voc2007 ? "trainval" : "train"),
                    Split.of(bench.heldOutSplit() != null ? bench.heldOutSplit() : voc2007 ? "test" : "val"),
                    bench.trainImages(),
                    bench.heldOutImages(),
                    bench.seed());
            ClipModelDescriptor descriptor = ClipModelDescriptor.read(settings.modelDir());
            settings = settings.withClassSet(
                    ClassSet.of(descriptor.modelId(), data.classNames(), List.of(descriptor.promptTemplate())));
        }
        if (images.train().isEmpty() || images.heldOut().isEmpty()) {
            throw new IllegalArgumentException("no images: " + images.train().size() + " training, "
                    + images.heldOut().size() + " held-out");
        }
        int input = bench.classifierInput() != null ? bench.classifierInput() : synth ? bench.imageSize() : 224;
        Map<String, Object> shared = new TreeMap<>();
        shared.put(TrainerConfig.INPUT_SIZE, input);
        shared.put(TrainerConfig.SEED, bench.seed());
        shared.putAll(bench.trainerSettings());
        out.printf(
                Locale.ROOT,
                "Quality benchmark: %s, %d training and %d held-out images, CLIP %s, %d classes, "
                        + "classifier input %d px, %d configurations, %s%n",
                images.name(),
                images.train().size(),
                images.heldOut().size(),
                settings.classSet().modelId(),
                settings.classSet().size(),
                input,
                configurations.size(),
                QualityReport.Machine.current());
        QualityRun runner = new QualityRun(images, settings, shared, bench.rowTimeout(), out);
        List<QualityReport.Row> results = new ArrayList<>();
        for (Ablation row : configurations) {
            out.printf("%s (%s) ...%n", row.title(), row.id());
            QualityReport.Row result = runner.run(row, work.resolve("rows").resolve(row.id()));
            out.printf(
                    Locale.ROOT,
                    "%s: train-label mAP %.1f, held-out mAP %.1f, %.2f CLIP inferences/image, %.0f s%n",
                    row.id(),
                    result.trainLabelMap(),
                    result.heldOutMap(),
                    result.clipInferencesPerImage(),
                    result.seconds());
            CamLocalisation cam = result.camLocalisation();
            if (cam != null) {
                out.printf(
                        Locale.ROOT,
                        "%s: %d CAM crops (%.2f / image), %.0f%% on a ground-truth box of their class "
                                + "(IoU >= %.1f), %.0f%% hold its centre, mean best IoU %.2f%n",
                        row.id(),
                        cam.crops(),
                        cam.cropsPerImage(),
                        100 * cam.overlapShare(),
                        CamLocalisation.IOU_THRESHOLD,
                        100 * cam.centreShare(),
                        cam.meanBestIou());
            }
            results.add(result);
        }
        Map<String, String> sharedText = new LinkedHashMap<>();
        shared.forEach((k, v) -> sharedText.put(k, String.valueOf(v)));
        String labelling = String.format(
                Locale.ROOT,
                "crop selection %s, alpha %.2f (grid row %.2f), floor %.3f (%s), bias "
                        + "window = the %d training images, entropy threshold %.1f",
                selection(settings),
                settings.alpha(),
                Ablation.GRID_ALPHA,
                settings.floor(),
                settings.floorMode(),
                images.train().size(),
                settings.bias().entropyThreshold());
        return new QualityReport(
                bench.commandLine(),
                date.toString(),
                QualityReport.Machine.current(),
                images.name(),
                synth ? bench.world().id() : null,
                settings.classSet().modelId(),
                settings.classSet().classNames(),
                images.train().size(),
                images.heldOut().size(),
                labelling,
                sharedText,
                results,
                (System.nanoTime() - started) / 1e9);
    }

    private static String selection(PipelineSettings settings) {
        ClassSelection selection = settings.refinement().selection();
        if (selection instanceof ClassSelection.Calibrated calibrated) {
            return String.format(
                    Locale.ROOT,
                    "calibrated to %.1f-%.1f classes per image %s",
                    calibrated.targetLow(),
                    calibrated.targetHigh(),
                    calibrated.window() == 0
                            ? "per scoring batch"
                            : "over the last " + calibrated.window() + " images");
        }
        return "threshold " + ((ClassSelection.Fixed) selection).threshold();
    }
}
