package io.ccdstream.topics;

import io.ccdstream.schemas.Alert;
import io.ccdstream.schemas.Bias;
import io.ccdstream.schemas.Checkpoint;
import io.ccdstream.schemas.ClassSetKey;
import io.ccdstream.schemas.Image;
import io.ccdstream.schemas.ImageKey;
import io.ccdstream.schemas.Label;
import io.ccdstream.schemas.Review;
import io.ccdstream.schemas.Scores;
import io.ccdstream.schemas.ShadowResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The topics of the pipeline (DESIGN.md, data flow). */
public final class CcdTopics {

    /** Largest inline image a producer may put on {@link #IMAGES}; larger images go by claim check. */
    public static final int MAX_INLINE_IMAGE_BYTES = 1024 * 1024;

    /** Broker-side record limit of the image and dead-letter topics: one inline image plus record overhead. */
    public static final String IMAGE_TOPIC_MAX_MESSAGE_BYTES = Integer.toString(2 * MAX_INLINE_IMAGE_BYTES);

    private static final Map<String, String> COMPACTED = Map.of("cleanup.policy", "compact");

    /** Images to label: claim check or inline bytes. */
    public static final Topic<ImageKey, Image> IMAGES = new Topic<>(
            "ccd.images",
            ImageKey.class,
            Image.class,
            Map.of("cleanup.policy", "delete", "max.message.bytes", IMAGE_TOPIC_MAX_MESSAGE_BYTES));

    /** Raw CLIP probabilities per image, global and local. */
    public static final Topic<ImageKey, Scores> SCORES =
            new Topic<>("ccd.scores", ImageKey.class, Scores.class, Map.of("cleanup.policy", "delete"));

    /** Current CLIP class bias per class set. */
    public static final Topic<ClassSetKey, Bias> BIAS =
            new Topic<>("ccd.bias", ClassSetKey.class, Bias.class, COMPACTED);

    /** Latest label per image. */
    public static final Topic<ImageKey, Label> LABELS =
            new Topic<>("ccd.labels", ImageKey.class, Label.class, COMPACTED);

    /** Latest classifier checkpoint per class set. */
    public static final Topic<ClassSetKey, Checkpoint> CHECKPOINTS =
            new Topic<>("ccd.checkpoints", ClassSetKey.class, Checkpoint.class, COMPACTED);

    /** How each candidate checkpoint scored in shadow next to the one in use, and the verdict. */
    public static final Topic<ClassSetKey, ShadowResult> SHADOW =
            new Topic<>("ccd.shadow", ClassSetKey.class, ShadowResult.class, Map.of("cleanup.policy", "delete"));

    /** Drift alerts per class set. */
    public static final Topic<ClassSetKey, Alert> ALERTS =
            new Topic<>("ccd.alerts", ClassSetKey.class, Alert.class, Map.of("cleanup.policy", "delete"));

    /**
     * A person's latest verdicts per image (compacted: the later review of an image wins; both stay in
     * the history until compaction). Partitioned like {@link #SCORES}, which the labeler joins it with.
     */
    public static final Topic<ImageKey, Review> REVIEWS =
            new Topic<>("ccd.reviews", ImageKey.class, Review.class, COMPACTED);

    /** Name of the dead-letter topic; its records are the poison records' raw bytes with reason headers. */
    public static final String DEAD_LETTERS = "ccd.dlq";

    /** Configs of the dead-letter topic: it must hold any record of the image topic. */
    public static final Map<String, String> DEAD_LETTER_CONFIGS =
            Map.of("cleanup.policy", "delete", "max.message.bytes", IMAGE_TOPIC_MAX_MESSAGE_BYTES);

    /** Every Avro topic of the pipeline (new topics are appended). */
    public static final List<Topic<?, ?>> ALL =
            List.of(IMAGES, SCORES, BIAS, LABELS, CHECKPOINTS, SHADOW, ALERTS, REVIEWS);

    private CcdTopics() {}

    /**
     * What to create for the pipeline: every topic of {@link #ALL} plus the dead-letter topic.
     * Compacted, per-class-set topics get one partition; the per-image topics {@code partitions}.
     */
    public static List<TopicSpec> specs(int partitions, short replicationFactor, String deadLetterTopic) {
        List<TopicSpec> specs = new ArrayList<>();
        for (Topic<?, ?> topic : ALL) {
            boolean perClassSet = topic == BIAS || topic == CHECKPOINTS || topic == SHADOW || topic == ALERTS;
            specs.add(new TopicSpec(topic.name(), perClassSet ? 1 : partitions, replicationFactor, topic.configs()));
        }
        specs.add(new TopicSpec(deadLetterTopic, 1, replicationFactor, DEAD_LETTER_CONFIGS));
        return specs;
    }
}
