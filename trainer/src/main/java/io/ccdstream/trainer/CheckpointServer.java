package io.ccdstream.trainer;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
 */
final class CheckpointServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointServer.class);
    static final String PATH = "/checkpoints/";

    private final HttpServer server;
    private final ExecutorService executor;
    private final CheckpointStore store;
    private final String classSetId;
    private final URI baseUrl;

    private CheckpointServer(
            HttpServer server, ExecutorService executor, CheckpointStore store, String classSetId, URI baseUrl) {
        this.server = server;
        this.executor = executor;
        this.store = store;
        this.classSetId = classSetId;
        this.baseUrl = baseUrl;
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
        HttpServer server = HttpServer.create(new InetSocketAddress(bindAddress, port), 16);
        ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "ccd-trainer-checkpoint-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        URI base = advertisedUrl.isBlank() ? derivedUrl(server.getAddress()) : URI.create(stripSlash(advertisedUrl));
        CheckpointServer checkpoints = new CheckpointServer(server, executor, store, classSetId, base);
        server.createContext(PATH, checkpoints::handle);
        server.start();
        LOG.info("Serving checkpoints of class set {} at {}{}{}/<version>", classSetId, base, PATH, classSetId);
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

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            Optional<StoredCheckpoint> checkpoint =
                    requested(exchange.getRequestURI().getRawPath());
            if (checkpoint.isEmpty()) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            send(exchange, checkpoint.get());
        } catch (IOException | RuntimeException e) {
            LOG.warn("Checkpoint request {} failed: {}", exchange.getRequestURI(), e.toString());
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

    private void send(HttpExchange exchange, StoredCheckpoint checkpoint) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
        exchange.getResponseHeaders().set("ETag", "\"" + checkpoint.sha256() + "\"");
        if ("HEAD".equals(exchange.getRequestMethod())) {
            exchange.sendResponseHeaders(200, -1);
            return;
        }
        exchange.sendResponseHeaders(200, checkpoint.sizeBytes());
        try (InputStream in = Files.newInputStream(store.file(checkpoint.version()));
                OutputStream out = exchange.getResponseBody()) {
            in.transferTo(out);
        }
    }

    private static URI derivedUrl(InetSocketAddress bound) throws IOException {
        InetAddress address = bound.getAddress();
        String host = address.isAnyLocalAddress()
                ? InetAddress.getLocalHost().getCanonicalHostName()
                : address.getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + bound.getPort());
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
