package io.ccdstream.cli;

import io.ccdstream.bench.Ablation;
import io.ccdstream.bench.QualityBench;
import io.ccdstream.bench.QualityReport;
import io.ccdstream.data.synth.SynthWorld;
import io.ccdstream.models.scoring.LocalViews;
import io.ccdstream.streams.pipeline.PipelineConfig;
import io.ccdstream.trainer.TrainerConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The paper's ablation through the real pipeline: for each configuration a fresh embedded broker
 * and registry, scorer, bias and labeler services, and the trainer; the training images go in, the
 * refinement round's checkpoint comes out and is evaluated on held-out images against ground truth.
 */
@Command(
        name = "quality",
        mixinStandardHelpOptions = true,
        description = {
            "The paper's ablation (its Table 2) through the real pipeline: one row per configuration "
                    + "(global labels only; + label update; + update + debias; + update + consistency; all three; CDUL 3x3 "
                    + "grid). Each row runs broker, registry, scorer, bias, labeler and trainer on the training images, then "
                    + "evaluates the trainer's refinement checkpoint on held-out images.",
            "Prints and writes (quality.json, quality.md under --out) the mAP of the training labels, the held-out "
                    + "classifier mAP and the mean CLIP inferences per image, per-class AP and the bias vectors, and for the "
                    + "CAM rows how the crops overlap the ground-truth boxes of their class. The bias window covers the "
                    + "training images.",
            "Default: SynthScenes (--world small-objects or voc-like) with the bundled CLIP model. With --dataset voc2007|voc2012|coco2014 --root DIR "
                    + "--clip-model DIR it runs on a dataset on disk."
        })
final class QualityCommand implements Callable<Integer> {

    @Option(
            names = "--quick",
            description = "CI-sized: 24 training and 16 held-out images of 48 px, refinement of at "
                    + "most 2 epochs. Checks the wiring; the figures mean little.")
    boolean quick;

    @Option(
            names = "--rows",
            split = ",",
            paramLabel = "ROW[,ROW...]",
            description =
                    "Configurations to run, in order: global, update, update-debias, update-consistency, ccd, grid "
                            + "(default: all).")
    List<String> rows;

    @Option(
            names = "--train-images",
            defaultValue = "2000",
            description = "Training images sent through the pipeline; with --dataset, 0 takes the whole split "
                    + "(default ${DEFAULT-VALUE}).")
    int trainImages;

    @Option(
            names = "--held-out-images",
            defaultValue = "1000",
            description = "Held-out images the classifiers are evaluated on; with --dataset, 0 takes the whole split "
                    + "(default ${DEFAULT-VALUE}).")
    int heldOutImages;

    @Option(
            names = "--image-size",
            defaultValue = "96",
            description = "SynthScenes image side (default ${DEFAULT-VALUE}).")
    int imageSize;

    @Option(
            names = "--world",
            defaultValue = "small-objects",
            converter = SynthWorldConverter.class,
            description = "SynthScenes world: small-objects (many small objects, one colour per class) or "
                    + "voc-like (PASCAL VOC object scales, colours shared across classes) (default ${DEFAULT-VALUE}).")
    SynthWorld world;

    @Option(
            names = "--classifier-input",
            description = "Classifier input side; default the SynthScenes image side, " + "224 with --dataset.")
    Integer classifierInput;

    @Option(
            names = "--seed",
            defaultValue = "1",
            description = "SynthScenes seed of the training images (held-out: "
                    + "seed + 1), seed of the trainer and of the dataset sample (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--dataset",
            defaultValue = "synthscenes",
            description = "synthscenes, voc2007, voc2012 or coco2014 (default ${DEFAULT-VALUE}).")
    String dataset;

    @Option(
            names = "--root",
            paramLabel = "DIR",
            description = "The dataset's folder (VOCdevkit, VOC20xx or the COCO " + "folder); required with --dataset.")
    Path root;

    @Option(names = "--train-split", description = "Training split; default trainval for voc2007, train otherwise.")
    String trainSplit;

    @Option(names = "--held-out-split", description = "Held-out split; default test for voc2007, val otherwise.")
    String heldOutSplit;

    @Option(
            names = "--row-timeout",
            defaultValue = "PT30M",
            description =
                    "Longest a row waits for its labels, then for its refinement checkpoint (default ${DEFAULT-VALUE}).")
    Duration rowTimeout;

    @Option(
            names = "--out",
            defaultValue = "ccd-bench-quality",
            description = "Where quality.json and quality.md are written (default ${DEFAULT-VALUE}).")
    Path outDir;

    @Option(
            names = "--work-dir",
            description = "Model, brokers and state; default a temporary directory, deleted at " + "the end.")
    Path workDir;

    @Mixin
    ConfigOptions configOptions;

    @Mixin
    ClipModelOptions model;

    @Mixin
    LabellingOptions labelling;

    @Spec
    CommandSpec spec;

    private final PrintStream out = System.out;
    private PipelineConfig pipeline;
    private Map<String, Object> trainerSettings;

    @Override
    public Integer call() throws Exception {
        CommandSettings given = configOptions.settings();
        model.addTo(given);
        labelling.addTo(given);
        pipeline = given.pipeline();
        if (pipeline.localViews() != LocalViews.CAM || !pipeline.labeler().debias()) {
            throw new IllegalArgumentException("--local-views and --no-debias (" + PipelineConfig.SCORER_LOCAL_VIEWS
                    + ", " + PipelineConfig.LABELER_DEBIAS
                    + ") do not apply to bench quality (each configuration sets them)");
        }
        if (given.has(PipelineConfig.CLASSES)) {
            throw new IllegalArgumentException(
                    PipelineConfig.CLASSES + " does not apply to bench quality: the images name their classes");
        }
        // the trainer settings every row shares
        trainerSettings = given.trainerSettings();
        List<Ablation> configurations = rows == null || rows.isEmpty()
                ? List.of(Ablation.values())
                : rows.stream().map(Ablation::of).toList();
        if (quick) {
            trainImages = Math.min(trainImages, 24);
            heldOutImages = Math.min(heldOutImages, 16);
            imageSize = Math.min(imageSize, 48);
            trainerSettings.putIfAbsent(TrainerConfig.REFINE_MAX_EPOCHS, "2");
        }
        boolean synth = dataset.equalsIgnoreCase("synthscenes");
        if (synth && (trainImages < 1 || heldOutImages < 1)) {
            throw new IllegalArgumentException("--train-images and --held-out-images must be positive for SynthScenes");
        }
        if (trainImages < 0 || heldOutImages < 0) {
            throw new IllegalArgumentException("--train-images and --held-out-images must not be negative");
        }
        QualityReport report = new QualityBench(
                        new QualityBench.Settings(
                                configurations,
                                synth,
                                dataset,
                                root,
                                trainSplit,
                                heldOutSplit,
                                trainImages,
                                heldOutImages,
                                imageSize,
                                world,
                                classifierInput,
                                seed,
                                rowTimeout,
                                pipeline,
                                trainerSettings,
                                commandLine()),
                        out)
                .run(workDir);
        out.println();
        out.print(report.markdown());
        for (Path file : report.write(outDir)) {
            out.println("Wrote " + file.toAbsolutePath());
        }
        return 0;
    }

    private String commandLine() {
        // the arguments as given to ccd, e.g. [bench, quality, --quick]
        List<String> args = spec == null
                ? List.of("bench", "quality")
                : spec.commandLine().getParseResult().originalArgs();
        return "ccd " + String.join(" ", args);
    }
}
