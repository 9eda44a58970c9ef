package io.ccdstream.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Configuration of an {@link EmbeddedKafkaBroker}: a single KRaft node that is both broker and controller.
 *
 * <p>Build it with {@link #builder()}; {@code set*} methods are required, {@code opt*} methods optional.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>Setting</th><th>Default</th><th>Meaning</th></tr>
 *   <tr><td>{@code dataDir}</td><td>required</td><td>Directory holding the logs and the KRaft metadata; kept across
 *       restarts. Formatted on first use (when it has no {@code meta.properties}).</td></tr>
 *   <tr><td>{@code host}</td><td>{@code 127.0.0.1}</td><td>Address both listeners bind to and that clients are
 *       told to connect to; a wildcard such as {@code 0.0.0.0} is rejected since it cannot be advertised.</td></tr>
 *   <tr><td>{@code port}</td><td>{@code 0}</td><td>Client (PLAINTEXT) listener port; 0 picks a free port.</td></tr>
 *   <tr><td>{@code controllerPort}</td><td>{@code 0}</td><td>KRaft controller listener port; 0 picks a free
 *       port.</td></tr>
 *   <tr><td>{@code brokerProperties}</td><td>empty</td><td>Extra broker configs (Kafka's own names, e.g.
 *       {@code log.retention.hours}); they override this module's defaults, see
 *       {@link EmbeddedKafkaBroker}. The keys in {@link #RESERVED_KEYS} describe the node's identity and
 *       listeners and cannot be overridden.</td></tr>
 *   <tr><td>{@code startupTimeout}</td><td>60 s</td><td>How long {@link EmbeddedKafkaBroker#start} waits for the
 *       broker to accept admin requests.</td></tr>
 *   <tr><td>{@code securedListeners}</td><td>none</td><td>Extra client listeners with SASL and/or TLS
 *       ({@link SecuredListener}), beside the PLAINTEXT one; see
 *       {@link EmbeddedKafkaBroker#bootstrapServers(String)}.</td></tr>
 * </table>
 *
 * @param dataDir          the broker's data directory
 * @param host             the address to bind and advertise
 * @param port             the client listener port, 0 for a free one
 * @param controllerPort   the controller listener port, 0 for a free one
 * @param brokerProperties extra broker configs, overriding the defaults
 * @param startupTimeout   bound on the wait for readiness in {@link EmbeddedKafkaBroker#start}
 * @param securedListeners extra client listeners with SASL and/or TLS
 */
public record EmbeddedKafkaConfig(
        Path dataDir,
        String host,
        int port,
        int controllerPort,
        Map<String, String> brokerProperties,
        Duration startupTimeout,
        List<SecuredListener> securedListeners) {

    /** Default address: loopback only, so the embedded broker is not reachable from other machines. */
    public static final String DEFAULT_HOST = "127.0.0.1";

    private static final Set<String> WILDCARD_HOSTS = Set.of("0.0.0.0", "::", "[::]");

    /** Default readiness bound of {@link EmbeddedKafkaBroker#start}. */
    public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(60);

    /** Broker configs that the embedded broker derives from this record and that callers may not override. */
    public static final Set<String> RESERVED_KEYS = Set.of(
            "process.roles",
            "node.id",
            "listeners",
            "advertised.listeners",
            "listener.security.protocol.map",
            "controller.listener.names",
            "inter.broker.listener.name",
            "controller.quorum.voters",
            "controller.quorum.bootstrap.servers",
            "log.dirs",
            "log.dir",
            "metadata.log.dir");

    /**
     * Validates every setting, copies the broker properties and makes the data directory absolute.
     *
     * @param dataDir          the broker's data directory
     * @param host             the address to bind and advertise
     * @param port             the client listener port, 0 for a free one
     * @param controllerPort   the controller listener port, 0 for a free one
     * @param brokerProperties extra broker configs, overriding the defaults
     * @param startupTimeout   bound on the wait for readiness
     * @param securedListeners extra client listeners with SASL and/or TLS
     * @throws IllegalArgumentException if a setting is out of range or a reserved broker key was given
     */
    public EmbeddedKafkaConfig {
        Objects.requireNonNull(dataDir, "dataDir is required");
        Objects.requireNonNull(host, "host must not be null");
        Objects.requireNonNull(startupTimeout, "startupTimeout must not be null");
        if (host.isBlank() || WILDCARD_HOSTS.contains(host)) {
            throw new IllegalArgumentException("host is bound and advertised to clients, so it must be a reachable"
                    + " address such as 127.0.0.1, got '" + host + "'");
        }
        requirePort("port", port);
        requirePort("controllerPort", controllerPort);
        if (port != 0 && port == controllerPort) {
            throw new IllegalArgumentException("port and controllerPort must differ, both are " + port);
        }
        if (startupTimeout.isNegative() || startupTimeout.isZero()) {
            throw new IllegalArgumentException("startupTimeout must be positive, got " + startupTimeout);
        }
        brokerProperties = Map.copyOf(Objects.requireNonNull(brokerProperties, "brokerProperties must not be null"));
        rejectReservedKeys(brokerProperties);
        securedListeners = List.copyOf(Objects.requireNonNull(securedListeners, "securedListeners must not be null"));
        checkListeners(securedListeners, port, controllerPort);
        dataDir = dataDir.toAbsolutePath().normalize();
    }

    /** A configuration without secured listeners. */
    public EmbeddedKafkaConfig(
            Path dataDir,
            String host,
            int port,
            int controllerPort,
            Map<String, String> brokerProperties,
            Duration startupTimeout) {
        this(dataDir, host, port, controllerPort, brokerProperties, startupTimeout, List.of());
    }

    private static void checkListeners(List<SecuredListener> listeners, int port, int controllerPort) {
        Set<String> names = new HashSet<>();
        Set<Integer> ports = new HashSet<>();
        if (port != 0) {
            ports.add(port);
        }
        if (controllerPort != 0) {
            ports.add(controllerPort);
        }
        for (SecuredListener listener : listeners) {
            if (!names.add(listener.name())) {
                throw new IllegalArgumentException("listener " + listener.name() + " is given twice");
            }
            if (listener.port() != 0 && !ports.add(listener.port())) {
                throw new IllegalArgumentException(
                        "listener " + listener.name() + " uses port " + listener.port() + ", already taken");
            }
        }
    }

    /**
     * Starts a builder with every optional setting at its default.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    private static void requirePort(String name, int value) {
        if (value < 0 || value > 65_535) {
            throw new IllegalArgumentException(name + " must be in [0, 65535] (0 = pick a free port), got " + value);
        }
    }

    private static void rejectReservedKeys(Map<String, String> properties) {
        for (String key : properties.keySet()) {
            if (RESERVED_KEYS.contains(key)) {
                throw new IllegalArgumentException("Broker property '" + key + "' is managed by the embedded broker;"
                        + " set dataDir, host, port or controllerPort instead");
            }
        }
    }

    /** Builder of {@link EmbeddedKafkaConfig}. */
    public static final class Builder {
        private Path dataDir;
        private String host = DEFAULT_HOST;
        private int port;
        private int controllerPort;
        private final Map<String, String> brokerProperties = new LinkedHashMap<>();
        private Duration startupTimeout = DEFAULT_STARTUP_TIMEOUT;
        private final List<SecuredListener> securedListeners = new ArrayList<>();

        private Builder() {}

        /**
         * Adds a client listener with SASL and/or TLS beside the PLAINTEXT one.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder optSecuredListener(SecuredListener listener) {
            securedListeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Sets the data directory (required).
         *
         * @param dataDir the directory; created if missing
         * @return this builder
         */
        public Builder setDataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /**
         * Sets the address to bind and advertise.
         *
         * @param host a host name or IP address
         * @return this builder
         */
        public Builder optHost(String host) {
            this.host = host;
            return this;
        }

        /**
         * Sets the client listener port.
         *
         * @param port the port, 0 for a free one
         * @return this builder
         */
        public Builder optPort(int port) {
            this.port = port;
            return this;
        }

        /**
         * Sets the controller listener port.
         *
         * @param controllerPort the port, 0 for a free one
         * @return this builder
         */
        public Builder optControllerPort(int controllerPort) {
            this.controllerPort = controllerPort;
            return this;
        }

        /**
         * Adds one broker config, overriding the embedded default of the same name.
         *
         * @param key   a Kafka broker config name
         * @param value its value
         * @return this builder
         */
        public Builder optBrokerProperty(String key, String value) {
            brokerProperties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Adds several broker configs, overriding the embedded defaults of the same names.
         *
         * @param properties Kafka broker configs
         * @return this builder
         */
        public Builder optBrokerProperties(Map<String, String> properties) {
            properties.forEach(this::optBrokerProperty);
            return this;
        }

        /**
         * Sets how long {@link EmbeddedKafkaBroker#start} waits for readiness.
         *
         * @param startupTimeout a positive duration
         * @return this builder
         */
        public Builder optStartupTimeout(Duration startupTimeout) {
            this.startupTimeout = startupTimeout;
            return this;
        }

        /**
         * Validates and builds the configuration.
         *
         * @return the configuration
         * @throws NullPointerException     if the data directory was not set
         * @throws IllegalArgumentException if a setting is out of range or a reserved broker key was given
         */
        public EmbeddedKafkaConfig build() {
            return new EmbeddedKafkaConfig(
                    dataDir, host, port, controllerPort, brokerProperties, startupTimeout, securedListeners);
        }
    }
}
