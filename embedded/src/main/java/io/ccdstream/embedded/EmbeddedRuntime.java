package io.ccdstream.embedded;

import io.ccdstream.registry.EmbeddedSchemaRegistry;
import io.ccdstream.registry.EmbeddedSchemaRegistryConfig;
import io.ccdstream.topics.CcdTopics;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The embedded default: an in-process single-node KRaft broker and a schema registry stored in
 * that broker's {@code _schemas} topic, both kept in one data directory across runs, with the
 * pipeline's topics created.
 */
public final class EmbeddedRuntime implements AutoCloseable {

    private final EmbeddedKafkaBroker broker;
    private final EmbeddedSchemaRegistry registry;
    private final EnsureTopicsResult topics;

    private EmbeddedRuntime(EmbeddedKafkaBroker broker, EmbeddedSchemaRegistry registry, EnsureTopicsResult topics) {
        this.broker = broker;
        this.registry = registry;
        this.topics = topics;
    }

    /**
     * Starts broker and registry on {@code dataDir} and creates the topics.
     *
     * @param kafkaPort    broker port, 0 for any free port
     * @param registryPort registry port, 0 for any free port
     */
    public static EmbeddedRuntime start(Path dataDir, int kafkaPort, int registryPort, int partitions) {
        return start(dataDir, kafkaPort, registryPort, partitions, List.of());
    }

    /**
     * Starts broker and registry on {@code dataDir} and creates the topics; the broker also listens on
     * {@code securedListeners} (SASL and/or TLS), the registry and the topic creation use its PLAINTEXT listener.
     *
     * @param kafkaPort    broker port, 0 for any free port
     * @param registryPort registry port, 0 for any free port
     */
    public static EmbeddedRuntime start(
            Path dataDir, int kafkaPort, int registryPort, int partitions, List<SecuredListener> securedListeners) {
        EmbeddedKafkaConfig.Builder config = EmbeddedKafkaConfig.builder()
                .setDataDir(dataDir.resolve("kafka"))
                .optPort(kafkaPort);
        securedListeners.forEach(config::optSecuredListener);
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(config.build());
        try {
            EnsureTopicsResult topics = TopicAdmin.ensureTopics(
                    broker.bootstrapServers(), CcdTopics.specs(partitions, (short) 1, CcdTopics.DEAD_LETTERS));
            EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(new EmbeddedSchemaRegistryConfig(Map.of(
                    EmbeddedSchemaRegistryConfig.LISTENERS_CONFIG,
                    "http://127.0.0.1:" + registryPort,
                    EmbeddedSchemaRegistryConfig.KAFKASTORE_BOOTSTRAP_SERVERS_CONFIG,
                    broker.bootstrapServers())));
            return new EmbeddedRuntime(broker, registry, topics);
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    /** The broker's bootstrap servers. */
    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** The address of the broker's secured listener {@code listenerName}. */
    public String bootstrapServers(String listenerName) {
        return broker.bootstrapServers(listenerName);
    }

    /** The registry's URL. */
    public String registryUrl() {
        return registry.url();
    }

    /** What creating the topics did. */
    public EnsureTopicsResult topics() {
        return topics;
    }

    @Override
    public void close() {
        try {
            registry.close();
        } finally {
            broker.close();
        }
    }
}
