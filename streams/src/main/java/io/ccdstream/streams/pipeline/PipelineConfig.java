package io.ccdstream.streams.pipeline;

import io.ccdstream.data.ontology.Ontology;
import io.ccdstream.method.ccd.CamBoxConfig;
import io.ccdstream.method.ccd.ClassSelection;
import io.ccdstream.method.ccd.Debias;
import io.ccdstream.method.ccd.FloorMode;
import io.ccdstream.method.ccd.Mix;
import io.ccdstream.method.image.ImageLimits;
import io.ccdstream.models.BundledModels;
import io.ccdstream.models.clip.ClassSet;
import io.ccdstream.models.clip.ClipModelDescriptor;
import io.ccdstream.models.clip.ClipModelException;
import io.ccdstream.models.scoring.LocalViews;
import io.ccdstream.models.scoring.RefinementSettings;
import io.ccdstream.streams.alerts.DriftSettings;
import io.ccdstream.streams.bias.BiasSettings;
import io.ccdstream.streams.labeler.LabelerSettings;
import io.ccdstream.streams.scorer.BatchingSettings;
import io.ccdstream.streams.scorer.RescoreSettings;
import io.ccdstream.streams.scorer.ScorerSettings;
import io.ccdstream.streams.shadow.PromotionRule;
import io.ccdstream.streams.shadow.RolloutMode;
import io.ccdstream.streams.shadow.ShadowSettings;
import io.ccdstream.topics.ClaimCheckKeys;
import io.ccdstream.topics.ImageBytes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * The labelling settings of the scorer, bias and labeler services: the CLIP model, the class set,
 * the debias floor and the global view's weight, the bias window, when labels are recomputed, how
 * the scorer batches and selects its crops, and where claim-checked images may be fetched from.
 * {@link #settings(Path, List)} turns them into the {@link PipelineSettings} of {@link Pipeline}.
 *
 * <p>Every key has a default (ALGORITHM.md's numbers), so an empty map is valid. Cross-key rules
 * (buckets within the window, a selection target of two numbers) are checked on construction.
 */
public final class PipelineConfig extends AbstractConfig {

    public static final String CLIP_MODEL_DIR = "ccd.clip.model.dir";
    public static final String CLASSES = "ccd.classes";
    public static final String ONTOLOGY_FILE = "ccd.ontology.file";
    public static final String DEBIAS_FLOOR = "ccd.debias.floor";
    public static final String DEBIAS_FLOOR_MODE = "ccd.debias.floor.mode";
    public static final String ALPHA = "ccd.alpha";
    public static final String BIAS_WINDOW = "ccd.bias.window";
    public static final String BIAS_BUCKETS = "ccd.bias.buckets";
    public static final String BIAS_MIN_SAMPLES = "ccd.bias.min.samples";
    public static final String BIAS_ENTROPY_THRESHOLD = "ccd.bias.entropy.threshold";
    public static final String LABELER_DEBIAS = "ccd.labeler.debias";
    public static final String LABELER_RELABEL_MIN_CHANGE = "ccd.labeler.relabel.min.change";
    public static final String LABELER_RELABEL_INTERVAL_MS = "ccd.labeler.relabel.interval.ms";
    public static final String LABELER_RELABEL_BATCH_SIZE = "ccd.labeler.relabel.batch.size";
    public static final String LABELER_RELABEL_SETTLE_MS = "ccd.labeler.relabel.settle.ms";
    public static final String LABELER_NONE_THRESHOLD = "ccd.labeler.none.threshold";
    public static final String SCORER_BATCH_SIZE = "ccd.scorer.batch.size";
    public static final String SCORER_MAX_WAIT_MS = "ccd.scorer.max.wait.ms";
    public static final String SCORER_BATCH_MIN = "ccd.scorer.batch.min";
    public static final String SCORER_BATCH_MAX_TIME_MS = "ccd.scorer.batch.max.time.ms";
    public static final String SCORER_MAX_BLOCK_MS = "ccd.scorer.max.block.ms";
    public static final String SCORER_MODEL_CONCURRENCY = "ccd.scorer.model.concurrency";
    public static final String SCORER_BACKFILL_INTERVAL_MS = "ccd.scorer.backfill.interval.ms";
    public static final String SCORER_RESCORE_ENABLED = "ccd.scorer.rescore.enabled";
    public static final String SCORER_RESCORE_CAPACITY = "ccd.scorer.rescore.capacity";
    public static final String SCORER_RESCORE_SHARE = "ccd.scorer.rescore.share";
    public static final String SCORER_RESCORE_MIN_GAIN = "ccd.scorer.rescore.min.heldout.gain";
    public static final String SCORER_SELECTION_THRESHOLD = "ccd.scorer.selection.threshold";
    public static final String SCORER_SELECTION_MEAN_CLASSES = "ccd.scorer.selection.mean.classes";
    public static final String SCORER_SELECTION_WINDOW = "ccd.scorer.selection.window";
    public static final String SCORER_CAM_REGIONS = "ccd.scorer.cam.regions";
    public static final String SCORER_CAM_OFFSET = "ccd.scorer.cam.offset";
    public static final String SCORER_LOCAL_VIEWS = "ccd.scorer.local.views";
    public static final String SCORER_IMAGE_MAX_PIXELS = "ccd.scorer.image.max.pixels";
    public static final String SCORER_IMAGE_MAX_SIDE = "ccd.scorer.image.max.side";
    public static final String SCORER_DECODE_BUDGET_PIXELS = "ccd.scorer.decode.budget.pixels";
    /** The claim-check keys, under {@code ccd.claim.check.}. */
    public static final ClaimCheckKeys CLAIM_CHECKS = new ClaimCheckKeys("ccd.");

    public static final String ROLLOUT_MODE = "ccd.rollout.mode";
    public static final String SHADOW_SAMPLE_RATE = "ccd.shadow.sample.rate";
    public static final String SHADOW_SAMPLE_SIZE = "ccd.shadow.sample.size";
    public static final String SHADOW_MIN_SAMPLE = "ccd.shadow.min.sample";
    public static final String ROLLOUT_HELDOUT_TOLERANCE = "ccd.rollout.heldout.tolerance";
    public static final String ROLLOUT_MIN_SELECTING_SHARE = "ccd.rollout.min.selecting.share";
    public static final String ROLLOUT_MIN_CROP_AGREEMENT = "ccd.rollout.min.crop.agreement";
    public static final String ROLLOUT_CROP_AGREEMENT_TOLERANCE = "ccd.rollout.crop.agreement.tolerance";
    public static final String ROLLOUT_MAX_SELECTION_SHIFT = "ccd.rollout.max.selection.shift";
    public static final String ALERTS_WINDOW = "ccd.alerts.window";
    public static final String ALERTS_HISTORY = "ccd.alerts.history";
    public static final String ALERTS_DISTRIBUTION_THRESHOLD = "ccd.alerts.distribution.threshold";
    public static final String ALERTS_CONFIDENCE_THRESHOLD = "ccd.alerts.confidence.threshold";
    public static final String ALERTS_BIAS_THRESHOLD = "ccd.alerts.bias.threshold";
    public static final String ALERTS_DEAD_LETTER_THRESHOLD = "ccd.alerts.dead.letter.threshold";
    public static final String CLAIM_CHECK_ALLOWED_ROOTS = "ccd.claim.check.allowed.roots";
    public static final String CLAIM_CHECK_ALLOWED_HOSTS = "ccd.claim.check.allowed.hosts";
    public static final String CLAIM_CHECK_MAX_BYTES = "ccd.claim.check.max.bytes";
    public static final String CLAIM_CHECK_TIMEOUT_MS = "ccd.claim.check.timeout.ms";

    private static final ConfigDef DEFINITION = CLAIM_CHECKS.define(new ConfigDef()
            .define(
                    CLIP_MODEL_DIR,
                    Type.STRING,
                    "",
                    Importance.HIGH,
                    "CLIP model directory (clip.json + TorchScript + tokenizer.json); empty: the bundled "
                            + BundledModels.DEFAULT + ", extracted under the command's work directory.")
            .define(
                    CLASSES,
                    Type.LIST,
                    "",
                    Importance.HIGH,
                    "Class names to label, in score order; empty: the 20 SynthScenes classes. Scorer, labeler and trainer"
                            + " must agree: the class set's id is derived from the model and the names.")
            .define(
                    ONTOLOGY_FILE,
                    Type.STRING,
                    "",
                    Importance.HIGH,
                    "Ontology file (YAML or JSON): class names, per class its own prompts and a threshold, shared"
                            + " templates; replaces " + CLASSES + " (give one of the two). The class set's id covers"
                            + " all of it.")
            .define(
                    DEBIAS_FLOOR,
                    Type.DOUBLE,
                    decimal(Debias.DEFAULT_FLOOR),
                    Range.between(0.0, 1.0),
                    Importance.MEDIUM,
                    "Debias floor in [0, 1) (ALGORITHM.md section 2; about 1/80 for COCO-sized class sets).")
            .define(
                    DEBIAS_FLOOR_MODE,
                    Type.STRING,
                    FloorMode.RANK.name(),
                    ConfigDef.CaseInsensitiveValidString.in(
                            Arrays.stream(FloorMode.values()).map(Enum::name).toArray(String[]::new)),
                    Importance.MEDIUM,
                    "CLAMP: the paper's clamp(max(p, floor) / bias, 0, 1), which ties every score below the floor and"
                            + " above the bias; RANK: (floor + (1 - floor) p) / bias with a soft clamp towards 1, which"
                            + " keeps every raw score's order within a class.")
            .define(
                    ALPHA,
                    Type.DOUBLE,
                    decimal(Mix.DEFAULT_ALPHA),
                    Range.between(0.0, 1.0),
                    Importance.MEDIUM,
                    "Weight of the global view in the final label (section 4).")
            .define(
                    BIAS_WINDOW,
                    Type.INT,
                    BiasSettings.DEFAULTS.windowSize(),
                    Range.atLeast(1),
                    Importance.MEDIUM,
                    "Images the bias estimate covers.")
            .define(
                    BIAS_BUCKETS,
                    Type.INT,
                    BiasSettings.DEFAULTS.buckets(),
                    Range.atLeast(1),
                    Importance.LOW,
                    "Buckets of the bias window, at most " + BIAS_WINDOW + "; the bias is republished as each fills.")
            .define(
                    BIAS_MIN_SAMPLES,
                    Type.INT,
                    BiasSettings.DEFAULTS.minSamples(),
                    Range.atLeast(1),
                    Importance.MEDIUM,
                    "Low-entropy images needed before the first bias; until then labels get no correction.")
            .define(
                    BIAS_ENTROPY_THRESHOLD,
                    Type.DOUBLE,
                    BiasSettings.DEFAULTS.entropyThreshold(),
                    Range.atLeast(0.0),
                    Importance.MEDIUM,
                    "Images above this entropy (nats, positive) do not count towards the bias (the released"
                            + " script: 2.0; the paper writes 0.5).")
            .define(
                    LABELER_DEBIAS,
                    Type.BOOLEAN,
                    true,
                    Importance.MEDIUM,
                    "Whether labels are corrected for CLIP's class bias; false labels with the raw CLIP probabilities.")
            .define(
                    LABELER_RELABEL_MIN_CHANGE,
                    Type.DOUBLE,
                    decimal(LabelerSettings.DEFAULTS.minBiasChange()),
                    Range.atLeast(0.0),
                    Importance.MEDIUM,
                    "Recompute labels when some class's bias moved by more than this.")
            .define(
                    LABELER_RELABEL_INTERVAL_MS,
                    Type.LONG,
                    LabelerSettings.DEFAULTS.relabelInterval().toMillis(),
                    Range.atLeast(1),
                    Importance.LOW,
                    "How often the labeler compares the bias with the one its labels were" + " made with.")
            .define(
                    LABELER_RELABEL_BATCH_SIZE,
                    Type.INT,
                    LabelerSettings.DEFAULT_RELABEL_BATCH,
                    Range.atLeast(1),
                    Importance.LOW,
                    "Most labels recomputed per check; a larger recomputation goes on at the next checks.")
            .define(
                    LABELER_RELABEL_SETTLE_MS,
                    Type.LONG,
                    LabelerSettings.DEFAULT_RELABEL_SETTLE.toMillis(),
                    Range.atLeast(0),
                    Importance.LOW,
                    "A bias version that moved no more than " + LABELER_RELABEL_MIN_CHANGE + " is applied to every"
                            + " label once it has been the newest this long, so labels converge to the newest bias"
                            + " within this + (labels / " + LABELER_RELABEL_BATCH_SIZE + ") x "
                            + LABELER_RELABEL_INTERVAL_MS + " of its publication.")
            .define(
                    LABELER_NONE_THRESHOLD,
                    Type.DOUBLE,
                    0.0,
                    Range.between(0.0, 1.0),
                    Importance.LOW,
                    "An image whose highest debiased global score is below this is labelled none (no class of the"
                            + " set; the trainer skips it). A debiased score of 1 is a class's usual top-1 probability"
                            + " over the bias window. 0: no detection.")
            .define(
                    SCORER_BATCH_SIZE,
                    Type.INT,
                    ScorerSettings.DEFAULTS.batchSize(),
                    Range.atLeast(1),
                    Importance.MEDIUM,
                    "The most images the scorer gives the model in one call; the size actually used adapts between "
                            + SCORER_BATCH_MIN + " and this, to the size the model scores fastest per image within "
                            + SCORER_BATCH_MAX_TIME_MS + ".")
            .define(
                    SCORER_BATCH_MIN,
                    Type.INT,
                    BatchingSettings.DEFAULTS.minBatchSize(),
                    Range.atLeast(1),
                    Importance.LOW,
                    "The smallest model call of the adaptive batch size (set it to " + SCORER_BATCH_SIZE
                            + " for a fixed size).")
            .define(
                    SCORER_BATCH_MAX_TIME_MS,
                    Type.LONG,
                    BatchingSettings.DEFAULTS.maxCallTime().toMillis(),
                    Range.atLeast(1),
                    Importance.LOW,
                    "The longest one model call should take: the batch size is kept so that the measured cost of a"
                            + " call stays within it (one image is the exception).")
            .define(
                    SCORER_MAX_BLOCK_MS,
                    Type.LONG,
                    BatchingSettings.DEFAULTS.maxBlock().toMillis(),
                    Range.atLeast(1),
                    Importance.LOW,
                    "The longest the scorer's stream thread waits for the model when twice the batch size is waiting;"
                            + " it bounds how long a transaction stays open, whatever the model costs.")
            .define(
                    SCORER_MODEL_CONCURRENCY,
                    Type.INT,
                    BatchingSettings.DEFAULTS.modelConcurrency(),
                    Range.atLeast(1),
                    Importance.LOW,
                    "Model calls running at once in one scorer instance (the model's operators already use every"
                            + " core).")
            .define(
                    SCORER_MAX_WAIT_MS,
                    Type.LONG,
                    ScorerSettings.DEFAULTS.maxWait().toMillis(),
                    Range.atLeast(1),
                    Importance.LOW,
                    "Longest an image waits for its scoring batch to fill.")
            .define(
                    SCORER_BACKFILL_INTERVAL_MS,
                    Type.LONG,
                    ScorerSettings.DEFAULTS.backfillInterval().toMillis(),
                    Range.atLeast(1),
                    Importance.LOW,
                    "How often images scored before a checkpoint existed are refined, a batch at a time, and how"
                            + " often images made with an older checkpoint are considered for re-scoring.")
            .define(
                    SCORER_RESCORE_ENABLED,
                    Type.BOOLEAN,
                    RescoreSettings.DEFAULTS.enabled(),
                    Importance.MEDIUM,
                    "Whether images labelled with an older classifier checkpoint are re-scored when a clearly better"
                            + " one (by the trainer's held-out quality signal) is in use.")
            .define(
                    SCORER_RESCORE_CAPACITY,
                    Type.INT,
                    RescoreSettings.DEFAULTS.capacity(),
                    Range.atLeast(1),
                    Importance.LOW,
                    "Images each scorer task keeps (encoded, in a changelogged store) for re-scoring; past it the"
                            + " image that arrived first leaves and keeps its label.")
            .define(
                    SCORER_RESCORE_SHARE,
                    Type.DOUBLE,
                    RescoreSettings.DEFAULTS.share(),
                    Range.between(0.001, 1.0),
                    Importance.MEDIUM,
                    "Largest share of the scorer's time re-scoring may take; new images are scored first.")
            .define(
                    SCORER_RESCORE_MIN_GAIN,
                    Type.DOUBLE,
                    RescoreSettings.DEFAULTS.minGain(),
                    Range.atLeast(0.0),
                    Importance.LOW,
                    "Held-out mAP points (checkpoint metrics heldOutMap) a checkpoint must gain over the one that"
                            + " made an image's scores before the image is re-scored with it.")
            .define(
                    SCORER_SELECTION_THRESHOLD,
                    Type.DOUBLE,
                    decimal(ClassSelection.PAPER_THRESHOLD),
                    Range.between(0.0, 1.0),
                    Importance.MEDIUM,
                    "Classifier score from which a class gets a CAM crop, when " + SCORER_SELECTION_MEAN_CLASSES
                            + " is empty (the paper's t).")
            .define(
                    SCORER_SELECTION_MEAN_CLASSES,
                    Type.LIST,
                    "3,5",
                    ConfigDef.LambdaValidator.with(
                            PipelineConfig::ensureValidTarget, () -> "empty, or LOW,HIGH with 0 <= LOW <= HIGH"),
                    Importance.LOW,
                    "Unless empty (then the fixed " + SCORER_SELECTION_THRESHOLD
                            + " applies), calibrate the threshold (over"
                            + " the last " + SCORER_SELECTION_WINDOW
                            + " images) so that the mean number of classes with a CAM crop per image lies in [LOW, HIGH]"
                            + " (the released script: 4,6).")
            .define(
                    SCORER_SELECTION_WINDOW,
                    Type.INT,
                    ClassSelection.Calibrated.DEFAULT_WINDOW,
                    Range.atLeast(0),
                    Importance.LOW,
                    "With " + SCORER_SELECTION_MEAN_CLASSES + ": the threshold is calibrated over the classifier"
                            + " scores of this many recent images (the current batch included; restarted when a new"
                            + " checkpoint is loaded), so that batches of simple images get fewer crops than complex"
                            + " ones; 0: over each scoring batch alone.")
            .define(
                    SCORER_CAM_REGIONS,
                    Type.INT,
                    1,
                    Range.atLeast(1),
                    Importance.LOW,
                    "Boxes per selected class: 1 boxes all the CAM's activated pixels together (the paper); N > 1"
                            + " gives one box per separate activated region, the N largest.")
            .define(
                    SCORER_CAM_OFFSET,
                    Type.DOUBLE,
                    decimal(CamBoxConfig.DEFAULT_OFFSET_FRACTION),
                    Range.between(0.0, 1.0),
                    Importance.LOW,
                    "Margin added on every side of a CAM box, as a share of the view's side (the released script:"
                            + " 80 px at 640 px, 0.125).")
            .define(
                    SCORER_LOCAL_VIEWS,
                    Type.STRING,
                    LocalViews.CAM.name(),
                    ConfigDef.CaseInsensitiveValidString.in(
                            Arrays.stream(LocalViews.values()).map(Enum::name).toArray(String[]::new)),
                    Importance.MEDIUM,
                    "Local views that refine the global score: CAM (the classifier's CAM crops, CCD), GRID (a 3x3 grid for"
                            + " every image, the CDUL baseline) or NONE (global view only).")
            .define(
                    SCORER_IMAGE_MAX_PIXELS,
                    Type.LONG,
                    ImageLimits.DEFAULT_MAX_PIXELS,
                    Range.atLeast(1),
                    Importance.LOW,
                    "Largest image (width x height, read from its header before decoding) the scorer decodes; larger"
                            + " images are dead letters (IMAGE_TOO_MANY_PIXELS). The default, 4096 x 4096, is six times"
                            + " the largest view the models use (CLIP 224 px, the CAM view 640 px).")
            .define(
                    SCORER_IMAGE_MAX_SIDE,
                    Type.INT,
                    ImageLimits.DEFAULT_MAX_SIDE,
                    Range.atLeast(1),
                    Importance.LOW,
                    "Longest side of an image the scorer decodes (IMAGE_TOO_LARGE_SIDE beyond).")
            .define(
                    SCORER_DECODE_BUDGET_PIXELS,
                    Type.LONG,
                    0L,
                    Range.atLeast(0),
                    Importance.LOW,
                    "Pixels the scorer's decodes may hold at the same time (about 8 bytes each while decoding); a"
                            + " decode waits until its image fits. 0: twice " + SCORER_IMAGE_MAX_PIXELS + ".")
            .define(
                    ROLLOUT_MODE,
                    Type.STRING,
                    RolloutMode.shadow.name(),
                    ConfigDef.ValidString.in(RolloutMode.shadow.name(), RolloutMode.immediate.name()),
                    Importance.MEDIUM,
                    "shadow: a new checkpoint labels nothing until the shadow service promotes it (scorers serve only"
                            + " PROMOTED checkpoints); immediate: scorers serve each checkpoint as soon as it verifies.")
            .define(
                    SHADOW_SAMPLE_RATE,
                    Type.DOUBLE,
                    ShadowSettings.DEFAULTS.sampleRate(),
                    Range.between(0.0001, 1.0),
                    Importance.LOW,
                    "Share of the images (by a hash of their id) the shadow service keeps in its sample.")
            .define(
                    SHADOW_SAMPLE_SIZE,
                    Type.INT,
                    ShadowSettings.DEFAULTS.sampleSize(),
                    Range.between(1, 10_000),
                    Importance.LOW,
                    "Most recent sampled images per class set a candidate is scored on, next to the checkpoint in use.")
            .define(
                    SHADOW_MIN_SAMPLE,
                    Type.INT,
                    ShadowSettings.DEFAULTS.minSample(),
                    Range.atLeast(1),
                    Importance.LOW,
                    "Fewest sampled images a candidate is judged on; it waits for more images before.")
            .define(
                    ROLLOUT_HELDOUT_TOLERANCE,
                    Type.DOUBLE,
                    PromotionRule.DEFAULTS.heldOutTolerance(),
                    Range.atLeast(0.0),
                    Importance.LOW,
                    "Points of the trainer's held-out mAP a candidate may lose against the checkpoint in use.")
            .define(
                    ROLLOUT_MIN_SELECTING_SHARE,
                    Type.DOUBLE,
                    PromotionRule.DEFAULTS.minSelectingShare(),
                    Range.between(0.0, 1.0),
                    Importance.LOW,
                    "Least share of the sample on which a candidate must choose at least one crop.")
            .define(
                    ROLLOUT_MIN_CROP_AGREEMENT,
                    Type.DOUBLE,
                    PromotionRule.DEFAULTS.minCropAgreement(),
                    Range.between(0.0, 1.0),
                    Importance.LOW,
                    "Least share of a candidate's crops whose class CLIP also sees (global top 3, or the crops' top class).")
            .define(
                    ROLLOUT_CROP_AGREEMENT_TOLERANCE,
                    Type.DOUBLE,
                    PromotionRule.DEFAULTS.cropAgreementTolerance(),
                    Range.between(0.0, 1.0),
                    Importance.LOW,
                    "Crop agreement a candidate may lose against the checkpoint in use.")
            .define(
                    ROLLOUT_MAX_SELECTION_SHIFT,
                    Type.DOUBLE,
                    PromotionRule.DEFAULTS.maxSelectionShift(),
                    Range.between(0.0, 1.0),
                    Importance.LOW,
                    "Largest change of the per-class crop selection against the checkpoint in use (0 same, 1 disjoint).")
            .define(
                    ALERTS_WINDOW,
                    Type.INT,
                    DriftSettings.DEFAULTS.window(),
                    Range.atLeast(1),
                    Importance.LOW,
                    "Images per drift window (first scores of a class set).")
            .define(
                    ALERTS_HISTORY,
                    Type.INT,
                    DriftSettings.DEFAULTS.history(),
                    Range.atLeast(1),
                    Importance.LOW,
                    "Windows (and bias versions) whose mean a new one is compared with.")
            .define(
                    ALERTS_DISTRIBUTION_THRESHOLD,
                    Type.DOUBLE,
                    DriftSettings.DEFAULTS.distributionThreshold(),
                    Range.between(0.001, 1.0),
                    Importance.LOW,
                    "Total variation distance of a window's top-class distribution from the history's that raises"
                            + " LABEL_DISTRIBUTION.")
            .define(
                    ALERTS_CONFIDENCE_THRESHOLD,
                    Type.DOUBLE,
                    DriftSettings.DEFAULTS.confidenceThreshold(),
                    Range.between(0.001, 1.0),
                    Importance.LOW,
                    "Change of the mean top-class probability that raises MEAN_CONFIDENCE.")
            .define(
                    ALERTS_BIAS_THRESHOLD,
                    Type.DOUBLE,
                    DriftSettings.DEFAULTS.biasThreshold(),
                    Range.atLeast(0.001),
                    Importance.LOW,
                    "Relative L1 change of a new bias vector from the history's mean that raises BIAS_SHIFT.")
            .define(
                    ALERTS_DEAD_LETTER_THRESHOLD,
                    Type.DOUBLE,
                    DriftSettings.DEFAULTS.deadLetterThreshold(),
                    Range.between(0.001, 1.0),
                    Importance.LOW,
                    "Rise of the dead-letter share of a window over the history's that raises DEAD_LETTER_SHARE."));

    /** The rollout and shadow settings. */
    public ShadowSettings shadow() {
        int size = getInt(SHADOW_SAMPLE_SIZE);
        return new ShadowSettings(
                RolloutMode.valueOf(getString(ROLLOUT_MODE)),
                getDouble(SHADOW_SAMPLE_RATE),
                size,
                Math.min(size, getInt(SHADOW_MIN_SAMPLE)),
                ShadowSettings.DEFAULTS.checkInterval(),
                new PromotionRule(
                        getDouble(ROLLOUT_HELDOUT_TOLERANCE),
                        getDouble(ROLLOUT_MIN_SELECTING_SHARE),
                        getDouble(ROLLOUT_MIN_CROP_AGREEMENT),
                        getDouble(ROLLOUT_CROP_AGREEMENT_TOLERANCE),
                        getDouble(ROLLOUT_MAX_SELECTION_SHIFT)));
    }

    /** The drift alert settings. */
    public DriftSettings drift() {
        return new DriftSettings(
                getInt(ALERTS_WINDOW),
                getInt(ALERTS_HISTORY),
                getDouble(ALERTS_DISTRIBUTION_THRESHOLD),
                getDouble(ALERTS_CONFIDENCE_THRESHOLD),
                getDouble(ALERTS_BIAS_THRESHOLD),
                getDouble(ALERTS_DEAD_LETTER_THRESHOLD));
    }

    /**
     * Parses and validates {@code settings}; keys this class does not define are ignored.
     *
     * @throws ConfigException when a setting is invalid
     */
    public PipelineConfig(Map<String, ?> settings) {
        super(DEFINITION, settings, false);
        validate();
    }

    /** The definition, for documentation. */
    public static ConfigDef definition() {
        return new ConfigDef(DEFINITION);
    }

    /** {@code value} as the decimal it is written as (0.05f as 0.05, not 0.05000000074505806). */
    private static double decimal(float value) {
        return Double.parseDouble(Float.toString(value));
    }

    private static void ensureValidTarget(String name, Object value) {
        if (value instanceof List<?> list && !list.isEmpty()) {
            if (list.size() != 2) {
                throw new ConfigException(name, value, "expected LOW,HIGH");
            }
            try {
                new ClassSelection.Calibrated(
                        Double.parseDouble(String.valueOf(list.get(0)).strip()),
                        Double.parseDouble(String.valueOf(list.get(1)).strip()));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, value, "expected LOW,HIGH with 0 <= LOW <= HIGH");
            }
        }
    }

    private void validate() {
        if (getDouble(DEBIAS_FLOOR) >= 1.0) {
            throw new ConfigException(DEBIAS_FLOOR, getDouble(DEBIAS_FLOOR), "must be less than 1");
        }
        if (!(getDouble(BIAS_ENTROPY_THRESHOLD) > 0)) {
            throw new ConfigException(BIAS_ENTROPY_THRESHOLD, getDouble(BIAS_ENTROPY_THRESHOLD), "must be positive");
        }
        if (getInt(BIAS_BUCKETS) > getInt(BIAS_WINDOW)) {
            throw new ConfigException(
                    BIAS_BUCKETS,
                    getInt(BIAS_BUCKETS),
                    "must not exceed " + BIAS_WINDOW + " (" + getInt(BIAS_WINDOW) + ")");
        }
        long budget = getLong(SCORER_DECODE_BUDGET_PIXELS);
        if (budget != 0 && budget < getLong(SCORER_IMAGE_MAX_PIXELS)) {
            throw new ConfigException(
                    SCORER_DECODE_BUDGET_PIXELS,
                    budget,
                    "must be 0 or hold one image of " + SCORER_IMAGE_MAX_PIXELS + " ("
                            + getLong(SCORER_IMAGE_MAX_PIXELS) + ")");
        }
        if (!getString(ONTOLOGY_FILE).isBlank() && !getList(CLASSES).isEmpty()) {
            throw new ConfigException(
                    ONTOLOGY_FILE, getString(ONTOLOGY_FILE), "give either " + CLASSES + " or an ontology, not both");
        }
        if (getList(CLASSES).stream().anyMatch(String::isBlank)) {
            throw new ConfigException(CLASSES, getList(CLASSES), "class names must not be blank");
        }
    }

    /** The CLIP model directory: the configured one, or the bundled model extracted under {@code workDir}. */
    public Path modelDir(Path workDir) {
        String dir = getString(CLIP_MODEL_DIR).strip();
        return dir.isEmpty() ? BundledModels.extract(BundledModels.DEFAULT, workDir.resolve("models")) : Path.of(dir);
    }

    /** The configured class names, or {@code defaults} when none are configured. */
    public List<String> classNames(List<String> defaults) {
        List<String> names = getList(CLASSES);
        return names.isEmpty() ? defaults : names;
    }

    /** The class set of the model in {@code modelDir}: its model id and prompt with the class names. */
    public ClassSet classSet(Path modelDir, List<String> defaultClassNames) throws ClipModelException {
        ClipModelDescriptor descriptor = ClipModelDescriptor.read(modelDir);
        Optional<Ontology> ontology = ontology();
        if (ontology.isPresent()) {
            return ClassSet.ofOntology(descriptor.modelId(), ontology.get(), descriptor.promptTemplate());
        }
        return ClassSet.of(descriptor.modelId(), classNames(defaultClassNames), List.of(descriptor.promptTemplate()));
    }

    /**
     * The configured ontology, read and checked now.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public Optional<Ontology> ontology() {
        String file = getString(ONTOLOGY_FILE).strip();
        return file.isEmpty() ? Optional.empty() : Optional.of(Ontology.read(Path.of(file)));
    }

    /** Which classes get a CAM crop: calibrated when a target mean is configured, else the fixed threshold. */
    public ClassSelection selection() {
        List<String> target = getList(SCORER_SELECTION_MEAN_CLASSES);
        if (target.isEmpty()) {
            return new ClassSelection.Fixed(
                    (float) getDouble(SCORER_SELECTION_THRESHOLD).doubleValue());
        }
        return new ClassSelection.Calibrated(
                Double.parseDouble(target.get(0).strip()),
                Double.parseDouble(target.get(1).strip()),
                getInt(SCORER_SELECTION_WINDOW));
    }

    /** How the debiased score is kept in [0, 1]. */
    public FloorMode floorMode() {
        return FloorMode.valueOf(getString(DEBIAS_FLOOR_MODE).toUpperCase(Locale.ROOT));
    }

    /** The local views that refine the global score. */
    public LocalViews localViews() {
        return LocalViews.valueOf(getString(SCORER_LOCAL_VIEWS).toUpperCase(Locale.ROOT));
    }

    /** How the bias service windows the scores. */
    public BiasSettings bias() {
        return new BiasSettings(
                getInt(BIAS_WINDOW), getInt(BIAS_BUCKETS), getInt(BIAS_MIN_SAMPLES), getDouble(BIAS_ENTROPY_THRESHOLD));
    }

    /** When the labeler recomputes labels, and whether it debiases. */
    public LabelerSettings labeler() {
        return new LabelerSettings(
                Duration.ofMillis(getLong(LABELER_RELABEL_INTERVAL_MS)),
                (float) getDouble(LABELER_RELABEL_MIN_CHANGE).doubleValue(),
                getBoolean(LABELER_DEBIAS),
                getInt(LABELER_RELABEL_BATCH_SIZE),
                Duration.ofMillis(getLong(LABELER_RELABEL_SETTLE_MS)),
                (float) getDouble(LABELER_NONE_THRESHOLD).doubleValue());
    }

    /** How the scorer batches. */
    public ScorerSettings scorer() {
        return new ScorerSettings(
                getInt(SCORER_BATCH_SIZE),
                Duration.ofMillis(getLong(SCORER_MAX_WAIT_MS)),
                Duration.ofMillis(getLong(SCORER_BACKFILL_INTERVAL_MS)),
                new RescoreSettings(
                        getBoolean(SCORER_RESCORE_ENABLED),
                        getInt(SCORER_RESCORE_CAPACITY),
                        getDouble(SCORER_RESCORE_SHARE),
                        getDouble(SCORER_RESCORE_MIN_GAIN)),
                new BatchingSettings(
                        Math.min(getInt(SCORER_BATCH_MIN), getInt(SCORER_BATCH_SIZE)),
                        Duration.ofMillis(getLong(SCORER_BATCH_MAX_TIME_MS)),
                        Duration.ofMillis(getLong(SCORER_MAX_BLOCK_MS)),
                        getInt(SCORER_MODEL_CONCURRENCY)));
    }

    /** How the classifier guides the local views. */
    public RefinementSettings refinement() {
        CamBoxConfig boxes = CamBoxConfig.DEFAULTS
                .withOffsetFraction((float) getDouble(SCORER_CAM_OFFSET).doubleValue())
                .withMaxRegions(getInt(SCORER_CAM_REGIONS));
        return new RefinementSettings(selection(), boxes, true, localViews());
    }

    /** The largest image the scorer decodes: the claim-check byte limit, and the pixel limits. */
    public ImageLimits imageLimits() {
        return ImageLimits.builder()
                .optMaxEncodedBytes(Math.max(getLong(CLAIM_CHECK_MAX_BYTES), ImageLimits.DEFAULT_MAX_ENCODED_BYTES))
                .optMaxPixels(getLong(SCORER_IMAGE_MAX_PIXELS))
                .optMaxSide(getInt(SCORER_IMAGE_MAX_SIDE))
                .build();
    }

    /** Where claim-checked images may be fetched from, and the limits. */
    public ImageBytes claimChecks() {
        return CLAIM_CHECKS.read(this);
    }

    /**
     * The settings of the services.
     *
     * @param workDir           where the bundled model is extracted when no model directory is configured
     * @param defaultClassNames the class names when none are configured
     * @return the settings
     * @throws ClipModelException when the model directory has no valid descriptor
     */
    public PipelineSettings settings(Path workDir, List<String> defaultClassNames) throws ClipModelException {
        Path dir = modelDir(workDir);
        return new PipelineSettings(
                dir,
                classSet(dir, defaultClassNames),
                new Debias((float) getDouble(DEBIAS_FLOOR).doubleValue()).floor(),
                floorMode(),
                new Mix((float) getDouble(ALPHA).doubleValue()).alpha(),
                claimChecks(),
                bias(),
                labeler(),
                scorer(),
                refinement(),
                imageLimits(),
                getLong(SCORER_DECODE_BUDGET_PIXELS));
    }
}
