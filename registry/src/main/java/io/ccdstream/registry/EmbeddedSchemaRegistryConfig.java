package io.ccdstream.registry;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Settings of {@link EmbeddedSchemaRegistry}, under Confluent Schema Registry's names where it
 * has one.
 */
public class EmbeddedSchemaRegistryConfig extends AbstractConfig {

    /** The address to serve on, as one {@code http://host:port} URL; port 0 picks a free port. */
    public static final String LISTENERS_CONFIG = "listeners";

    private static final String LISTENERS_DOC = "Address to serve the REST API on, as http://host:port."
            + " Port 0 picks a free port (read it back from url()). Binds loopback by default; use"
            + " http://0.0.0.0:8081 to serve other hosts.";

    /** Kafka cluster holding the registry's topic; empty keeps the state in memory only. */
    public static final String KAFKASTORE_BOOTSTRAP_SERVERS_CONFIG = "kafkastore.bootstrap.servers";

    private static final String KAFKASTORE_BOOTSTRAP_SERVERS_DOC = "Kafka bootstrap servers of the cluster"
            + " that stores registered schemas and settings. Empty keeps them in memory: nothing survives"
            + " a restart.";

    /** The compacted topic holding registered schemas and settings. */
    public static final String KAFKASTORE_TOPIC_CONFIG = "kafkastore.topic";

    private static final String KAFKASTORE_TOPIC_DOC = "Compacted, single-partition topic holding"
            + " registered schemas and compatibility settings; created when missing.";

    /** Replication factor of the topic when created, capped at the number of brokers. */
    public static final String KAFKASTORE_TOPIC_REPLICATION_FACTOR_CONFIG = "kafkastore.topic.replication.factor";

    private static final String KAFKASTORE_TOPIC_REPLICATION_FACTOR_DOC = "Replication factor of the store"
            + " topic when the registry creates it; a cluster with fewer brokers gets one replica per broker.";

    /** How long one write may wait for the broker's acknowledgement. */
    public static final String KAFKASTORE_TIMEOUT_MS_CONFIG = "kafkastore.timeout.ms";

    private static final String KAFKASTORE_TIMEOUT_MS_DOC = "How long a registration or setting change waits"
            + " for Kafka to acknowledge its record before failing with error 50001, in milliseconds.";

    /** How long start-up may take to create and read the topic. */
    public static final String KAFKASTORE_INIT_TIMEOUT_MS_CONFIG = "kafkastore.init.timeout.ms";

    private static final String KAFKASTORE_INIT_TIMEOUT_MS_DOC =
            "How long start-up may take to create the" + " store topic and read it to the end, in milliseconds.";

    /** The global compatibility level until one is set through the API. */
    public static final String SCHEMA_COMPATIBILITY_LEVEL_CONFIG = "schema.compatibility.level";

    private static final String SCHEMA_COMPATIBILITY_LEVEL_DOC = "Global compatibility level used until one"
            + " is set with PUT /config: none, backward, backward_transitive, forward, forward_transitive,"
            + " full or full_transitive.";

    /** Largest request body the server reads; larger ones are refused with 413. */
    public static final String HTTP_REQUEST_MAX_BYTES_CONFIG = "http.request.max.bytes";

    private static final String HTTP_REQUEST_MAX_BYTES_DOC = "Largest request body the REST API accepts,"
            + " in bytes; a larger one is refused with status 413 (error code 413) without being read.";

    /** How long a connection may stay silent, while sending a request or idle between requests. */
    public static final String HTTP_IDLE_TIMEOUT_MS_CONFIG = "http.idle.timeout.ms";

    private static final String HTTP_IDLE_TIMEOUT_MS_DOC = "How long a connection may send nothing, in"
            + " the middle of a request or between requests, before the server closes it, in milliseconds.";

    /** Upper bound of the server's request threads. */
    public static final String HTTP_THREADS_MAX_CONFIG = "http.threads.max";

    private static final String HTTP_THREADS_MAX_DOC = "Most threads the HTTP server uses, for accepting"
            + " connections and answering requests together (at least 16: Jetty keeps up to 8 for"
            + " accepting and selecting on machines with many cores). Requests are handed to a thread only once"
            + " their body has arrived, so slow clients do not hold threads.";

    /** {@code NONE} or {@code BASIC}: whether the REST API asks for HTTP basic authentication. */
    public static final String AUTHENTICATION_METHOD_CONFIG = "authentication.method";

    private static final String AUTHENTICATION_METHOD_DOC = "NONE serves every request; BASIC requires"
            + " HTTP basic authentication with one of the users of " + "authentication.basic.users"
            + " and answers others with 401.";

    /** Users allowed with {@code authentication.method=BASIC}, as {@code user:password[,user:password...]}. */
    public static final String AUTHENTICATION_BASIC_USERS_CONFIG = "authentication.basic.users";

    private static final String AUTHENTICATION_BASIC_USERS_DOC = "Comma-separated user:password pairs"
            + " accepted when authentication.method is BASIC (clients set basic.auth.credentials.source="
            + "USER_INFO and basic.auth.user.info=user:password).";

    /** Value of {@code authentication.method} that requires basic authentication. */
    public static final String BASIC_AUTHENTICATION = "BASIC";

    private static final ConfigDef CONFIG = new ConfigDef()
            .define(LISTENERS_CONFIG, Type.STRING, "http://127.0.0.1:0", Importance.HIGH, LISTENERS_DOC)
            .define(
                    KAFKASTORE_BOOTSTRAP_SERVERS_CONFIG,
                    Type.STRING,
                    "",
                    Importance.HIGH,
                    KAFKASTORE_BOOTSTRAP_SERVERS_DOC)
            .define(
                    KAFKASTORE_TOPIC_CONFIG,
                    Type.STRING,
                    "_schemas",
                    new ConfigDef.NonEmptyString(),
                    Importance.MEDIUM,
                    KAFKASTORE_TOPIC_DOC)
            .define(
                    KAFKASTORE_TOPIC_REPLICATION_FACTOR_CONFIG,
                    Type.SHORT,
                    (short) 3,
                    ConfigDef.Range.atLeast(1),
                    Importance.MEDIUM,
                    KAFKASTORE_TOPIC_REPLICATION_FACTOR_DOC)
            .define(
                    KAFKASTORE_TIMEOUT_MS_CONFIG,
                    Type.INT,
                    10_000,
                    ConfigDef.Range.atLeast(1),
                    Importance.LOW,
                    KAFKASTORE_TIMEOUT_MS_DOC)
            .define(
                    KAFKASTORE_INIT_TIMEOUT_MS_CONFIG,
                    Type.INT,
                    60_000,
                    ConfigDef.Range.atLeast(1),
                    Importance.LOW,
                    KAFKASTORE_INIT_TIMEOUT_MS_DOC)
            .define(
                    SCHEMA_COMPATIBILITY_LEVEL_CONFIG,
                    Type.STRING,
                    "backward",
                    ConfigDef.CaseInsensitiveValidString.in(levelNames()),
                    Importance.MEDIUM,
                    SCHEMA_COMPATIBILITY_LEVEL_DOC)
            .define(
                    HTTP_REQUEST_MAX_BYTES_CONFIG,
                    Type.INT,
                    2 * 1024 * 1024,
                    ConfigDef.Range.atLeast(1024),
                    Importance.LOW,
                    HTTP_REQUEST_MAX_BYTES_DOC)
            .define(
                    HTTP_IDLE_TIMEOUT_MS_CONFIG,
                    Type.INT,
                    30_000,
                    ConfigDef.Range.atLeast(1),
                    Importance.LOW,
                    HTTP_IDLE_TIMEOUT_MS_DOC)
            .define(
                    HTTP_THREADS_MAX_CONFIG,
                    Type.INT,
                    32,
                    ConfigDef.Range.atLeast(16),
                    Importance.LOW,
                    HTTP_THREADS_MAX_DOC)
            .define(
                    AUTHENTICATION_METHOD_CONFIG,
                    Type.STRING,
                    "NONE",
                    ConfigDef.CaseInsensitiveValidString.in("NONE", BASIC_AUTHENTICATION),
                    Importance.MEDIUM,
                    AUTHENTICATION_METHOD_DOC)
            .define(
                    AUTHENTICATION_BASIC_USERS_CONFIG,
                    Type.PASSWORD,
                    null,
                    Importance.MEDIUM,
                    AUTHENTICATION_BASIC_USERS_DOC);

    /**
     * @param props the settings; all have defaults
     * @throws ConfigException when a setting is invalid
     */
    public EmbeddedSchemaRegistryConfig(Map<?, ?> props) {
        super(CONFIG, props, false);
        listener();
        basicAuthUsers();
    }

    /** @return the definition of every key, e.g. for generating documentation */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }

    /** @return the listener URL, checked to be {@code http://host:port} */
    public URI listener() {
        String value = getString(LISTENERS_CONFIG).trim();
        try {
            URI uri = URI.create(value);
            if (!"http".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 0) {
                throw new IllegalArgumentException("expected http://host:port");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(LISTENERS_CONFIG, value, e.getMessage());
        }
    }

    /** @return the Kafka bootstrap servers, empty for an in-memory registry */
    public String bootstrapServers() {
        return getString(KAFKASTORE_BOOTSTRAP_SERVERS_CONFIG).trim();
    }

    /** @return the store topic */
    public String topic() {
        return getString(KAFKASTORE_TOPIC_CONFIG);
    }

    /** @return the replication factor for a topic the registry creates */
    public short replicationFactor() {
        return getShort(KAFKASTORE_TOPIC_REPLICATION_FACTOR_CONFIG);
    }

    /** @return how long one write waits for acknowledgement */
    public Duration writeTimeout() {
        return Duration.ofMillis(getInt(KAFKASTORE_TIMEOUT_MS_CONFIG));
    }

    /** @return how long start-up may take */
    public Duration initTimeout() {
        return Duration.ofMillis(getInt(KAFKASTORE_INIT_TIMEOUT_MS_CONFIG));
    }

    /** @return the global compatibility level before any is set through the API */
    public CompatibilityLevel defaultCompatibilityLevel() {
        return CompatibilityLevel.parse(getString(SCHEMA_COMPATIBILITY_LEVEL_CONFIG))
                .orElseThrow();
    }

    /** @return the largest request body accepted, in bytes */
    public int maxRequestBytes() {
        return getInt(HTTP_REQUEST_MAX_BYTES_CONFIG);
    }

    /** @return how long a connection may stay silent */
    public Duration idleTimeout() {
        return Duration.ofMillis(getInt(HTTP_IDLE_TIMEOUT_MS_CONFIG));
    }

    /** @return the most threads the HTTP server uses */
    public int maxThreads() {
        return getInt(HTTP_THREADS_MAX_CONFIG);
    }

    /**
     * @return the accepted {@code user:password} pairs when basic authentication is on, else
     *         empty
     * @throws ConfigException when basic authentication is on without valid users
     */
    public List<String> basicAuthUsers() {
        if (!BASIC_AUTHENTICATION.equalsIgnoreCase(getString(AUTHENTICATION_METHOD_CONFIG))) {
            return List.of();
        }
        Password users = getPassword(AUTHENTICATION_BASIC_USERS_CONFIG);
        List<String> pairs = users == null
                ? List.of()
                : Arrays.stream(users.value().split(","))
                        .map(String::trim)
                        .filter(pair -> !pair.isEmpty())
                        .toList();
        if (pairs.isEmpty() || pairs.stream().anyMatch(pair -> pair.indexOf(':') <= 0)) {
            throw new ConfigException(AUTHENTICATION_BASIC_USERS_CONFIG + " must hold user:password pairs when "
                    + AUTHENTICATION_METHOD_CONFIG + "=BASIC");
        }
        return pairs;
    }

    private static String[] levelNames() {
        CompatibilityLevel[] levels = CompatibilityLevel.values();
        String[] names = new String[levels.length];
        for (int i = 0; i < levels.length; i++) {
            names[i] = levels[i].name();
        }
        return names;
    }
}
