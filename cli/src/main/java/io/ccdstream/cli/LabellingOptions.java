package io.ccdstream.cli;

import static io.ccdstream.streams.pipeline.PipelineConfig.ALPHA;
import static io.ccdstream.streams.pipeline.PipelineConfig.BIAS_BUCKETS;
import static io.ccdstream.streams.pipeline.PipelineConfig.BIAS_ENTROPY_THRESHOLD;
import static io.ccdstream.streams.pipeline.PipelineConfig.BIAS_MIN_SAMPLES;
import static io.ccdstream.streams.pipeline.PipelineConfig.BIAS_WINDOW;
import static io.ccdstream.streams.pipeline.PipelineConfig.DEBIAS_FLOOR;
import static io.ccdstream.streams.pipeline.PipelineConfig.DEBIAS_FLOOR_MODE;
import static io.ccdstream.streams.pipeline.PipelineConfig.LABELER_DEBIAS;
import static io.ccdstream.streams.pipeline.PipelineConfig.LABELER_NONE_THRESHOLD;
import static io.ccdstream.streams.pipeline.PipelineConfig.LABELER_RELABEL_MIN_CHANGE;
import static io.ccdstream.streams.pipeline.PipelineConfig.SCORER_BATCH_SIZE;
import static io.ccdstream.streams.pipeline.PipelineConfig.SCORER_CAM_OFFSET;
import static io.ccdstream.streams.pipeline.PipelineConfig.SCORER_CAM_REGIONS;
import static io.ccdstream.streams.pipeline.PipelineConfig.SCORER_LOCAL_VIEWS;
import static io.ccdstream.streams.pipeline.PipelineConfig.SCORER_SELECTION_MEAN_CLASSES;
import static io.ccdstream.streams.pipeline.PipelineConfig.SCORER_SELECTION_THRESHOLD;
import static io.ccdstream.streams.pipeline.PipelineConfig.SCORER_SELECTION_WINDOW;

import io.ccdstream.method.ccd.FloorMode;
import io.ccdstream.models.scoring.LocalViews;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The labelling parameters of the scorer, bias and labeler: shortcuts for the most used
 * {@code ccd.*} settings ({@link io.ccdstream.streams.pipeline.PipelineConfig}). An option not
 * given leaves its setting to the command's settings, or to the default.
 */
final class LabellingOptions {

    @Option(
            names = "--floor",
            paramLabel = "FLOOR",
            description = "Debias floor; about 1/80 for COCO-sized class sets (" + DEBIAS_FLOOR + ", default 0.05).")
    Float floor;

    @Option(
            names = "--floor-mode",
            paramLabel = "MODE",
            description = "CLAMP (the paper: scores below the floor and above the bias tie) or RANK (keeps every raw"
                    + " score's order within a class) (" + DEBIAS_FLOOR_MODE + ", default RANK).")
    FloorMode floorMode;

    @Option(
            names = "--alpha",
            paramLabel = "ALPHA",
            description = "Weight of the global view in the final label (" + ALPHA + ", default 0.4).")
    Float alpha;

    @Option(
            names = "--bias-window",
            paramLabel = "IMAGES",
            description = "Images the bias estimate covers (" + BIAS_WINDOW + ", default 2000).")
    Integer biasWindow;

    @Option(
            names = "--bias-buckets",
            paramLabel = "N",
            description = "Buckets of the bias window; the bias is republished as each fills (" + BIAS_BUCKETS
                    + ", default 10).")
    Integer biasBuckets;

    @Option(
            names = "--bias-min-samples",
            paramLabel = "IMAGES",
            description = "Low-entropy images needed before the first bias; until then no correction ("
                    + BIAS_MIN_SAMPLES + ", default 200).")
    Integer biasMinSamples;

    @Option(
            names = "--entropy-threshold",
            paramLabel = "NATS",
            description = "Images above this entropy (nats) do not count towards the bias; the paper writes 0.5 ("
                    + BIAS_ENTROPY_THRESHOLD + ", default 2.0).")
    Double entropyThreshold;

    @Option(
            names = "--relabel-min-change",
            paramLabel = "CHANGE",
            description = "Recompute labels when some class's bias moved by more than this ("
                    + LABELER_RELABEL_MIN_CHANGE + ", default 0.05).")
    Float relabelMinChange;

    @Option(
            names = "--none-threshold",
            paramLabel = "SCORE",
            description = "Label an image none (no class of the set; not trained on) when its highest debiased global"
                    + " score is below this; 0.0: no detection (" + LABELER_NONE_THRESHOLD + ", default 0.0).")
    Float noneThreshold;

    @Option(
            names = "--batch-size",
            paramLabel = "IMAGES",
            description = "Images the scorer scores together (" + SCORER_BATCH_SIZE + ", default 16).")
    Integer batchSize;

    @Option(
            names = "--selection-threshold",
            paramLabel = "SCORE",
            description = "A fixed classifier score from which a class gets a CAM crop, instead of the calibrated"
                    + " selection (" + SCORER_SELECTION_THRESHOLD + " with " + SCORER_SELECTION_MEAN_CLASSES
                    + " empty; the paper's t: 0.5).")
    Float selectionThreshold;

    @Option(
            names = "--selection-mean-classes",
            split = ",",
            paramLabel = "LOW,HIGH",
            description = "Instead of a fixed threshold, calibrate it so that the mean number of "
                    + "classes with a CAM crop per image lies in [LOW, HIGH] (over --selection-window recent images);"
                    + " the released script: 4,6 ("
                    + SCORER_SELECTION_MEAN_CLASSES + ", default 3,5).")
    List<Double> selectionMeanClasses;

    @Option(
            names = "--selection-window",
            paramLabel = "IMAGES",
            description = "With --selection-mean-classes: calibrate over the classifier scores of this many recent"
                    + " images; 0: each scoring batch alone (" + SCORER_SELECTION_WINDOW + ", default 256).")
    Integer selectionWindow;

    @Option(
            names = "--cam-regions",
            paramLabel = "N",
            description = "Boxes per selected class: 1 covers all activated CAM pixels (the paper), N > 1 one box per"
                    + " separate activated region, the N largest (" + SCORER_CAM_REGIONS + ", default 1).")
    Integer camRegions;

    @Option(
            names = "--crop-offset",
            paramLabel = "SHARE",
            description = "Margin on every side of a CAM box as a share of the view's side; 80 px at 640 px is 0.125 ("
                    + SCORER_CAM_OFFSET + ", default 0.125).")
    Float cropOffset;

    @Option(
            names = "--local-views",
            paramLabel = "VIEWS",
            description =
                    "Local views that refine the global score: CAM (the classifier's CAM crops, CCD), GRID (a 3x3 "
                            + "grid for every image, the CDUL baseline) or NONE (global view only) ("
                            + SCORER_LOCAL_VIEWS
                            + ", default CAM).")
    LocalViews localViews;

    @Option(
            names = "--no-debias",
            description = "Label with raw CLIP probabilities: no class-bias correction (" + LABELER_DEBIAS + "=false).")
    boolean noDebias;

    /** Adds the options given to {@code settings}. */
    void addTo(CommandSettings settings) {
        putDecimal(settings, DEBIAS_FLOOR, floor, "--floor");
        put(settings, DEBIAS_FLOOR_MODE, floorMode == null ? null : floorMode.name(), "--floor-mode");
        putDecimal(settings, ALPHA, alpha, "--alpha");
        put(settings, BIAS_WINDOW, biasWindow, "--bias-window");
        put(settings, BIAS_BUCKETS, biasBuckets, "--bias-buckets");
        put(settings, BIAS_MIN_SAMPLES, biasMinSamples, "--bias-min-samples");
        put(settings, BIAS_ENTROPY_THRESHOLD, entropyThreshold, "--entropy-threshold");
        putDecimal(settings, LABELER_RELABEL_MIN_CHANGE, relabelMinChange, "--relabel-min-change");
        putDecimal(settings, LABELER_NONE_THRESHOLD, noneThreshold, "--none-threshold");
        put(settings, SCORER_BATCH_SIZE, batchSize, "--batch-size");
        boolean meanClassesGiven = selectionMeanClasses != null && !selectionMeanClasses.isEmpty();
        if (selectionThreshold != null && meanClassesGiven) {
            throw new IllegalArgumentException(
                    "--selection-threshold and --selection-mean-classes exclude each other: a fixed threshold or a"
                            + " calibrated one");
        }
        putDecimal(settings, SCORER_SELECTION_THRESHOLD, selectionThreshold, "--selection-threshold");
        if (selectionThreshold != null) {
            // a fixed threshold replaces the default calibrated selection
            settings.put(SCORER_SELECTION_MEAN_CLASSES, List.of(), "--selection-threshold");
        }
        if (meanClassesGiven) {
            settings.put(
                    SCORER_SELECTION_MEAN_CLASSES,
                    selectionMeanClasses.stream().map(String::valueOf).toList(),
                    "--selection-mean-classes");
        }
        put(settings, SCORER_SELECTION_WINDOW, selectionWindow, "--selection-window");
        put(settings, SCORER_CAM_REGIONS, camRegions, "--cam-regions");
        putDecimal(settings, SCORER_CAM_OFFSET, cropOffset, "--crop-offset");
        put(settings, SCORER_LOCAL_VIEWS, localViews == null ? null : localViews.name(), "--local-views");
        if (noDebias) {
            settings.put(LABELER_DEBIAS, false, "--no-debias");
        }
    }

    private static void put(CommandSettings settings, String key, Object value, String option) {
        if (value != null) {
            settings.put(key, value, option);
        }
    }

    /** A float as the decimal it was written as, which the double setting reads back as the same float. */
    private static void putDecimal(CommandSettings settings, String key, Float value, String option) {
        put(settings, key, value == null ? null : Float.toString(value), option);
    }
}
