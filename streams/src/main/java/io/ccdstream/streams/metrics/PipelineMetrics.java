package io.ccdstream.streams.metrics;

import io.ccdstream.schemas.Label;
import io.ccdstream.schemas.LabelStage;
import io.ccdstream.schemas.Scores;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The pipeline's own meters, registered in the process's {@link MeterRegistry}. Micrometer names are
 * dotted; Prometheus shows them with underscores, base units and {@code _total} for counters:
 * <ul>
 *   <li>{@value #IMAGES_SCORED} ({@code ccd_images_scored_total{kind="global|refined"}}): images scored,
 *       globally only or refined with CAM crops;</li>
 *   <li>{@value #CLIP_INFERENCES} ({@code ccd_clip_inferences_per_image_count/_sum}): CLIP inferences an
 *       image took;</li>
 *   <li>{@value #BATCH_SIZE} ({@code ccd_scoring_batch_size}) and {@value #BATCH_LATENCY}
 *       ({@code ccd_scoring_batch_latency_seconds} with histogram buckets): scoring batches;</li>
 *   <li>{@value #MODEL_BUSY} ({@code ccd_scoring_model_busy_seconds_total}): time the scorer's model spent
 *       in calls; its rate over wall-clock time is the model's busy share;</li>
 *   <li>{@value #DEAD_LETTERS} ({@code ccd_dead_letters_total{service,reason}}): records sent to the
 *       dead-letter topic;</li>
 *   <li>{@value #LABELS} ({@code ccd_labels_total{stage="initial|refined"}}): labels the labeler wrote;</li>
 *   <li>{@value #IMAGES_RESCORED} ({@code ccd_images_rescored_total}) and {@value #RESCORE_CLIP_INFERENCES}
 *       ({@code ccd_rescore_clip_inferences_total}): images re-scored with a clearly better checkpoint and the
 *       CLIP inferences it took (not counted in the two meters of newly scored images);</li>
 *   <li>{@value #RESCORE_DROPPED} ({@code ccd_rescore_dropped_total{reason}}): images kept for re-scoring
 *       that could not be re-scored (their label stays).</li>
 * </ul>
 * The gauges of the bias and the checkpoints are registered by the pipeline that owns their state.
 */
public final class PipelineMetrics {

    /**
     * Streams property carrying this object to the {@code DeadLetterHandler} Kafka Streams instantiates
     * (not a Kafka property: Kafka Streams passes it on to the handler's {@code configure}).
     */
    public static final String CONFIG = "ccd.metrics";

    /** Streams property naming the service whose dead letters the handler counts. */
    public static final String SERVICE_CONFIG = "ccd.metrics.service";

    /** Counter of scored images, tagged {@code kind}. */
    public static final String IMAGES_SCORED = "ccd.images.scored";
    /** Summary of CLIP inferences per scored image. */
    public static final String CLIP_INFERENCES = "ccd.clip.inferences.per.image";
    /** Summary of images per scoring batch. */
    public static final String BATCH_SIZE = "ccd.scoring.batch.size";
    /** Timer of scoring batches. */
    public static final String BATCH_LATENCY = "ccd.scoring.batch.latency";
    /** Seconds the scorer's model lanes spent in model calls: its rate is the model's busy share. */
    public static final String MODEL_BUSY = "ccd.scoring.model.busy";
    /** Counter of dead letters, tagged {@code service} and {@code reason}. */
    public static final String DEAD_LETTERS = "ccd.dead.letters";
    /** Counter of labels written, tagged {@code stage}. */
    public static final String LABELS = "ccd.labels";
    /** Reviews the labeler applied, by outcome. */
    public static final String REVIEWS = "ccd.reviews";
    /** Counter of images re-scored with a clearly better checkpoint. */
    public static final String IMAGES_RESCORED = "ccd.images.rescored";
    /** Counter of the CLIP inferences re-scoring took. */
    public static final String RESCORE_CLIP_INFERENCES = "ccd.rescore.clip.inferences";
    /** Counter of images that left the re-scoring store unscored, tagged {@code reason}. */
    public static final String RESCORE_DROPPED = "ccd.rescore.dropped";
    /** Gauge of the current bias version, tagged {@code class_set}. */
    public static final String BIAS_VERSION = "ccd.bias.version";
    /** Gauge of the current bias of a class, tagged {@code class_set} and {@code class}. */
    public static final String BIAS_VALUE = "ccd.bias.value";
    /** Gauge of the classifier checkpoint version the scorer uses, tagged {@code class_set}. */
    public static final String CHECKPOINT_VERSION = "ccd.checkpoint.version";
    /** Counter of refused checkpoints, tagged {@code class_set}. */
    public static final String CHECKPOINTS_REFUSED = "ccd.checkpoints.refused";

    private final MeterRegistry registry;
    private final DistributionSummary clipInferences;
    private final DistributionSummary batchSize;
    private final Timer batchLatency;
    private final Counter modelBusy;
    private final Map<LabelStage, Counter> labelCounters = new ConcurrentHashMap<>();

    /** Meters in {@code registry}. */
    public PipelineMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.clipInferences = DistributionSummary.builder(CLIP_INFERENCES)
                .description("CLIP inferences (global view and CAM crops) per scored image")
                .register(registry);
        this.batchSize = DistributionSummary.builder(BATCH_SIZE)
                .description("Images per scoring batch")
                .register(registry);
        this.batchLatency = Timer.builder(BATCH_LATENCY)
                .description("Time to score a batch of images")
                .publishPercentileHistogram()
                .register(registry);
        this.modelBusy = Counter.builder(MODEL_BUSY)
                .description("Seconds the scorer's model spent in model calls; its rate is the model's busy share")
                .baseUnit("seconds")
                .register(registry);
    }

    /** The registry the meters live in. */
    public MeterRegistry registry() {
        return registry;
    }

    /** Counts a scored image by kind and records its CLIP inferences. */
    public void imageScored(Scores scores) {
        Counter.builder(IMAGES_SCORED)
                .description("Images scored, by kind: global view only or refined with CAM crops")
                .tag("kind", scores.getLocal() == null ? "global" : "refined")
                .register(registry)
                .increment();
        clipInferences.record(scores.getClipInferences());
    }

    /** Counts an image re-scored with a clearly better checkpoint and its CLIP inferences. */
    public void imageRescored(Scores scores) {
        Counter.builder(IMAGES_RESCORED)
                .description("Images re-scored with a clearly better classifier checkpoint")
                .register(registry)
                .increment();
        Counter.builder(RESCORE_CLIP_INFERENCES)
                .description("CLIP inferences spent re-scoring images")
                .register(registry)
                .increment(scores.getClipInferences());
    }

    /** Counts an image that left the re-scoring store without being re-scored. */
    public void rescoreDropped(String reason) {
        Counter.builder(RESCORE_DROPPED)
                .description("Images kept for re-scoring that could not be re-scored, by reason (their label stays)")
                .tag("reason", reason)
                .register(registry)
                .increment();
    }

    /** Records a scoring batch of {@code size} images that took {@code nanos}. */
    public void batchScored(int size, long nanos) {
        batchSize.record(size);
        batchLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Counts {@code nanos} the model spent in calls. */
    public void modelBusy(long nanos) {
        modelBusy.increment(nanos / 1e9);
    }

    /** Counts a record {@code service} sent to the dead-letter topic for {@code reason}. */
    public void deadLetter(String service, String reason) {
        Counter.builder(DEAD_LETTERS)
                .description("Records sent to the dead-letter topic, by service and reason")
                .tag("service", service)
                .tag("reason", reason)
                .register(registry)
                .increment();
    }

    /** Counts a label written, by its stage. */
    public void labelled(Label label) {
        // looked up once per stage: registering per record sorted and compared its tags every time
        labelCounters
                .computeIfAbsent(
                        label.getStage(),
                        stage -> Counter.builder(LABELS)
                                .description("Labels written by the labeler, by stage")
                                .tag("stage", stage.name().toLowerCase(Locale.ROOT))
                                .register(registry))
                .increment();
    }

    /** Counts a review the labeler applied (or a withdrawn one, {@code outcome} = withdrawn). */
    public void reviewed(String outcome) {
        Counter.builder(REVIEWS)
                .description("Reviews the labeler turned into VERIFIED labels (applied) or withdrew (tombstone)")
                .tag("outcome", outcome)
                .register(registry)
                .increment();
    }
}
