package io.ccdstream.registry;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process schema registry serving the part of Confluent Schema Registry's REST API that
 * Avro serdes and tooling use, with Confluent's ids, versions, compatibility rules, status codes
 * and error bodies, so that Confluent's own clients work against it.
 *
 * <p>Routes: {@code POST /subjects/{s}/versions} (register), {@code POST /subjects/{s}}
 * (lookup), {@code GET /schemas/ids/{id}}, {@code GET /schemas/ids/{id}/versions},
 * {@code GET /schemas/ids/{id}/subjects}, {@code GET /schemas/types}, {@code GET /subjects},
 * {@code GET /subjects/{s}/versions}, {@code GET /subjects/{s}/versions/{v|latest}},
 * {@code GET /subjects/{s}/versions/{v}/schema},
 * {@code POST /compatibility/subjects/{s}/versions[/{v|latest}]}, {@code GET|PUT /config} and
 * {@code GET|PUT /config/{s}}. Deletion is not supported. AVRO schemas only, without references.
 *
 * <p>State lives in a {@link SchemaStore}: with {@code kafkastore.bootstrap.servers} set, a
 * compacted Kafka topic read to the end at start-up, so ids and versions survive restarts;
 * otherwise memory. The registry assumes it is the only writer of its store (no leader election
 * between instances): run one instance per store topic.
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSchemaRegistry.class);
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final HttpServer server;
    private final ExecutorService executor;
    private final SchemaStore store;
    private final RegistryHttpHandler handler;
    private final String url;

    private EmbeddedSchemaRegistry(EmbeddedSchemaRegistryConfig config, SchemaStore store) throws IOException {
        this.store = store;
        this.handler = new RegistryHttpHandler(new RegistryService(store, config.defaultCompatibilityLevel()));
        URI listener = config.listener();
        this.server = HttpServer.create(new InetSocketAddress(listener.getHost(), listener.getPort()), 0);
        this.executor = Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "schema-registry-http-" + THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.createContext("/", handler);
        server.setExecutor(executor);
        server.start();
        this.url = "http://" + hostForUrl(listener.getHost()) + ":"
                + server.getAddress().getPort();
    }

    /**
     * Starts a registry with the store its configuration names: Kafka when
     * {@code kafkastore.bootstrap.servers} is set, memory otherwise.
     *
     * @param config the listener, store and default compatibility level
     * @return the running registry; its state is loaded before this returns
     * @throws SchemaRegistryException when the Kafka store cannot be read
     * @throws UncheckedIOException    when the listener cannot be bound
     */
    public static EmbeddedSchemaRegistry start(EmbeddedSchemaRegistryConfig config) {
        if (config.bootstrapServers().isEmpty()) {
            LOG.warn(
                    "Schema registry keeps its schemas in memory: set {} to keep them across restarts",
                    EmbeddedSchemaRegistryConfig.KAFKASTORE_BOOTSTRAP_SERVERS_CONFIG);
            return start(config, new InMemorySchemaStore());
        }
        return start(config, new KafkaSchemaStore(config));
    }

    /**
     * Starts a registry on a given store, which it closes when closed.
     *
     * @param config the listener and default compatibility level; store settings are ignored
     * @param store  where state is read from and written to
     * @return the running registry; its state is loaded before this returns
     */
    public static EmbeddedSchemaRegistry start(EmbeddedSchemaRegistryConfig config, SchemaStore store) {
        try {
            EmbeddedSchemaRegistry registry = new EmbeddedSchemaRegistry(config, store);
            LOG.info("Schema registry serving at {}", registry.url());
            return registry;
        } catch (IOException e) {
            store.close();
            throw new UncheckedIOException("Cannot serve schema registry at " + config.listener(), e);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** @return a registry on a free loopback port, keeping its state in memory */
    public static EmbeddedSchemaRegistry inMemory() {
        return start(new EmbeddedSchemaRegistryConfig(Map.of()), new InMemorySchemaStore());
    }

    /** @return the base URL to give clients as {@code schema.registry.url}, e.g. {@code http://127.0.0.1:40123} */
    public String url() {
        return url;
    }

    /** @return how many HTTP requests the registry has answered since it started */
    public long requestCount() {
        return handler.requestCount();
    }

    /** Stops serving, waits briefly for requests in flight, and closes the store. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        } finally {
            store.close();
        }
        LOG.info("Schema registry at {} stopped", url);
    }

    private static String hostForUrl(String host) {
        if ("0.0.0.0".equals(host)) {
            return "127.0.0.1";
        }
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}
