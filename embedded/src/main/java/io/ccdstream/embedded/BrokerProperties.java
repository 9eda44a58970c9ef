package io.ccdstream.embedded;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The broker configs of a single combined KRaft node: identity and listeners, defaults, then user overrides. */
final class BrokerProperties {

    /** The node id of the only node; it is both the broker and the sole controller voter. */
    static final int NODE_ID = 1;

    /** Listener name clients connect to. */
    static final String CLIENT_LISTENER = "PLAINTEXT";

    /** Listener name of the KRaft controller. */
    static final String CONTROLLER_LISTENER = "CONTROLLER";

    private static final int MIB = 1024 * 1024;

    /**
     * Largest record batch the broker accepts by default: 4 MiB, so that a 2 MiB image topic
     * ({@code max.message.bytes=2097152}) plus batch and header overhead always fits.
     */
    static final int MESSAGE_MAX_BYTES = 4 * MIB;

    /**
     * Defaults suited to one node on a small machine; every entry can be overridden through
     * {@link EmbeddedKafkaConfig#brokerProperties()}.
     */
    static final Map<String, String> DEFAULTS = defaults();

    private BrokerProperties() {}

    /**
     * Builds the complete broker config.
     *
     * @param config         the embedded configuration
     * @param port           the resolved client port
     * @param controllerPort the resolved controller port
     * @return the broker configs, ready for {@code kafka.server.KafkaConfig}
     */
    static Map<String, String> of(EmbeddedKafkaConfig config, int port, int controllerPort) {
        return of(config, port, controllerPort, Map.of());
    }

    /**
     * Builds the complete broker config, with the secured listeners of {@code config} on {@code securedPorts}.
     *
     * @param securedPorts the resolved port of each secured listener, by name
     */
    static Map<String, String> of(
            EmbeddedKafkaConfig config, int port, int controllerPort, Map<String, Integer> securedPorts) {
        Map<String, String> props = new LinkedHashMap<>(identity(config, port, controllerPort));
        String host = config.host();
        for (SecuredListener listener : config.securedListeners()) {
            String address = listener.name() + "://" + host + ":" + securedPorts.get(listener.name());
            props.merge("listeners", address, (a, b) -> a + "," + b);
            props.merge("advertised.listeners", address, (a, b) -> a + "," + b);
            props.merge(
                    "listener.security.protocol.map",
                    listener.name() + ":" + listener.protocol(),
                    (a, b) -> a + "," + b);
        }
        props.putAll(DEFAULTS);
        for (SecuredListener listener : config.securedListeners()) {
            props.putAll(listener.brokerProperties());
        }
        props.putAll(config.brokerProperties());
        return props;
    }

    private static Map<String, String> identity(EmbeddedKafkaConfig config, int port, int controllerPort) {
        String host = config.host();
        String dir = config.dataDir().toString();
        Map<String, String> props = new LinkedHashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(NODE_ID));
        // A static voter set (kraft.version 0) keeps no endpoint in the metadata log, so a restart on other ports
        // works.
        props.put("controller.quorum.voters", NODE_ID + "@" + host + ":" + controllerPort);
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("inter.broker.listener.name", CLIENT_LISTENER);
        props.put(
                "listeners",
                CLIENT_LISTENER + "://" + host + ":" + port + "," + CONTROLLER_LISTENER + "://" + host + ":"
                        + controllerPort);
        props.put("advertised.listeners", CLIENT_LISTENER + "://" + host + ":" + port);
        props.put(
                "listener.security.protocol.map", CLIENT_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("log.dirs", dir);
        props.put("metadata.log.dir", dir);
        return props;
    }

    private static Map<String, String> defaults() {
        Map<String, String> props = new LinkedHashMap<>();
        // One replica: every internal topic must accept replication factor and min ISR 1.
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "10");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "10");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("share.coordinator.state.topic.num.partitions", "10");
        props.put("default.replication.factor", "1");
        props.put("min.insync.replicas", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("message.max.bytes", Integer.toString(MESSAGE_MAX_BYTES));
        props.put("replica.fetch.max.bytes", Integer.toString(MESSAGE_MAX_BYTES));
        // The cleaner otherwise allocates a 128 MiB dedupe buffer up front.
        props.put("log.cleaner.dedupe.buffer.size", Integer.toString(2 * MIB));
        props.put("num.network.threads", "2");
        props.put("num.io.threads", "4");
        props.put("background.threads", "4");
        return Collections.unmodifiableMap(props);
    }
}
