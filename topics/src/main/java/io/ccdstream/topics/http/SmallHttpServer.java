package io.ccdstream.topics.http;

import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The bounds every small HTTP endpoint of the services shares (the REST queries, the trainer's
 * checkpoints): a few worker threads, request headers of at most {@value #MAX_HEADER_BYTES} bytes
 * (431 beyond), bodies of at most {@value #MAX_BODY_BYTES} bytes, idle connections closed, no
 * banner, no compression, no server version. A client that stalls can hold a connection until
 * the idle timeout, never a thread the others need.
 */
public final class SmallHttpServer {

    /** Largest request header block. */
    public static final int MAX_HEADER_BYTES = 8 * 1024;

    /** Largest request body (the endpoints take GETs). */
    public static final int MAX_BODY_BYTES = 16 * 1024;

    private static final int MAX_THREADS = 8;

    /** The methods a route answers, so that a wrong method gets the endpoint's own 405. */
    private static final List<HandlerType> METHODS = List.of(
            HandlerType.GET,
            HandlerType.HEAD,
            HandlerType.POST,
            HandlerType.PUT,
            HandlerType.PATCH,
            HandlerType.DELETE,
            HandlerType.OPTIONS);

    private SmallHttpServer() {}

    /**
     * Routes every request to {@code path}, whatever its method, to {@code handler}, which answers
     * the methods it does not take with 405 itself.
     */
    public static void routeEveryMethod(JavalinConfig config, String path, Handler handler) {
        for (HandlerType method : METHODS) {
            config.routes.addHttpHandler(method, path, handler);
        }
    }

    /**
     * A server whose worker threads are named {@code threadName}, closing connections idle for
     * {@code idleTimeout}, with the routes {@code routes} adds.
     */
    public static Javalin create(String threadName, Duration idleTimeout, Consumer<JavalinConfig> routes) {
        return Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.http.maxRequestSize = MAX_BODY_BYTES;
            config.http.compressionStrategy = CompressionStrategy.NONE;
            QueuedThreadPool pool = new QueuedThreadPool(MAX_THREADS, 2, 60_000);
            pool.setName(threadName);
            pool.setDaemon(true);
            config.jetty.threadPool = pool;
            config.jetty.modifyHttpConfiguration(http -> {
                http.setRequestHeaderSize(MAX_HEADER_BYTES);
                http.setSendServerVersion(false);
                http.setIdleTimeout(idleTimeout.toMillis());
            });
            routes.accept(config);
        });
    }

    /**
     * Starts {@code server} on {@code host}:{@code port} (0 picks a free port) with the idle timeout
     * on its connectors too.
     *
     * @param what what it serves, for the error message
     * @throws IOException when it cannot listen there; the server is stopped
     */
    public static void start(Javalin server, String host, int port, Duration idleTimeout, String what)
            throws IOException {
        try {
            server.start(host, port);
        } catch (RuntimeException e) {
            server.stop();
            throw new IOException("cannot serve " + what + " on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        for (Connector connector : server.jettyServer().server().getConnectors()) {
            if (connector instanceof ServerConnector serverConnector) {
                serverConnector.setIdleTimeout(idleTimeout.toMillis());
            }
        }
    }
}
