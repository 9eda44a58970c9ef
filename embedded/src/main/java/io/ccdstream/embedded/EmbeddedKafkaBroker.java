package io.ccdstream.embedded;

import java.net.BindException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process, single-node Kafka cluster: one KRaft node that is both broker and controller
 * ({@code kafka.server.KafkaRaftServer}), with its data kept in {@link EmbeddedKafkaConfig#dataDir()} across runs.
 *
 * <p>One broker at a time may use a directory: {@link #start} fails fast when another one, in this or another
 * process, holds it. The first start formats the directory (new cluster id); later starts reuse it, including after the process
 * was killed, in which case Kafka recovers the logs on startup. Each start may bind other ports. Ports given as 0
 * are picked free just before the start; if another process takes one in between, the start is retried with newly
 * picked ports (only when both ports are picked).
 *
 * <p>Broker defaults, each overridable through {@link EmbeddedKafkaConfig#brokerProperties()}: replication factor
 * and min ISR 1 for every internal topic ({@code offsets.topic.*}, {@code transaction.state.log.*},
 * {@code share.coordinator.state.topic.*}) and for {@code default.replication.factor}; 10 partitions for each
 * internal topic; {@code group.initial.rebalance.delay.ms=0}; {@code message.max.bytes=4194304} (4 MiB) and the
 * same {@code replica.fetch.max.bytes}; {@code log.cleaner.dedupe.buffer.size=2097152}; {@code num.network.threads=2},
 * {@code num.io.threads=4}, {@code background.threads=4}.
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start(
 *         EmbeddedKafkaConfig.builder().setDataDir(Path.of("data/kafka")).build())) {
 *     String bootstrap = kafka.bootstrapServers();
 * }
 * }</pre>
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final Duration READY_POLL_INTERVAL = Duration.ofMillis(100);
    private static final int MAX_START_ATTEMPTS = 3;

    private final KafkaRaftServer server;
    private final DataDirLock lock;
    private final EmbeddedKafkaConfig config;
    private final String clusterId;
    private final String bootstrapServers;
    private final Map<String, String> securedBootstrapServers = new LinkedHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedKafkaBroker(
            KafkaRaftServer server, DataDirLock lock, EmbeddedKafkaConfig config, String clusterId, Ports ports) {
        this.server = server;
        this.lock = lock;
        this.config = config;
        this.clusterId = clusterId;
        this.bootstrapServers = config.host() + ":" + ports.client();
        ports.secured().forEach((name, port) -> securedBootstrapServers.put(name, config.host() + ":" + port));
    }

    /**
     * Formats the data directory if it is new, starts the node and waits until a client can create topics.
     *
     * @param config the broker configuration
     * @return the running broker; close it to shut it down cleanly
     * @throws EmbeddedKafkaException if the storage cannot be prepared, a port cannot be bound, or the broker is
     *                                not ready within {@link EmbeddedKafkaConfig#startupTimeout()}
     */
    public static EmbeddedKafkaBroker start(EmbeddedKafkaConfig config) {
        DataDirLock lock = DataDirLock.acquire(config.dataDir());
        try {
            return startWithRetries(config, lock, StorageFormatter.formatIfNeeded(config.dataDir()));
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    private static EmbeddedKafkaBroker startWithRetries(
            EmbeddedKafkaConfig config, DataDirLock lock, String clusterId) {
        boolean portsPicked = config.port() == 0
                && config.controllerPort() == 0
                && config.securedListeners().stream().allMatch(l -> l.port() == 0);
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnce(config, lock, clusterId);
            } catch (EmbeddedKafkaException e) {
                // A picked port can be taken by another process before the broker binds it: pick again.
                if (!portsPicked || attempt >= MAX_START_ATTEMPTS || !isBindFailure(e)) {
                    throw e;
                }
                LOG.warn("Embedded Kafka could not bind a picked port, retrying with other ports: {}", e.getMessage());
            }
        }
    }

    private static EmbeddedKafkaBroker startOnce(EmbeddedKafkaConfig config, DataDirLock lock, String clusterId) {
        Ports ports = Ports.resolve(config);
        KafkaRaftServer server =
                startServer(BrokerProperties.of(config, ports.client(), ports.controller(), ports.secured()), config);
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(server, lock, config, clusterId, ports);
        try {
            broker.awaitReady(config.startupTimeout());
            ScramUsers.create(broker.bootstrapServers, config.securedListeners(), config.startupTimeout());
        } catch (RuntimeException e) {
            shutdown(server);
            throw e;
        }
        LOG.info("Embedded Kafka {} ready at {} (data in {})", clusterId, broker.bootstrapServers, config.dataDir());
        return broker;
    }

    private static boolean isBindFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    /**
     * The listener ports: given ones as they are, picked ones free and distinct from the others; {@code secured}
     * by listener name.
     */
    private record Ports(int client, int controller, Map<String, Integer> secured) {
        static Ports resolve(EmbeddedKafkaConfig config) {
            int client = FreePorts.resolve(config.host(), config.port());
            int controller = FreePorts.resolve(config.host(), config.controllerPort());
            while (client == controller) {
                // Only possible when at least one was picked (given ports are validated to differ).
                if (config.controllerPort() == 0) {
                    controller = FreePorts.resolve(config.host(), 0);
                } else {
                    client = FreePorts.resolve(config.host(), 0);
                }
            }
            Set<Integer> taken = new HashSet<>(List.of(client, controller));
            config.securedListeners().forEach(l -> taken.add(l.port()));
            Map<String, Integer> secured = new LinkedHashMap<>();
            for (SecuredListener listener : config.securedListeners()) {
                int port = listener.port();
                if (port == 0) {
                    do {
                        port = FreePorts.resolve(config.host(), 0);
                    } while (!taken.add(port));
                }
                secured.put(listener.name(), port);
            }
            return new Ports(client, controller, secured);
        }
    }

    private static KafkaRaftServer startServer(Map<String, String> props, EmbeddedKafkaConfig config) {
        KafkaRaftServer server;
        try {
            server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
        } catch (RuntimeException e) {
            throw startFailure(props, config, e);
        }
        try {
            server.startup();
            return server;
        } catch (RuntimeException e) {
            try {
                shutdown(server);
            } catch (RuntimeException shutdownFailure) {
                e.addSuppressed(shutdownFailure);
            }
            throw startFailure(props, config, e);
        }
    }

    private static EmbeddedKafkaException startFailure(
            Map<String, String> props, EmbeddedKafkaConfig config, RuntimeException e) {
        return new EmbeddedKafkaException(
                "Cannot start the embedded Kafka broker on " + props.get("listeners") + " with data in "
                        + config.dataDir() + ": " + e.getMessage(),
                e);
    }

    /**
     * Blocks until the broker answers admin requests and reports itself as an alive cluster member.
     * {@link #start} already calls this; it is public for callers that want to re-check, e.g. after a pause.
     *
     * @param timeout the longest time to wait
     * @throws EmbeddedKafkaException if the broker is not ready in time or the wait is interrupted
     */
    public void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(adminConfig(timeout))) {
            while (!hasAliveBroker(admin, deadline)) {
                if (System.nanoTime() >= deadline) {
                    throw new EmbeddedKafkaException(
                            "Embedded Kafka at " + bootstrapServers + " was not ready within " + timeout);
                }
                Thread.sleep(READY_POLL_INTERVAL.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedKafkaException("Interrupted while waiting for embedded Kafka at " + bootstrapServers, e);
        }
    }

    private Map<String, Object> adminConfig(Duration timeout) {
        int timeoutMs = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        return Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(timeoutMs, 5_000));
    }

    private static boolean hasAliveBroker(Admin admin, long deadline) throws InterruptedException {
        long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (remainingMs <= 0) {
            return false;
        }
        try {
            return admin.describeCluster().nodes().get(remainingMs, TimeUnit.MILLISECONDS).stream()
                    .anyMatch(node -> node.id() == BrokerProperties.NODE_ID);
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("Embedded Kafka not ready yet: {}", e.toString());
            return false;
        }
    }

    /**
     * The address clients connect to.
     *
     * @return {@code host:port} of the client listener, for {@code bootstrap.servers}
     */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * The address clients of a secured listener connect to.
     *
     * @param listenerName the {@link SecuredListener#name()} (case-insensitive)
     * @return {@code host:port} of that listener, for {@code bootstrap.servers}
     * @throws IllegalArgumentException if the broker has no such secured listener
     */
    public String bootstrapServers(String listenerName) {
        String servers = securedBootstrapServers.get(listenerName.toUpperCase(Locale.ROOT));
        if (servers == null) {
            throw new IllegalArgumentException(
                    "no secured listener '" + listenerName + "', only " + securedBootstrapServers.keySet());
        }
        return servers;
    }

    /**
     * The directory holding the broker's logs and KRaft metadata.
     *
     * @return the absolute data directory
     */
    public Path dataDir() {
        return config.dataDir();
    }

    /**
     * The id of the cluster stored in the data directory; it stays the same across restarts.
     *
     * @return the cluster id
     */
    public String clusterId() {
        return clusterId;
    }

    /** Shuts the broker down cleanly and waits for it; later calls do nothing. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            LOG.info("Shutting down embedded Kafka at {}", bootstrapServers);
            try {
                shutdown(server);
            } finally {
                lock.close();
            }
        }
    }

    private static void shutdown(KafkaRaftServer server) {
        server.shutdown();
        server.awaitShutdown();
    }
}
