package io.ccdstream.streams;

import io.ccdstream.streams.errors.DeadLetterHandler;
import io.ccdstream.topics.CcdTopics;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Settings shared by the pipeline's Kafka Streams applications. Each service runs under its own
 * {@code application.id}: {@code <ccd.application.id.prefix>-<service>}.
 *
 * <p>Any setting prefixed {@code kafka.} is passed to Kafka Streams without the prefix, for
 * what this class does not name (security, client tuning...).
 */
public final class CcdStreamsConfig extends AbstractConfig {

    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String APPLICATION_ID_PREFIX = "ccd.application.id.prefix";
    public static final String STATE_DIR = "ccd.state.dir";
    public static final String PROCESSING_GUARANTEE = "processing.guarantee";
    public static final String DEAD_LETTER_TOPIC = "ccd.dlq.topic";
    public static final String NUM_STREAM_THREADS = "num.stream.threads";
    public static final String COMMIT_INTERVAL_MS = "commit.interval.ms";
    public static final String SESSION_TIMEOUT_MS = "ccd.session.timeout.ms";
    public static final String PASS_THROUGH_PREFIX = "kafka.";
    /** How the dashboard's review queue ranks images: uncertainty, disagreement or random. */
    public static final String REVIEW_STRATEGY = "ccd.review.strategy";
    /** Images the dashboard's review queue holds. */
    public static final String REVIEW_QUEUE_SIZE = "ccd.review.queue.size";

    /** Default of {@value #STATE_DIR}: under the working directory, beside the demo's broker data. */
    public static final String DEFAULT_STATE_DIR = "ccd-data/streams";

    private static final ConfigDef DEFINITION = new ConfigDef()
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
                    APPLICATION_ID_PREFIX,
                    Type.STRING,
                    "ccd",
                    new ConfigDef.NonEmptyString(),
                    Importance.MEDIUM,
                    "Prefix of each service's Kafka Streams application.id (and so of its consumer group and internal topics).")
            .define(
                    STATE_DIR,
                    Type.STRING,
                    DEFAULT_STATE_DIR,
                    new ConfigDef.NonEmptyString(),
                    Importance.MEDIUM,
                    "Directory for Kafka Streams state stores, one sub-directory per service; relative to the working"
                            + " directory unless absolute. Durable: not under the temporary directory.")
            .define(
                    PROCESSING_GUARANTEE,
                    Type.STRING,
                    StreamsConfig.EXACTLY_ONCE_V2,
                    ValidString.in(StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE),
                    Importance.MEDIUM,
                    "exactly_once_v2 (default) or at_least_once.")
            .define(
                    DEAD_LETTER_TOPIC,
                    Type.STRING,
                    CcdTopics.DEAD_LETTERS,
                    new ConfigDef.NonEmptyString(),
                    Importance.MEDIUM,
                    "Topic that receives poison records with their reason and source coordinates.")
            .define(NUM_STREAM_THREADS, Type.INT, 1, Range.atLeast(1), Importance.MEDIUM, "Stream threads per service.")
            .define(
                    COMMIT_INTERVAL_MS,
                    Type.LONG,
                    200L,
                    Range.atLeast(10),
                    Importance.LOW,
                    "How often each service commits (and, under exactly-once, makes its output visible).")
            .define(
                    SESSION_TIMEOUT_MS,
                    Type.INT,
                    10_000,
                    Range.between(6_000, 300_000),
                    Importance.LOW,
                    "Consumer session timeout: how soon the group notices an instance that died without leaving.")
            .define(
                    REVIEW_STRATEGY,
                    Type.STRING,
                    "uncertainty",
                    ValidString.in("uncertainty", "disagreement", "random"),
                    Importance.LOW,
                    "How the dashboard's review page (and ccd export --queue) picks the next image for a person:"
                            + " uncertainty (labels near the 0.5 threshold, rare classes first), disagreement (global"
                            + " vs CAM-crop views) or random (the control).")
            .define(
                    REVIEW_QUEUE_SIZE,
                    Type.INT,
                    64,
                    Range.between(1, 10_000),
                    Importance.LOW,
                    "Images the dashboard's review queue holds (the most useful ones, with their bytes).");

    /** Parses and validates {@code settings}. */
    public CcdStreamsConfig(Map<String, ?> settings) {
        super(DEFINITION, settings);
    }

    /** The settings of services on the cluster at {@code bootstrapServers} keeping their state under {@code stateDir}. */
    public static CcdStreamsConfig of(String bootstrapServers, String registryUrl, Path stateDir) {
        return new CcdStreamsConfig(Map.of(
                BOOTSTRAP_SERVERS, bootstrapServers, SCHEMA_REGISTRY_URL, registryUrl, STATE_DIR, stateDir.toString()));
    }

    /** The definition, for documentation. */
    public static ConfigDef definition() {
        return new ConfigDef(DEFINITION);
    }

    /**
     * The {@code kafka.*} settings without their prefix (security, client tuning...), for the plain
     * producers and consumers of a command as much as for Kafka Streams.
     */
    public Map<String, Object> clientOverrides() {
        return originalsWithPrefix(PASS_THROUGH_PREFIX);
    }

    /** The application id of {@code service}. */
    public String applicationId(String service) {
        return getString(APPLICATION_ID_PREFIX) + "-" + service;
    }

    /** Registry URL list as one comma-separated string. */
    public String schemaRegistryUrl() {
        return String.join(",", getList(SCHEMA_REGISTRY_URL));
    }

    /** Bootstrap servers as one comma-separated string. */
    public String bootstrapServers() {
        return String.join(",", getList(BOOTSTRAP_SERVERS));
    }

    /** Name of the dead-letter topic. */
    public String deadLetterTopic() {
        return getString(DEAD_LETTER_TOPIC);
    }

    /** Settings the registry serdes need: the registry URL and any {@code schema.registry.*} / {@code basic.auth.*} keys. */
    public Map<String, Object> serdeSettings() {
        Map<String, Object> settings = new HashMap<>();
        originals().forEach((key, value) -> {
            if (key.startsWith("schema.registry.") || key.startsWith("basic.auth.")) {
                settings.put(key, value);
            }
        });
        settings.put(SCHEMA_REGISTRY_URL, schemaRegistryUrl());
        return settings;
    }

    /** The Kafka Streams properties of {@code service}. */
    public Map<String, Object> streamsProperties(String service) {
        Map<String, Object> props = new HashMap<>();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId(service));
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, getString(PROCESSING_GUARANTEE));
        props.put(
                StreamsConfig.STATE_DIR_CONFIG,
                Path.of(getString(STATE_DIR), service).toString());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, getInt(NUM_STREAM_THREADS));
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, getLong(COMMIT_INTERVAL_MS));
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, deadLetterTopic());
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), getInt(SESSION_TIMEOUT_MS));
        props.put(
                StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG),
                Math.max(1000, getInt(SESSION_TIMEOUT_MS) / 4));
        // a scoring batch may take seconds on CPU; the image topic's records may be up to 2 MiB
        props.put(StreamsConfig.producerPrefix("max.request.size"), 4 * 1024 * 1024);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG), 4 * 1024 * 1024);
        props.putAll(clientOverrides());
        props.putAll(serdeSettings());
        return props;
    }
}
