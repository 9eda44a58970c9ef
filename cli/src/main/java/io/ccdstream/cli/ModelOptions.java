package io.ccdstream.cli;

import io.ccdstream.method.ccd.CamBoxConfig;
import io.ccdstream.method.ccd.ClassSelection;
import io.ccdstream.method.ccd.Debias;
import io.ccdstream.method.ccd.Mix;
import io.ccdstream.models.clip.ClassSet;
import io.ccdstream.models.clip.ClipModelDescriptor;
import io.ccdstream.models.clip.ClipModelException;
import io.ccdstream.method.image.ImageLimits;
import io.ccdstream.models.BundledModels;
import io.ccdstream.models.scoring.LocalViews;
import io.ccdstream.models.scoring.RefinementSettings;
import io.ccdstream.data.synth.SynthClass;
import io.ccdstream.streams.bias.BiasSettings;
import io.ccdstream.streams.pipeline.PipelineSettings;
import io.ccdstream.topics.ImageBytes;
import io.ccdstream.streams.scorer.ScorerSettings;
import io.ccdstream.streams.labeler.LabelerSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The CLIP model, class set and labelling parameters of a command. */
final class ModelOptions {

    @Option(names = "--clip-model", paramLabel = "DIR",
        description = "CLIP model directory (clip.json + TorchScript + tokenizer.json); default: the bundled model.")
    Path clipModel;

    @Option(names = "--classes", split = ",", paramLabel = "NAME[,NAME...]",
        description = "Class names to label; default: the 20 SynthScenes classes.")
    List<String> classes;

    @Option(names = "--floor", defaultValue = "" + Debias.DEFAULT_FLOOR,
        description = "Debias floor (default ${DEFAULT-VALUE}; about 1/80 for COCO-sized class sets).")
    float floor;

    @Option(names = "--alpha", defaultValue = "" + Mix.DEFAULT_ALPHA,
        description = "Weight of the global view in the final label (default ${DEFAULT-VALUE}).")
    float alpha;

    @Option(names = "--bias-window", defaultValue = "2000",
        description = "Images the bias estimate covers (default ${DEFAULT-VALUE}).")
    int biasWindow;

    @Option(names = "--bias-buckets", defaultValue = "10",
        description = "Buckets of the bias window; the bias is republished as each fills (default ${DEFAULT-VALUE}).")
    int biasBuckets;

    @Option(names = "--bias-min-samples", defaultValue = "200",
        description = "Low-entropy images needed before the first bias; until then no correction (default ${DEFAULT-VALUE}).")
    int biasMinSamples;

    @Option(names = "--entropy-threshold", defaultValue = "2.0",
        description = "Images above this entropy (nats) do not count towards the bias (default ${DEFAULT-VALUE}; the paper writes 0.5).")
    double entropyThreshold;

    @Option(names = "--relabel-min-change", defaultValue = "0.05",
        description = "Recompute labels when some class's bias moved by more than this (default ${DEFAULT-VALUE}).")
    float relabelMinChange;

    @Option(names = "--batch-size", defaultValue = "16",
        description = "Images the scorer scores together (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--selection-threshold", defaultValue = "0.5",
        description = "Classifier score from which a class gets a CAM crop (default ${DEFAULT-VALUE}).")
    float selectionThreshold;

    @Option(names = "--selection-mean-classes", split = ",", paramLabel = "LOW,HIGH",
        description = "Instead of a fixed threshold, calibrate it per scoring batch so that the mean number of "
            + "classes with a CAM crop per image lies in [LOW, HIGH] (the released script: 4,6).")
    List<Double> selectionMeanClasses;

    @Option(names = "--local-views", defaultValue = "CAM",
        description = "Local views that refine the global score: CAM (the classifier's CAM crops, CCD), GRID (a 3x3 "
            + "grid for every image, the CDUL baseline) or NONE (global view only) (default ${DEFAULT-VALUE}).")
    LocalViews localViews;

    @Option(names = "--no-debias", description = "Label with raw CLIP probabilities: no class-bias correction.")
    boolean noDebias;

    @Option(names = "--allow-file-root", paramLabel = "DIR",
        description = "Directory that file: claim checks may point into; repeatable. Default: none.")
    List<Path> allowedFileRoots = new ArrayList<>();

    @Option(names = "--allow-host", paramLabel = "HOST[:PORT]",
        description = "Host that http(s): claim checks may point to; repeatable. Default: none.")
    List<String> allowedHosts = new ArrayList<>();

    @Option(names = "--fetch-timeout", defaultValue = "PT10S",
        description = "Longest an http(s) claim-check fetch may take (default ${DEFAULT-VALUE}).")
    java.time.Duration fetchTimeout;

    /** The class selection: calibrated when a target mean is given, else the fixed threshold. */
    ClassSelection selection() {
        if (selectionMeanClasses == null || selectionMeanClasses.isEmpty()) {
            return new ClassSelection.Fixed(selectionThreshold);
        }
        if (selectionMeanClasses.size() != 2) {
            throw new IllegalArgumentException("--selection-mean-classes takes LOW,HIGH, got " + selectionMeanClasses);
        }
        return new ClassSelection.Calibrated(selectionMeanClasses.get(0), selectionMeanClasses.get(1));
    }

    /** Refuses --local-views and --no-debias for a command that sets them itself. */
    void refuseLabellingSwitches(String command) {
        if (localViews != LocalViews.CAM || noDebias) {
            throw new IllegalArgumentException("--local-views and --no-debias do not apply to " + command);
        }
    }

    /** The model directory: the given one, or the bundled model extracted under {@code workDir}. */
    Path modelDir(Path workDir) {
        return clipModel != null ? clipModel : BundledModels.extract(BundledModels.DEFAULT, workDir.resolve("models"));
    }

    /** The settings of the services, with the model resolved under {@code workDir}. */
    PipelineSettings settings(Path workDir) throws ClipModelException {
        Path dir = modelDir(workDir);
        ClipModelDescriptor descriptor = ClipModelDescriptor.read(dir);
        List<String> names = classes == null || classes.isEmpty() ? SynthClass.names() : classes;
        ClassSet classSet = ClassSet.of(descriptor.modelId(), names, List.of(descriptor.promptTemplate()));
        return new PipelineSettings(dir, classSet, new Debias(floor).floor(), new Mix(alpha).alpha(),
            new ImageBytes(allowedFileRoots, allowedHosts, ImageLimits.DEFAULT_MAX_ENCODED_BYTES, fetchTimeout),
            new BiasSettings(biasWindow, biasBuckets, biasMinSamples, entropyThreshold),
            new LabelerSettings(LabelerSettings.DEFAULTS.relabelInterval(), relabelMinChange, !noDebias),
            new ScorerSettings(batchSize, ScorerSettings.DEFAULTS.maxWait(), ScorerSettings.DEFAULTS.backfillInterval()),
            new RefinementSettings(selection(), CamBoxConfig.DEFAULTS, true, localViews));
    }
}
