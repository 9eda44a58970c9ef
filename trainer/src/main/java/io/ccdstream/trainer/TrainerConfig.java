package io.ccdstream.trainer;

import io.ccdstream.method.metrics.LabelBinarisation;
import io.ccdstream.models.classifier.Backbone;
import io.ccdstream.models.classifier.ClassifierConfig;
import io.ccdstream.models.classifier.ClassifierException;
import io.ccdstream.models.classifier.ClassifierTrainerConfig;
import io.ccdstream.models.classifier.ColorJitter;
import io.ccdstream.models.classifier.StrongView;
import io.ccdstream.models.classifier.TrainingTargets;
import io.ccdstream.models.clip.ClassSet;
import io.ccdstream.models.clip.ClipModelDescriptor;
import io.ccdstream.topics.CcdTopics;
import io.ccdstream.topics.ClaimCheckKeys;
import io.ccdstream.topics.ImageBytes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;

/**
 * Settings of the {@link TrainerService}: where the cluster is, which class set to train, the
 * schedule of ALGORITHM.md sections 3 and 5, the training-set bound and how checkpoints are served.
 *
 * <p>Learning rate: the paper's Adam learning rate is 1e-5 (10x on the head), for a pretrained
 * ResNet-101 fine-tuned on real photos. The demo trains a small CNN from scratch on 64-128 px
 * SynthScenes images, where 1e-5 barely moves in the few epochs of a schedule, so the default here
 * is {@value #DEMO_LEARNING_RATE}; set {@code ccd.trainer.learning.rate=1e-5} for the paper's value.
 *
 * <p>Any setting prefixed {@code kafka.} is passed to the trainer's Kafka consumer and producer
 * without the prefix (security, client tuning...); {@code schema.registry.*} and
 * {@code basic.auth.*} settings go to the registry client.
 */
public final class TrainerConfig extends AbstractConfig {

    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String CLASS_SET_ID = "ccd.trainer.class.set.id";
    public static final String CLASS_NAMES = "ccd.trainer.class.names";
    public static final String DATA_DIR = "ccd.trainer.data.dir";
    public static final String GROUP_ID = "ccd.trainer.group.id";
    public static final String TRANSACTIONAL_ID = "ccd.trainer.transactional.id";
    public static final String WARMUP_MIN_IMAGES = "ccd.trainer.warmup.min.images";
    public static final String WARMUP_EPOCHS = "ccd.trainer.warmup.epochs";
    public static final String REFINE_MIN_REFINED_SHARE = "ccd.trainer.refine.min.refined.share";
    public static final String REFINE_MAX_EPOCHS = "ccd.trainer.refine.max.epochs";
    public static final String REFINE_WAIT_FOR_CAM_LABELS = "ccd.trainer.refine.wait.for.cam.labels";
    public static final String STRONG_VIEW_HUE = "ccd.trainer.strong.view.hue";
    public static final String STRONG_VIEW = "ccd.trainer.strong.view";
    public static final String LOSS = "ccd.trainer.loss";
    public static final String LABEL_SMOOTHING = "ccd.trainer.label.smoothing";
    /** Weight of a VERIFIED label's supervised loss term; a pseudo-label's is 1. */
    public static final String VERIFIED_WEIGHT = "ccd.trainer.verified.weight";
    /** Default of {@link #VERIFIED_WEIGHT}. */
    public static final double DEFAULT_VERIFIED_WEIGHT = 1.0;

    public static final String BACKBONE_FROZEN = "ccd.trainer.backbone.frozen";
    public static final String DEAD_LETTER_TOPIC = "ccd.trainer.dlq.topic";
    public static final String CONTINUOUS_MIN_NEW_LABELS = "ccd.trainer.continuous.min.new.labels";
    public static final String CONTINUOUS_MAX_EPOCHS = "ccd.trainer.continuous.max.epochs";
    public static final String CONTINUOUS_REPLAY_RATIO = "ccd.trainer.continuous.replay.ratio";
    public static final String CONTINUOUS_MIN_GAIN = "ccd.trainer.continuous.min.train.map.gain";
    public static final String CONTINUOUS_REPLAY_BALANCED = "ccd.trainer.continuous.replay.balanced";
    public static final String CONTINUOUS_MAX_NEW_LABELS = "ccd.trainer.continuous.max.new.labels";
    public static final String CONTINUOUS_LEARNING_RATE_FACTOR = "ccd.trainer.continuous.learning.rate.factor";
    public static final String CONTINUOUS_MIN_HELD_OUT_GAIN = "ccd.trainer.continuous.min.heldout.gain";
    public static final String QUALITY_SIGNAL = "ccd.trainer.quality.signal";
    public static final String HELD_OUT_EVERY = "ccd.trainer.heldout.every";
    public static final String HELD_OUT_SIZE = "ccd.trainer.heldout.size";
    public static final String HELD_OUT_MIN_IMAGES = "ccd.trainer.heldout.min.images";
    public static final String HELD_OUT_POSITIVES = "ccd.trainer.heldout.positives";
    public static final String HELD_OUT_MIN_POSITIVES = "ccd.trainer.heldout.min.positives";
    public static final String TRAINING_SET_MAX_IMAGES = "ccd.trainer.training.set.max.images";
    public static final String CONSISTENCY_BETA = "ccd.trainer.consistency.beta";
    public static final String LEARNING_RATE = "ccd.trainer.learning.rate";
    public static final String HEAD_LEARNING_RATE_FACTOR = "ccd.trainer.head.learning.rate.factor";
    public static final String BATCH_SIZE = "ccd.trainer.batch.size";
    public static final String INPUT_SIZE = "ccd.trainer.input.size";
    public static final String BACKBONE = "ccd.trainer.backbone";
    public static final String SEED = "ccd.trainer.seed";
    public static final String LABEL_BINARISATION = "ccd.trainer.label.binarisation";
    public static final String HTTP_ENABLED = "ccd.trainer.http.enabled";
    public static final String HTTP_BIND_ADDRESS = "ccd.trainer.http.bind.address";
    public static final String HTTP_PORT = "ccd.trainer.http.port";
    public static final String HTTP_ADVERTISED_URL = "ccd.trainer.http.advertised.url";
    public static final String CHECKPOINT_LOCATION = "ccd.trainer.checkpoint.location";
    public static final String POLL_TIMEOUT_MS = "ccd.trainer.poll.timeout.ms";
    public static final String COMMIT_INTERVAL_MS = "ccd.trainer.commit.interval.ms";
    public static final String STARTUP_TIMEOUT_MS = "ccd.trainer.startup.timeout.ms";
    /** The claim-check keys, under {@code ccd.trainer.claim.check.}. */
    public static final ClaimCheckKeys CLAIM_CHECKS = new ClaimCheckKeys("ccd.trainer.");

    public static final String CLAIM_CHECK_ALLOWED_ROOTS = "ccd.trainer.claim.check.allowed.roots";
    public static final String CLAIM_CHECK_ALLOWED_HOSTS = "ccd.trainer.claim.check.allowed.hosts";
    public static final String CLAIM_CHECK_MAX_BYTES = "ccd.trainer.claim.check.max.bytes";
    public static final String CLAIM_CHECK_TIMEOUT_MS = "ccd.trainer.claim.check.timeout.ms";
    /** The strong view's jitter strengths (ALGORITHM.md section 5: 0.5 each). */
    private static final double STRONG_VIEW_STRENGTH = 0.5;

    public static final String PASS_THROUGH_PREFIX = "kafka.";

    /** The {@value #BACKBONE} value of the bundled mini-CLIP's tower; {@code mini-clip:<dir>} names another. */
    public static final String MINI_CLIP = "mini-clip";

    /** {@value #QUALITY_SIGNAL}: the held-out slice's signal decides, where the slice is large enough. */
    public static final String SIGNAL_HELD_OUT = "heldout";
    /** {@value #QUALITY_SIGNAL}: ALGORITHM.md's train-label mAP decides, as before the held-out slice. */
    public static final String SIGNAL_TRAIN_LABELS = "train-labels";

    /** Publish checkpoint locations as URLs of the trainer's HTTP endpoint (no shared filesystem needed). */
    public static final String LOCATION_HTTP = "http";
    /** Publish checkpoint locations as {@code file:} URIs of the store (consumers share the filesystem). */
    public static final String LOCATION_FILE = "file";

    /** Default of {@value #DATA_DIR}: under the working directory, beside the demo's broker data. */
    public static final String DEFAULT_DATA_DIR = "ccd-data/trainer";

    /** Default backbone learning rate: demo-friendly for a small CNN trained from scratch; the paper uses 1e-5. */
    public static final double DEMO_LEARNING_RATE = 1e-3;

    private static final ConfigDef DEFINITION = CLAIM_CHECKS.define(
            new ConfigDef()
                    .define(
                            BOOTSTRAP_SERVERS,
                            Type.LIST,
                            ConfigDef.NO_DEFAULT_VALUE,
                            Importance.HIGH,
                            "Kafka brokers to connect to, host:port[,host:port...].")
                    .define(
                            SCHEMA_REGISTRY_URL,
                            Type.LIST,
                            ConfigDef.NO_DEFAULT_VALUE,
                            Importance.HIGH,
                            "Confluent-compatible schema registry URL(s).")
                    .define(
                            CLASS_SET_ID,
                            Type.STRING,
                            ConfigDef.NO_DEFAULT_VALUE,
                            new ConfigDef.NonEmptyString(),
                            Importance.HIGH,
                            "Id of the class set to train (ClassSet.id()); labels of other class sets are ignored and checkpoints are keyed by it.")
                    .define(
                            CLASS_NAMES,
                            Type.LIST,
                            ConfigDef.NO_DEFAULT_VALUE,
                            Importance.HIGH,
                            "Class names of the class set, in score order; labels with other class names are skipped.")
                    .define(
                            DATA_DIR,
                            Type.STRING,
                            DEFAULT_DATA_DIR,
                            new ConfigDef.NonEmptyString(),
                            Importance.HIGH,
                            "Directory of the local training set and of the checkpoint store; one trainer process at a time."
                                    + " Relative to the working directory unless absolute; durable, so not under the temporary directory.")
                    .define(
                            GROUP_ID,
                            Type.STRING,
                            "",
                            Importance.MEDIUM,
                            "Consumer group under which the trainer commits its input offsets; empty: ccd-trainer-<class set id>.")
                    .define(
                            TRANSACTIONAL_ID,
                            Type.STRING,
                            "",
                            Importance.MEDIUM,
                            "Transactional id of the checkpoint publisher; a newer trainer with the same id fences an older one."
                                    + " Empty: ccd-trainer-<class set id>.")
                    .define(
                            WARMUP_MIN_IMAGES,
                            Type.INT,
                            100,
                            Range.atLeast(1),
                            Importance.MEDIUM,
                            "Labelled images needed before the warm-up starts.")
                    .define(
                            WARMUP_EPOCHS,
                            Type.INT,
                            2,
                            Range.atLeast(1),
                            Importance.MEDIUM,
                            "Warm-up epochs on the initial (debiased global) labels, BCE only (ALGORITHM.md section 3: 2).")
                    .define(
                            REFINE_MIN_REFINED_SHARE,
                            Type.DOUBLE,
                            0.9,
                            Range.between(0.0, 1.0),
                            Importance.MEDIUM,
                            "Share of the labelled training set that must carry labels made with the warm-up checkpoint"
                                    + " (or a later one: REFINED, or INITIAL where it selected no crop) before the refinement"
                                    + " training starts.")
                    .define(
                            REFINE_WAIT_FOR_CAM_LABELS,
                            Type.BOOLEAN,
                            true,
                            Importance.LOW,
                            "Whether the refinement round waits for labels refined with the warm-up checkpoint's CAM crops (CCD)."
                                    + " false: warm-up and refinement train on the labels as they are and the refinement starts right"
                                    + " after the warm-up; for a scorer whose local views are a grid or none, whose labels never carry"
                                    + " a checkpoint (the ablation rows of ccd bench quality).")
                    .define(
                            REFINE_MAX_EPOCHS,
                            Type.INT,
                            10,
                            Range.atLeast(1),
                            Importance.MEDIUM,
                            "Most epochs of the refinement training; the label-free early-stopping rule may stop earlier (section 5: 10).")
                    .define(
                            CONTINUOUS_MIN_NEW_LABELS,
                            Type.INT,
                            100,
                            Range.atLeast(1),
                            Importance.MEDIUM,
                            "New or changed REFINED labels that trigger a continuous fine-tuning round.")
                    .define(
                            CONTINUOUS_MAX_EPOCHS,
                            Type.INT,
                            3,
                            Range.atLeast(1),
                            Importance.MEDIUM,
                            "Most epochs of a continuous fine-tuning round (early-stopping rule as in refinement).")
                    .define(
                            CONTINUOUS_REPLAY_RATIO,
                            Type.DOUBLE,
                            3.0,
                            Range.atLeast(0.0),
                            Importance.LOW,
                            "Older images replayed per new image in a continuous round, drawn at random from the training set"
                                    + " (3: measured with ccd bench rounds, trainer README).")
                    .define(
                            CONTINUOUS_REPLAY_BALANCED,
                            Type.BOOLEAN,
                            false,
                            Importance.LOW,
                            "Draw a continuous round's older images with weights inverse to how many older images share"
                                    + " their label's top class, so rare classes come back more often; false: uniformly.")
                    .define(
                            CONTINUOUS_MAX_NEW_LABELS,
                            Type.INT,
                            400,
                            Range.atLeast(1),
                            Importance.LOW,
                            "Most new or changed labels a continuous round trains on, the latest ones; the others join"
                                    + " the older images it may replay. Keeps rounds short (and checkpoints frequent)"
                                    + " when labels change faster than a round trains, e.g. while the scorer re-scores.")
                    .define(
                            CONTINUOUS_LEARNING_RATE_FACTOR,
                            Type.DOUBLE,
                            1.0,
                            Range.between(0.01, 10.0),
                            Importance.LOW,
                            "The learning rates of continuous rounds as a multiple of ccd.trainer.learning.rate (and its head"
                                    + " factor); warm-up and refinement use the rate as it is.")
                    .define(
                            CONTINUOUS_MIN_GAIN,
                            Type.DOUBLE,
                            0.0,
                            Range.atLeast(0.0),
                            Importance.LOW,
                            "A continuous round is published only if its train-label mAP beats the current checkpoint's on the"
                                    + " same images by more than this many points.")
                    .define(
                            CONTINUOUS_MIN_HELD_OUT_GAIN,
                            Type.DOUBLE,
                            0.5,
                            Range.atLeast(0.0),
                            Importance.LOW,
                            "With the held-out signal: a continuous round is published only if its kept epoch's held-out mAP"
                                    + " beats the latest checkpoint's on the same slice by more than this many points.")
                    .define(
                            QUALITY_SIGNAL,
                            Type.STRING,
                            SIGNAL_HELD_OUT,
                            ValidString.in(SIGNAL_HELD_OUT, SIGNAL_TRAIN_LABELS),
                            Importance.LOW,
                            "What picks a round's epoch and decides whether it is published: heldout (the mAP on the"
                                    + " held-out slice; today's rules while the slice has fewer than "
                                    + "ccd.trainer.heldout.min.images images) or train-labels (ALGORITHM.md section 5: the"
                                    + " train-label mAP, early stopping at its first rise).")
                    .define(
                            HELD_OUT_EVERY,
                            Type.INT,
                            8,
                            Range.atLeast(0),
                            Importance.LOW,
                            "One labelled image in this many (by a hash of its id) joins the held-out slice, frozen with"
                                    + " its first label and never trained on, until the slice is full; 0: no slice.")
                    .define(
                            HELD_OUT_SIZE,
                            Type.INT,
                            256,
                            Range.atLeast(0),
                            Importance.LOW,
                            "Most images of the held-out slice; they are kept beside the training set, not evicted.")
                    .define(
                            HELD_OUT_MIN_IMAGES,
                            Type.INT,
                            HeldOutSignal.DEFAULT.minImages(),
                            Range.atLeast(1),
                            Importance.LOW,
                            "Fewest slice images for a held-out signal; below it the train-label rules decide.")
                    .define(
                            HELD_OUT_POSITIVES,
                            Type.STRING,
                            HeldOutSignal.DEFAULT.rule().toString(),
                            (name, value) -> {
                                try {
                                    HeldOutSignal.PositiveRule.parse(String.valueOf(value));
                                } catch (IllegalArgumentException e) {
                                    throw new ConfigException(name, value, e.getMessage());
                                }
                            },
                            Importance.LOW,
                            "Which frozen pseudo-label values are positives of the held-out mAP: quantile:Q (per class, the"
                                    + " slice images in the top Q share of that class's labels; default 0.2, measured with ccd bench"
                                    + " rounds), relative:R (at least R times the image's highest label), top:K (the image's K"
                                    + " highest) or at-least:T (ALGORITHM.md's 0.5).")
                    .define(
                            HELD_OUT_MIN_POSITIVES,
                            Type.INT,
                            HeldOutSignal.DEFAULT.minPositives(),
                            Range.atLeast(1),
                            Importance.LOW,
                            "A class counts in the held-out mAP only with at least this many positives in the slice.")
                    .define(
                            TRAINING_SET_MAX_IMAGES,
                            Type.INT,
                            5000,
                            Range.atLeast(1),
                            Importance.MEDIUM,
                            "Images kept in the local training set; past it the oldest are evicted.")
                    .define(
                            CONSISTENCY_BETA,
                            Type.DOUBLE,
                            1.0,
                            Range.atLeast(0.0),
                            Importance.LOW,
                            "Weight of the consistency loss after warm-up (section 5: 1; warm-up always uses 0).")
                    .define(
                            STRONG_VIEW_HUE,
                            Type.DOUBLE,
                            STRONG_VIEW_STRENGTH,
                            Range.between(0.0, 0.5),
                            Importance.LOW,
                            "Hue jitter of the consistency loss's strong view (section 5: 0.5); brightness, contrast"
                                    + " and saturation stay 0.5. Lower it for classes told apart by colour.")
                    .define(
                            STRONG_VIEW,
                            Type.STRING,
                            StrongView.GEOMETRIC.id(),
                            ValidString.in(Arrays.stream(StrongView.values())
                                    .map(StrongView::id)
                                    .toArray(String[]::new)),
                            Importance.LOW,
                            "What the consistency loss's strong view does on top of the resize and its own flip: colour"
                                    + " (colour jitter, section 5), geometric (random resized crop, 35-100% of the area,"
                                    + " aspect 3/4-4/3), cutout (a square of 1/4 of the side, mean-colour fill),"
                                    + " geometric-cutout, or geometric-colour. The non-colour policies keep the classes of"
                                    + " worlds whose classes differ by colour.")
                    .define(
                            LOSS,
                            Type.STRING,
                            TrainingTargets.SOFT.id(),
                            ValidString.in(Arrays.stream(TrainingTargets.values())
                                    .map(TrainingTargets::id)
                                    .toArray(String[]::new)),
                            Importance.LOW,
                            "Targets of the supervised BCE term: soft (the pseudo-labels as they are, CCD), assume-negative"
                                    + " (pseudo-labels >= 0.5 positive, or the top class when none is, the rest negative) or"
                                    + " label-smoothing (the assume-negative targets smoothed by "
                                    + LABEL_SMOOTHING
                                    + "): the paper's Table 1 weak-label baselines. The train-label mAP of early stopping is"
                                    + " measured against the same targets.")
                    .define(
                            VERIFIED_WEIGHT,
                            Type.DOUBLE,
                            DEFAULT_VERIFIED_WEIGHT,
                            Range.between(0.0, 100.0),
                            Importance.LOW,
                            "Weight of the supervised BCE term of an image with a VERIFIED label (a person's verdicts"
                                    + " from ccd.reviews); a pseudo-label's weight is 1. 1 by default: in ccd bench review"
                                    + " 2 and 4 did not raise the held-out mAP (README). 0 ignores the verdicts in the"
                                    + " loss (the image still trains with the consistency term).")
                    .define(
                            LABEL_SMOOTHING,
                            Type.DOUBLE,
                            (double) TrainingTargets.DEFAULT_EPSILON,
                            Range.between(0.0, 0.99),
                            Importance.LOW,
                            "Epsilon of the label-smoothing loss: positives train towards 1 - eps/2, negatives towards eps/2.")
                    .define(
                            BACKBONE_FROZEN,
                            Type.BOOLEAN,
                            false,
                            Importance.LOW,
                            "Keep the backbone's weights as they start (e.g. the mini-CLIP tower) and train the head only;"
                                    + " batch-norm statistics still follow the training batches.")
                    .define(
                            LEARNING_RATE,
                            Type.DOUBLE,
                            DEMO_LEARNING_RATE,
                            Range.atLeast(0.0),
                            Importance.MEDIUM,
                            "Adam learning rate of the backbone. Default 1e-3 for the demo's small CNN trained from scratch;"
                                    + " the paper's value (pretrained ResNet) is 1e-5.")
                    .define(
                            HEAD_LEARNING_RATE_FACTOR,
                            Type.DOUBLE,
                            10.0,
                            Range.atLeast(0.0),
                            Importance.LOW,
                            "The head's learning rate is the backbone's times this (section 5: 10).")
                    .define(
                            BATCH_SIZE,
                            Type.INT,
                            16,
                            Range.atLeast(1),
                            Importance.MEDIUM,
                            "Images per optimiser step (section 5: 16).")
                    .define(
                            INPUT_SIZE,
                            Type.INT,
                            ClassifierConfig.DEFAULT_INPUT_SIZE,
                            Range.atLeast(8),
                            Importance.MEDIUM,
                            "Side of the classifier's square input in pixels (the paper uses 448 with ResNet-101).")
                    .define(
                            BACKBONE,
                            Type.STRING,
                            "mini-clip",
                            Importance.MEDIUM,
                            "Classifier backbone: small-cnn, resnet50, resnet101, torchscript:<file> (a traced backbone to"
                                    + " fine-tune), mini-clip (the bundled mini-CLIP's convolutional tower with its trained"
                                    + " weights, inputs normalised with its mean and std) or mini-clip:<dir> (the tower of a"
                                    + " djl-mini-clip model directory).")
                    .define(
                            SEED,
                            Type.LONG,
                            0L,
                            Importance.LOW,
                            "Seed of the initial weights, augmentations and shuffling.")
                    .define(
                            LABEL_BINARISATION,
                            Type.STRING,
                            LabelBinarisation.AT_LEAST_HALF.name(),
                            ValidString.in(LabelBinarisation.EQUALS_ONE.name(), LabelBinarisation.AT_LEAST_HALF.name()),
                            Importance.LOW,
                            "Which pseudo-labels count as positive in the train-label mAP of early stopping: AT_LEAST_HALF (y >= 0.5,"
                                    + " the default) or EQUALS_ONE (y == 1). ALGORITHM.md allows both; y == 1 needs a published bias to"
                                    + " occur at all (a debiased score reaches 1 only when it is at least its class's bias), so before the"
                                    + " bias service has enough images every class would have no positive and the criterion no signal.")
                    .define(
                            DEAD_LETTER_TOPIC,
                            Type.STRING,
                            CcdTopics.DEAD_LETTERS,
                            new ConfigDef.NonEmptyString(),
                            Importance.MEDIUM,
                            "Where input records the trainer cannot use go, with the reason and their topic,"
                                    + " partition and offset in the headers (processor 'trainer').")
                    .define(
                            HTTP_ENABLED,
                            Type.BOOLEAN,
                            true,
                            Importance.MEDIUM,
                            "Serve the checkpoint store over HTTP: GET /checkpoints/{classSetId}/{version} answers the checkpoint's bytes.")
                    .define(
                            HTTP_BIND_ADDRESS,
                            Type.STRING,
                            "127.0.0.1",
                            Importance.MEDIUM,
                            "Address the checkpoint endpoint listens on; 0.0.0.0 serves other hosts.")
                    .define(
                            HTTP_PORT,
                            Type.INT,
                            8095,
                            Range.between(0, 65535),
                            Importance.MEDIUM,
                            "Port of the checkpoint endpoint; 0 picks a free one.")
                    .define(
                            HTTP_ADVERTISED_URL,
                            Type.STRING,
                            "",
                            Importance.MEDIUM,
                            "Base URL scorers reach the checkpoint endpoint at, e.g. http://trainer:8095; empty: http://<bind"
                                    + " address or, for a wildcard bind, the host name>:<port>.")
                    .define(
                            CHECKPOINT_LOCATION,
                            Type.STRING,
                            LOCATION_HTTP,
                            ValidString.in(LOCATION_HTTP, LOCATION_FILE),
                            Importance.MEDIUM,
                            "What a checkpoint event's location is: http (a URL of the checkpoint endpoint; no shared"
                                    + " filesystem needed) or file (a file: URI of the store, for consumers that share the filesystem).")
                    .define(
                            POLL_TIMEOUT_MS,
                            Type.LONG,
                            500L,
                            Range.atLeast(1),
                            Importance.LOW,
                            "Longest a poll for new labels and images waits.")
                    .define(
                            COMMIT_INTERVAL_MS,
                            Type.LONG,
                            1000L,
                            Range.atLeast(1),
                            Importance.LOW,
                            "How often the training set is made durable and the input offsets committed.")
                    .define(
                            STARTUP_TIMEOUT_MS,
                            Type.LONG,
                            60_000L,
                            Range.atLeast(1),
                            Importance.LOW,
                            "Longest the start waits for the cluster (topic metadata, reading the checkpoints topic, transactions)."));

    /**
     * Parses and validates {@code settings}.
     *
     * @throws ConfigException when a setting is missing or invalid
     */
    public TrainerConfig(Map<String, ?> settings) {
        super(DEFINITION, settings);
        validate();
    }

    /**
     * Settings for training {@code classSet}: its id and class names added to {@code settings}.
     *
     * @param classSet the class set labelled by the pipeline
     * @param settings everything else (at least the bootstrap servers and the registry URL)
     * @return the configuration
     */
    public static TrainerConfig forClassSet(ClassSet classSet, Map<String, ?> settings) {
        Map<String, Object> all = new HashMap<>(settings);
        all.put(CLASS_SET_ID, classSet.id());
        all.put(CLASS_NAMES, classSet.classNames());
        return new TrainerConfig(all);
    }

    /** The definition, for documentation. */
    public static ConfigDef definition() {
        return new ConfigDef(DEFINITION);
    }

    private void validate() {
        if (classNames().isEmpty() || classNames().stream().anyMatch(String::isBlank)) {
            throw new ConfigException(CLASS_NAMES, classNames(), "needs at least one non-blank class name");
        }
        if (getDouble(LEARNING_RATE) <= 0 || getDouble(HEAD_LEARNING_RATE_FACTOR) <= 0) {
            throw new ConfigException(
                    LEARNING_RATE, getDouble(LEARNING_RATE), "the learning rate and the head factor must be positive");
        }
        if (checkpointLocation().equals(LOCATION_HTTP) && !getBoolean(HTTP_ENABLED)) {
            throw new ConfigException(
                    CHECKPOINT_LOCATION,
                    LOCATION_HTTP,
                    "http locations need the checkpoint endpoint: set " + HTTP_ENABLED + "=true or "
                            + CHECKPOINT_LOCATION + "=" + LOCATION_FILE);
        }
        backbone();
    }

    /** Id of the class set trained. */
    public String classSetId() {
        return getString(CLASS_SET_ID);
    }

    /** Class names in score order. */
    public List<String> classNames() {
        return getList(CLASS_NAMES);
    }

    /** Bootstrap servers as one comma-separated string. */
    public String bootstrapServers() {
        return String.join(",", getList(BOOTSTRAP_SERVERS));
    }

    /** The data directory. */
    public Path dataDir() {
        return Path.of(getString(DATA_DIR));
    }

    /** The consumer group of the input offsets. */
    public String groupId() {
        String id = getString(GROUP_ID);
        return id.isBlank() ? "ccd-trainer-" + classSetId() : id;
    }

    /** The transactional id of the checkpoint publisher. */
    public String transactionalId() {
        String id = getString(TRANSACTIONAL_ID);
        return id.isBlank() ? "ccd-trainer-" + classSetId() : id;
    }

    /** When each phase starts and how long it trains. */
    TrainingSchedule schedule() {
        return new TrainingSchedule(
                getInt(WARMUP_MIN_IMAGES),
                getInt(WARMUP_EPOCHS),
                getDouble(REFINE_MIN_REFINED_SHARE),
                getInt(REFINE_MAX_EPOCHS),
                getInt(CONTINUOUS_MIN_NEW_LABELS),
                getInt(CONTINUOUS_MAX_EPOCHS),
                getDouble(CONTINUOUS_REPLAY_RATIO),
                getBoolean(CONTINUOUS_REPLAY_BALANCED),
                getInt(CONTINUOUS_MAX_NEW_LABELS),
                getDouble(CONTINUOUS_MIN_GAIN),
                (float) getDouble(CONSISTENCY_BETA).doubleValue(),
                getBoolean(REFINE_WAIT_FOR_CAM_LABELS));
    }

    /** The held-out signal's rule. */
    public HeldOutSignal heldOutSignal() {
        return new HeldOutSignal(
                HeldOutSignal.PositiveRule.parse(getString(HELD_OUT_POSITIVES)),
                getInt(HELD_OUT_MIN_POSITIVES),
                getInt(HELD_OUT_MIN_IMAGES));
    }

    /** Whether the held-out signal decides (where the slice is large enough). */
    public boolean heldOutDecides() {
        return getString(QUALITY_SIGNAL).equals(SIGNAL_HELD_OUT)
                && getInt(HELD_OUT_EVERY) > 0
                && getInt(HELD_OUT_SIZE) > 0;
    }

    /** Images kept in the local training set. */
    public int trainingSetMaxImages() {
        return getInt(TRAINING_SET_MAX_IMAGES);
    }

    /**
     * The classifier a warm-up starts from; a mini-CLIP backbone normalises its inputs with the
     * mini-CLIP's mean and std, which its tower was trained with.
     */
    public ClassifierConfig classifierConfig() {
        Backbone backbone = backbone();
        ClassifierConfig.Builder builder = ClassifierConfig.builder()
                .setClassNames(classNames())
                .optBackbone(backbone)
                .optInputSize(getInt(INPUT_SIZE))
                .optSeed(getLong(SEED));
        if (backbone instanceof Backbone.MiniClip miniClip) {
            ClipModelDescriptor descriptor = miniClipDescriptor(miniClip);
            builder.optMean(descriptor.mean()).optStd(descriptor.std());
        }
        return builder.build();
    }

    private static ClipModelDescriptor miniClipDescriptor(Backbone.MiniClip miniClip) {
        try {
            return miniClip.descriptor();
        } catch (ClassifierException e) {
            throw new ConfigException(BACKBONE, miniClip.source(), e.getMessage());
        }
    }

    /** The supervised targets of every round. */
    public TrainingTargets trainingTargets() {
        return TrainingTargets.of(getString(LOSS));
    }

    /** Epsilon of {@link TrainingTargets#LABEL_SMOOTHING}. */
    public float labelSmoothing() {
        return (float) getDouble(LABEL_SMOOTHING).doubleValue();
    }

    /** Optimiser settings of every round. */
    public ClassifierTrainerConfig optimiser() {
        return ClassifierTrainerConfig.builder()
                .optLearningRate((float) getDouble(LEARNING_RATE).doubleValue())
                .optHeadLearningRateFactor(
                        (float) getDouble(HEAD_LEARNING_RATE_FACTOR).doubleValue())
                .optBatchSize(getInt(BATCH_SIZE))
                .optSeed(getLong(SEED))
                .optJitter(new ColorJitter(
                        (float) STRONG_VIEW_STRENGTH,
                        (float) STRONG_VIEW_STRENGTH,
                        (float) STRONG_VIEW_STRENGTH,
                        (float) getDouble(STRONG_VIEW_HUE).doubleValue()))
                .optStrongView(StrongView.of(getString(STRONG_VIEW)))
                .optFreezeBackbone(getBoolean(BACKBONE_FROZEN))
                .build();
    }

    /** The classifier backbone named by {@value #BACKBONE}. */
    public Backbone backbone() {
        String name = getString(BACKBONE).strip();
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.startsWith("torchscript:")) {
            return Backbone.torchScript(Path.of(name.substring("torchscript:".length())));
        }
        try {
            if (lower.startsWith(MINI_CLIP + ":")) {
                return Backbone.miniClip(Path.of(name.substring(MINI_CLIP.length() + 1)));
            }
            if (lower.equals(MINI_CLIP)) {
                return Backbone.bundledMiniClip();
            }
        } catch (ClassifierException e) {
            throw new ConfigException(BACKBONE, name, e.getMessage());
        }
        return switch (lower) {
            case "small-cnn" -> Backbone.smallCnn();
            case "resnet50" -> Backbone.resNet50();
            case "resnet101" -> Backbone.resNet101();
            default ->
                throw new ConfigException(
                        BACKBONE,
                        name,
                        "expected small-cnn, resnet50, resnet101, torchscript:<file>, mini-clip or mini-clip:<dir>");
        };
    }

    /** The architecture name published with each checkpoint, e.g. small-cnn. */
    public String architecture() {
        String lower = getString(BACKBONE).strip().toLowerCase(Locale.ROOT);
        int colon = lower.indexOf(':');
        return colon > 0 ? lower.substring(0, colon) : lower;
    }

    /** Which pseudo-labels are positives of the train-label mAP. */
    public LabelBinarisation binarisation() {
        return LabelBinarisation.valueOf(getString(LABEL_BINARISATION));
    }

    /** The dead-letter topic of records the trainer cannot use. */
    public String deadLetterTopic() {
        return getString(DEAD_LETTER_TOPIC);
    }

    /** Whether the checkpoint endpoint runs. */
    public boolean httpEnabled() {
        return getBoolean(HTTP_ENABLED);
    }

    /** {@value #LOCATION_HTTP} or {@value #LOCATION_FILE}. */
    public String checkpointLocation() {
        return getString(CHECKPOINT_LOCATION);
    }

    /** Longest poll. */
    public Duration pollTimeout() {
        return Duration.ofMillis(getLong(POLL_TIMEOUT_MS));
    }

    /** How often the input is committed. */
    public Duration commitInterval() {
        return Duration.ofMillis(getLong(COMMIT_INTERVAL_MS));
    }

    /** Longest wait for the cluster at start. */
    public Duration startupTimeout() {
        return Duration.ofMillis(getLong(STARTUP_TIMEOUT_MS));
    }

    /** Where claim-checked images may be fetched from, and the limits. */
    public ImageBytes claimChecks() {
        return CLAIM_CHECKS.read(this);
    }

    /** Settings the registry serdes need. */
    public Map<String, Object> serdeSettings() {
        Map<String, Object> settings = new HashMap<>();
        originals().forEach((key, value) -> {
            if (key.startsWith("schema.registry.") || key.startsWith("basic.auth.")) {
                settings.put(key, value);
            }
        });
        settings.put(SCHEMA_REGISTRY_URL, String.join(",", getList(SCHEMA_REGISTRY_URL)));
        return settings;
    }

    /** Client settings for the consumer and producer: the bootstrap servers plus the {@code kafka.} pass-through. */
    public Map<String, Object> clientSettings() {
        Map<String, Object> settings = new HashMap<>(originalsWithPrefix(PASS_THROUGH_PREFIX));
        settings.put("bootstrap.servers", bootstrapServers());
        return settings;
    }
}
