package io.ccdstream.registry;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.EagerContentHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
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
 * {@code POST /compatibility/subjects/{s}/versions[/{v|latest}]}, {@code GET|PUT /config},
 * {@code GET|PUT /config/{s}}, {@code GET /schemas/ids/{id}/schema}, soft and permanent deletes
 * ({@code DELETE /subjects/{s}}, {@code DELETE /subjects/{s}/versions/{v}}, each with
 * {@code ?permanent=true} once soft-deleted), {@code GET|PUT /mode} and
 * {@code GET|PUT|DELETE /mode/{s}} (READWRITE, READONLY, IMPORT). AVRO schemas only, without
 * references; schemas of other types found in the store keep their ids and are served by id.
 *
 * <p>The server is Jetty (through Javalin) with a bounded thread pool. A request is handed to a
 * thread only once its body has started to arrive, connections silent for
 * {@code http.idle.timeout.ms} are closed, and bodies above {@code http.request.max.bytes} are
 * refused with 413, so that slow or hostile clients cannot exhaust the server. With
 * {@code authentication.method=BASIC} every request needs HTTP basic credentials.
 *
 * <p>State lives in a {@link SchemaStore}: with {@code kafkastore.bootstrap.servers} set, a
 * compacted Kafka topic read to the end at start-up, so ids and versions survive restarts;
 * otherwise memory. The registry assumes it is the only writer of its store (no leader election
 * between instances): run one instance per store topic.
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSchemaRegistry.class);
    private static final List<HandlerType> METHODS = List.of(
            HandlerType.GET,
            HandlerType.POST,
            HandlerType.PUT,
            HandlerType.DELETE,
            HandlerType.PATCH,
            HandlerType.OPTIONS);

    private final Javalin server;
    private final SchemaStore store;
    private final RegistryHttpHandler handler;
    private final int maxRequestBytes;
    private final List<byte[]> authorizations;
    private final String url;

    private EmbeddedSchemaRegistry(EmbeddedSchemaRegistryConfig config, SchemaStore store) {
        this.store = store;
        this.handler = new RegistryHttpHandler(new RegistryService(store, config.defaultCompatibilityLevel()));
        this.maxRequestBytes = config.maxRequestBytes();
        this.authorizations = config.basicAuthUsers().stream()
                .map(pair -> ("Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)))
                        .getBytes(StandardCharsets.UTF_8))
                .toList();
        URI listener = config.listener();
        long idleMillis = config.idleTimeout().toMillis();
        QueuedThreadPool threads = new QueuedThreadPool(config.maxThreads(), 2, (int) Math.max(idleMillis, 1_000));
        threads.setName("schema-registry-http");
        threads.setDaemon(true);
        this.server = Javalin.create(javalin -> {
            javalin.startup.showJavalinBanner = false;
            javalin.startup.showOldJavalinVersionWarning = false;
            javalin.http.maxRequestSize = maxRequestBytes;
            javalin.router.ignoreTrailingSlashes = true;
            javalin.jetty.threadPool = threads;
            javalin.jetty.modifyHttpConfiguration(http -> {
                http.setIdleTimeout(idleMillis);
                http.setSendServerVersion(false);
            });
            javalin.jetty.modifyServer(jetty -> {
                // Reads each request body without holding a thread, and hands the request to one
                // only once the whole body (up to one byte more than the limit) has arrived.
                jetty.setHandler(new EagerContentHandler(
                        new EagerContentHandler.RetainedContentLoaderFactory(maxRequestBytes + 1L, -1, false)));
                for (var connector : jetty.getConnectors()) {
                    if (connector instanceof ServerConnector serverConnector) {
                        serverConnector.setIdleTimeout(idleMillis);
                    }
                }
            });
            for (HandlerType method : METHODS) {
                javalin.routes.addHttpHandler(method, "/", this::serve);
                javalin.routes.addHttpHandler(method, "/*", this::serve);
            }
        });
        server.start(listener.getHost(), listener.getPort());
        for (var connector : server.jettyServer().server().getConnectors()) {
            if (connector instanceof ServerConnector serverConnector) {
                serverConnector.setIdleTimeout(idleMillis);
            }
        }
        this.url = "http://" + hostForUrl(listener.getHost()) + ":" + server.port();
    }

    private void serve(Context ctx) {
        RegistryHttpHandler.Response response;
        if (!authorized(ctx.header("Authorization"))) {
            ctx.header("WWW-Authenticate", "Basic realm=\"SchemaRegistry\", charset=\"UTF-8\"");
            response = handler.error(401, 401, "Unauthorized");
        } else {
            response = handler.handle(
                    ctx.req().getMethod(), ctx.req().getRequestURI(), ctx.req().getQueryString(), () -> body(ctx));
        }
        if (response.status() == 413) {
            ctx.header("Connection", "close");
        }
        ctx.status(response.status());
        ctx.contentType(RegistryHttp.CONTENT_TYPE);
        ctx.result(response.body());
    }

    private boolean authorized(String authorization) {
        if (authorizations.isEmpty()) {
            return true;
        }
        if (authorization == null) {
            return false;
        }
        byte[] given = authorization.trim().getBytes(StandardCharsets.UTF_8);
        boolean match = false;
        for (byte[] allowed : authorizations) {
            match |= MessageDigest.isEqual(allowed, given);
        }
        return match;
    }

    private byte[] body(Context ctx) throws IOException {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxRequestBytes) {
            throw tooLarge();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.max(0, Math.min(declared, 8192)));
        byte[] buffer = new byte[8192];
        try (InputStream in = ctx.req().getInputStream()) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                if (out.size() + read > maxRequestBytes) {
                    throw tooLarge();
                }
                out.write(buffer, 0, read);
            }
        }
        return out.toByteArray();
    }

    private SchemaRegistryException tooLarge() {
        return new SchemaRegistryException(
                413, 413, "Request body is larger than the limit of " + maxRequestBytes + " bytes");
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
     * @param config the listener, HTTP limits, authentication and default compatibility level;
     *               store settings are ignored
     * @param store  where state is read from and written to
     * @return the running registry; its state is loaded before this returns
     * @throws UncheckedIOException when the listener cannot be bound
     */
    public static EmbeddedSchemaRegistry start(EmbeddedSchemaRegistryConfig config, SchemaStore store) {
        try {
            EmbeddedSchemaRegistry registry = new EmbeddedSchemaRegistry(config, store);
            LOG.info("Schema registry serving at {}", registry.url());
            return registry;
        } catch (SchemaRegistryException e) {
            store.close();
            throw e;
        } catch (RuntimeException e) {
            store.close();
            if (e.getCause() instanceof IOException io) {
                throw new UncheckedIOException("Cannot serve schema registry at " + config.listener(), io);
            }
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
        try {
            server.stop();
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
