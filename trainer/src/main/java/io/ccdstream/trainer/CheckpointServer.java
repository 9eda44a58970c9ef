package io.ccdstream.trainer;

import io.ccdstream.topics.http.SmallHttpServer;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the checkpoint store over HTTP, so that a scorer on another host fetches checkpoints
 * without a shared filesystem:
 * <pre>
 * GET /checkpoints/{classSetId}/{version}  200 the checkpoint's bytes (application/octet-stream,
 *                                          ETag = its SHA-256), 404 when the version is not stored
 * </pre>
 * Only complete checkpoints (file and sidecar in place) are served; any other path answers 404,
 * any other method 405. The consumer checks size and SHA-256 against the checkpoint event.
 *
 * <p>Served by Javalin (Jetty 12) with bounded resources: a small worker pool, request headers of at most
 * {@value #MAX_HEADER_BYTES} bytes, no request bodies to speak of ({@value #MAX_BODY_BYTES} bytes), and
 * connections closed after {@link #IDLE_TIMEOUT} without traffic, so that stalled clients cannot keep scorers
 * from fetching.
 */
final class CheckpointServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointServer.class);
    static final String PATH = "/checkpoints/";

    /** Connections without traffic for this long are closed (also a client stuck sending its headers). */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);

    /** Largest request header block accepted; larger ones are answered 431. */
    static final int MAX_HEADER_BYTES = SmallHttpServer.MAX_HEADER_BYTES;

    /** Largest request body accepted (the endpoint takes none). */
    static final int MAX_BODY_BYTES = SmallHttpServer.MAX_BODY_BYTES;

    private final Javalin server;
    private final CheckpointStore store;
    private final String classSetId;
    private URI baseUrl;

    private CheckpointServer(CheckpointStore store, String classSetId) {
        this.store = store;
        this.classSetId = classSetId;
        this.server = SmallHttpServer.create("ccd-trainer-checkpoint-http", IDLE_TIMEOUT, config -> {
            SmallHttpServer.routeEveryMethod(config, PATH + "*", this::handle);
        });
    }

    /**
     * Starts serving {@code store}.
     *
     * @param bindAddress   address to listen on
     * @param port          port; 0 picks a free one
     * @param advertisedUrl base URL consumers reach this server at; blank derives it from the bound address
     */
    static CheckpointServer start(
            CheckpointStore store, String classSetId, String bindAddress, int port, String advertisedUrl)
            throws IOException {
        CheckpointServer checkpoints = new CheckpointServer(store, classSetId);
        SmallHttpServer.start(checkpoints.server, bindAddress, port, IDLE_TIMEOUT, "checkpoints");
        checkpoints.baseUrl = advertisedUrl.isBlank()
                ? derivedUrl(bindAddress, checkpoints.server.port())
                : URI.create(stripSlash(advertisedUrl));
        LOG.info(
                "Serving checkpoints of class set {} at {}{}{}/<version>",
                classSetId,
                checkpoints.baseUrl,
                PATH,
                classSetId);
        return checkpoints;
    }

    /** The URL of checkpoint {@code version}. */
    String url(long version) {
        return baseUrl + PATH + URLEncoder.encode(classSetId, StandardCharsets.UTF_8) + "/" + version;
    }

    /** The advertised base URL. */
    URI baseUrl() {
        return baseUrl;
    }

    private void handle(Context ctx) {
        try {
            if (!HandlerType.GET.equals(ctx.method()) && !HandlerType.HEAD.equals(ctx.method())) {
                ctx.header("Allow", "GET, HEAD");
                ctx.status(405);
                return;
            }
            Optional<StoredCheckpoint> checkpoint = requested(ctx.req().getRequestURI());
            if (checkpoint.isEmpty()) {
                ctx.status(404);
                return;
            }
            send(ctx, checkpoint.get());
        } catch (IOException | RuntimeException e) {
            LOG.warn("Checkpoint request {} failed: {}", ctx.req().getRequestURI(), e.toString());
            ctx.status(500);
        }
    }

    private Optional<StoredCheckpoint> requested(String rawPath) throws IOException {
        String[] parts = rawPath.substring(PATH.length()).split("/", -1);
        if (parts.length != 2
                || !URLDecoder.decode(parts[0], StandardCharsets.UTF_8).equals(classSetId)
                || !parts[1].matches("\\d{1,18}")) {
            return Optional.empty();
        }
        return store.get(Long.parseLong(parts[1]));
    }

    private void send(Context ctx, StoredCheckpoint checkpoint) throws IOException {
        ctx.status(200);
        ctx.contentType("application/octet-stream");
        ctx.header("ETag", "\"" + checkpoint.sha256() + "\"");
        ctx.res().setContentLengthLong(checkpoint.sizeBytes());
        if (HandlerType.HEAD.equals(ctx.method())) {
            return;
        }
        InputStream in = Files.newInputStream(store.file(checkpoint.version()));
        ctx.result(in);
    }

    private static URI derivedUrl(String bindAddress, int port) throws IOException {
        InetAddress address = InetAddress.getByName(bindAddress);
        String host = address.isAnyLocalAddress()
                ? InetAddress.getLocalHost().getCanonicalHostName()
                : address.getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + port);
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @Override
    public void close() {
        server.stop();
    }
}
