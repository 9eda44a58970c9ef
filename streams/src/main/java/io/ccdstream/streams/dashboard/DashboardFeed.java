package io.ccdstream.streams.dashboard;

import io.ccdstream.method.active.ActiveSelection;
import io.ccdstream.method.active.SelectionStrategy;
import io.ccdstream.schemas.Bias;
import io.ccdstream.schemas.Checkpoint;
import io.ccdstream.schemas.Image;
import io.ccdstream.schemas.ImageKey;
import io.ccdstream.schemas.Label;
import io.ccdstream.schemas.Review;
import io.ccdstream.schemas.Scores;
import io.ccdstream.streams.CcdStreamsConfig;
import io.ccdstream.streams.bias.BiasTopology;
import io.ccdstream.streams.labeler.LabelerTopology;
import io.ccdstream.streams.scorer.ScorerTopology;
import io.ccdstream.topics.CcdTopics;
import io.ccdstream.topics.ClusterAccess;
import io.ccdstream.topics.DeadLetters;
import io.ccdstream.topics.OutputWatcher;
import io.ccdstream.topics.RegistrySerdes;
import io.ccdstream.topics.SerdeFactory;
import io.ccdstream.topics.review.ReviewProducer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds a {@link DashboardState} from the cluster on a thread of its own: the images, scores, labels and dead
 * letters written from now on (read_committed), the bias and checkpoint histories and the reviews from the
 * start of their compacted topics, and every {@link #SAMPLE_INTERVAL} a point of the time series with the consumer lag of
 * the pipeline's services (their committed offsets against the ends of their input topics).
 *
 * <p>It reads the whole cluster's output, so the dashboard of one process shows the work of every instance.
 */
public final class DashboardFeed implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DashboardFeed.class);

    /** Time between two points of the time series. */
    public static final Duration SAMPLE_INTERVAL = Duration.ofSeconds(1);

    private final DashboardState state;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Admin admin;
    private final ReviewProducer reviews;
    private final Map<String, String> groups;
    private final Supplier<Optional<Checkpoint>> installed;
    private final Clock clock;
    private final Deserializers deserializers;
    private final String deadLetterTopic;
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * Starts reading; returns once the feed is positioned, so that everything written afterwards is seen.
     *
     * @param state           where to put what is read
     * @param bootstrapServers the cluster
     * @param overrides       further client settings (security, ...), applied last
     * @param serdes          the registry's serdes
     * @param deadLetterTopic the dead-letter topic
     * @param groups          the consumer group of each service whose lag to show, by service name
     * @param installed       the checkpoint the scorer of this process uses, or null without a scorer here
     */
    public DashboardFeed(
            DashboardState state,
            String bootstrapServers,
            Map<String, ?> overrides,
            SerdeFactory serdes,
            String deadLetterTopic,
            Map<String, String> groups,
            Supplier<Optional<Checkpoint>> installed) {
        this.state = Objects.requireNonNull(state, "state");
        this.groups = new LinkedHashMap<>(groups);
        this.installed = installed;
        this.clock = Clock.systemUTC();
        this.deadLetterTopic = deadLetterTopic;
        this.deserializers = new Deserializers(serdes);
        this.consumer = new KafkaConsumer<>(
                OutputWatcher.props(bootstrapServers, overrides),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        Map<String, Object> adminProps = new HashMap<>();
        adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        adminProps.putAll(overrides);
        this.admin = Admin.create(adminProps);
        this.reviews = new ReviewProducer(bootstrapServers, serdes, overrides);
        try {
            position(bootstrapServers);
        } catch (RuntimeException e) {
            consumer.close();
            admin.close();
            reviews.close();
            throw ClusterAccess.translate(e, "read the pipeline's output for the dashboard");
        }
        state.reviewSink(reviews::send);
        this.thread = new Thread(this::run, "ccd-dashboard-feed");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * A feed of the pipeline that {@code config} describes, for class set {@code classSetId}, with the lag of
     * the scorer, bias and labeler services.
     *
     * @param installed the checkpoint the scorer of this process uses, or null without a scorer here
     */
    public static DashboardFeed of(
            CcdStreamsConfig config,
            String classSetId,
            List<String> classNames,
            Supplier<Optional<Checkpoint>> installed) {
        Map<String, String> groups = new LinkedHashMap<>();
        for (String service : List.of(ScorerTopology.SERVICE, BiasTopology.SERVICE, LabelerTopology.SERVICE)) {
            groups.put(service, config.applicationId(service));
        }
        return new DashboardFeed(
                new DashboardState(
                        classSetId,
                        classNames,
                        new ActiveSelection(
                                SelectionStrategy.of(config.getString(CcdStreamsConfig.REVIEW_STRATEGY)), 0),
                        config.getInt(CcdStreamsConfig.REVIEW_QUEUE_SIZE)),
                config.bootstrapServers(),
                config.clientOverrides(),
                new RegistrySerdes(config.serdeSettings()),
                config.deadLetterTopic(),
                groups,
                installed);
    }

    private void position(String bootstrapServers) {
        List<TopicPartition> fromEnd = new ArrayList<>();
        List<TopicPartition> fromStart = new ArrayList<>();
        for (String topic :
                List.of(CcdTopics.IMAGES.name(), CcdTopics.SCORES.name(), CcdTopics.LABELS.name(), deadLetterTopic)) {
            fromEnd.addAll(partitions(topic));
        }
        for (String topic : List.of(CcdTopics.BIAS.name(), CcdTopics.CHECKPOINTS.name(), CcdTopics.REVIEWS.name())) {
            fromStart.addAll(partitions(topic));
        }
        List<TopicPartition> all = new ArrayList<>(fromEnd);
        all.addAll(fromStart);
        consumer.assign(all);
        consumer.seekToEnd(fromEnd);
        consumer.seekToBeginning(fromStart);
        all.forEach(consumer::position);
        LOG.debug("Dashboard feed reads {} partitions of {}", all.size(), bootstrapServers);
    }

    private List<TopicPartition> partitions(String topic) {
        return consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .toList();
    }

    private void run() {
        Instant nextSample = clock.instant();
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    read(record);
                }
                Instant now = clock.instant();
                if (!now.isBefore(nextSample)) {
                    sample(now);
                    nextSample = now.plus(SAMPLE_INTERVAL);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.warn("The dashboard stopped reading the pipeline's output", e);
        }
    }

    private void read(ConsumerRecord<byte[], byte[]> record) {
        String topic = record.topic();
        try {
            if (topic.equals(deadLetterTopic)) {
                state.deadLetter(deadLetter(record));
            } else if (record.value() == null) {
                return; // tombstone
            } else if (topic.equals(CcdTopics.IMAGES.name())) {
                state.image(deserializers.image.deserialize(topic, record.value()));
            } else if (topic.equals(CcdTopics.SCORES.name())) {
                state.scores(deserializers.scores.deserialize(topic, record.value()));
            } else if (topic.equals(CcdTopics.LABELS.name())) {
                state.label(deserializers.label.deserialize(topic, record.value()));
            } else if (topic.equals(CcdTopics.BIAS.name())) {
                state.bias(deserializers.bias.deserialize(topic, record.value()));
            } else if (topic.equals(CcdTopics.CHECKPOINTS.name())) {
                state.checkpoint(deserializers.checkpoint.deserialize(topic, record.value()));
            } else if (topic.equals(CcdTopics.REVIEWS.name())) {
                state.review(deserializers.review.deserialize(topic, record.value()));
            }
        } catch (RuntimeException e) {
            // a record the pipeline itself refuses (it goes to the dead letters) is not the dashboard's business
            LOG.debug("Dashboard skips {}-{}@{}", topic, record.partition(), record.offset(), e);
        }
    }

    private DashboardState.DeadLetter deadLetter(ConsumerRecord<byte[], byte[]> record) {
        String imageId = null;
        if (record.key() != null) {
            try {
                imageId = deserializers
                        .imageKey
                        .deserialize(CcdTopics.IMAGES.name(), record.key())
                        .getImageId();
            } catch (RuntimeException e) {
                // a key that is not an image key (or not Avro at all): shown without an id
            }
        }
        var headers = record.headers();
        return new DashboardState.DeadLetter(
                imageId,
                String.valueOf(DeadLetters.header(headers, DeadLetters.REASON)),
                DeadLetters.header(headers, DeadLetters.MESSAGE),
                DeadLetters.source(headers),
                DeadLetters.header(headers, DeadLetters.PROCESSOR));
    }

    private void sample(Instant now) {
        if (installed != null) {
            installed.get().ifPresent(c -> state.installed(c.getVersion(), now));
        }
        state.sample(now, lag());
    }

    /** Lag of each service: what its group has yet to read of its input topics (internal topics aside). */
    private Map<String, Long> lag() {
        Map<String, Long> lag = new LinkedHashMap<>();
        for (Map.Entry<String, String> group : groups.entrySet()) {
            try {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group.getValue())
                        .partitionsToOffsetAndMetadata()
                        .get(2, TimeUnit.SECONDS);
                Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
                committed.forEach((tp, offset) -> {
                    if (offset != null && !tp.topic().startsWith(group.getValue() + "-")) {
                        ends.put(tp, OffsetSpec.latest());
                    }
                });
                var latest = admin.listOffsets(ends, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                        .all()
                        .get(2, TimeUnit.SECONDS);
                long behind = 0;
                for (TopicPartition tp : ends.keySet()) {
                    behind += Math.max(
                            0, latest.get(tp).offset() - committed.get(tp).offset());
                }
                lag.put(group.getKey(), behind);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return lag;
            } catch (Exception e) {
                LOG.debug("No lag of {}", group.getKey(), e);
            }
        }
        return lag;
    }

    /** The state this feed fills. */
    public DashboardState state() {
        return state;
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close();
        admin.close(Duration.ofSeconds(5));
        reviews.close();
    }

    /** The value deserializers of the topics read. */
    private static final class Deserializers {
        final Deserializer<ImageKey> imageKey;
        final Deserializer<Image> image;
        final Deserializer<Scores> scores;
        final Deserializer<Label> label;
        final Deserializer<Bias> bias;
        final Deserializer<Checkpoint> checkpoint;
        final Deserializer<Review> review;

        Deserializers(SerdeFactory serdes) {
            imageKey = CcdTopics.IMAGES.keySerde(serdes).deserializer();
            image = CcdTopics.IMAGES.valueSerde(serdes).deserializer();
            scores = CcdTopics.SCORES.valueSerde(serdes).deserializer();
            label = CcdTopics.LABELS.valueSerde(serdes).deserializer();
            bias = CcdTopics.BIAS.valueSerde(serdes).deserializer();
            checkpoint = CcdTopics.CHECKPOINTS.valueSerde(serdes).deserializer();
            review = CcdTopics.REVIEWS.valueSerde(serdes).deserializer();
        }
    }
}
