package io.ccdstream.streams.query;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ccdstream.schemas.Bias;
import io.ccdstream.schemas.Checkpoint;
import io.ccdstream.schemas.ClassSetKey;
import io.ccdstream.schemas.ImageKey;
import io.ccdstream.schemas.Label;
import io.ccdstream.streams.labeler.LabelerTopology;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small read-only REST API over the pipeline's state (Kafka Streams interactive queries):
 * <ul>
 *   <li>{@code GET /labels/{classSetId}/{imageId}}: the latest label of an image;</li>
 *   <li>{@code GET /bias/{classSetId}}: the current bias vector;</li>
 *   <li>{@code GET /checkpoints/{classSetId}}: the classifier checkpoint the scorer uses.</li>
 * </ul>
 * Answers are the Avro records as JSON; 404 when there is none (with several labeler instances, a
 * label lives in the instance that owns its partition); 503 while the stores are not ready
 * (rebalancing or restoring).
 */
public final class QueryServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(QueryServer.class);

    private final HttpServer server;

    private QueryServer(HttpServer server) {
        this.server = server;
    }

    /**
     * Serves on {@code host}:{@code port} (0 picks a free port).
     *
     * @param labeler     the labeler's Kafka Streams client, or null if not in this process
     * @param checkpoints the scorer's current checkpoint per class set, or null if not in this process
     */
    public static QueryServer start(
            String host, int port, KafkaStreams labeler, Function<String, Optional<Checkpoint>> checkpoints)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "ccd-query");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/labels/", exchange -> handle(exchange, 2, parts -> label(labeler, parts)));
        server.createContext("/bias/", exchange -> handle(exchange, 1, parts -> bias(labeler, parts[0])));
        server.createContext(
                "/checkpoints/",
                exchange -> handle(
                        exchange,
                        1,
                        parts -> checkpoints == null
                                ? Answer.notFound("no scorer in this process")
                                : checkpoints
                                        .apply(parts[0])
                                        .map(Answer::ok)
                                        .orElseGet(() -> Answer.notFound("no checkpoint for class set " + parts[0]))));
        server.start();
        return new QueryServer(server);
    }

    /** Base URL, e.g. {@code http://127.0.0.1:8090}. */
    public String url() {
        return "http://" + server.getAddress().getHostString() + ":"
                + server.getAddress().getPort();
    }

    private record Answer(int status, String body) {
        static Answer ok(SpecificRecord record) {
            return new Answer(200, record.toString());
        }

        static Answer notFound(String why) {
            return new Answer(404, error(why));
        }

        static String error(String message) {
            return "{\"error\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
        }
    }

    private static Answer label(KafkaStreams labeler, String[] parts) {
        if (labeler == null) {
            return Answer.notFound("no labeler in this process");
        }
        ImageKey key = new ImageKey(parts[0], parts[1]);
        Label label = query(() -> labeler.store(StoreQueryParameters.fromNameAndType(
                        LabelerTopology.LABEL_STORE, QueryableStoreTypes.<ImageKey, Label>keyValueStore()))
                .get(key));
        if (label != null) {
            return Answer.ok(label);
        }
        return Answer.notFound("no label for image " + parts[1] + " of class set " + parts[0]
                + " in the partitions of this labeler instance");
    }

    private static Answer bias(KafkaStreams labeler, String classSetId) {
        if (labeler == null) {
            return Answer.notFound("no labeler in this process");
        }
        ReadOnlyKeyValueStore<ClassSetKey, ValueAndTimestamp<Bias>> store =
                query(() -> labeler.store(StoreQueryParameters.fromNameAndType(
                        LabelerTopology.BIAS_STORE,
                        QueryableStoreTypes.<ClassSetKey, Bias>timestampedKeyValueStore())));
        ValueAndTimestamp<Bias> bias = store.get(new ClassSetKey(classSetId));
        return bias == null
                ? Answer.notFound("no bias published yet for class set " + classSetId)
                : Answer.ok(bias.value());
    }

    private static <T> T query(Supplier<T> query) {
        return query.get();
    }

    private static void handle(HttpExchange exchange, int parts, Function<String[], Answer> answer) throws IOException {
        Answer result;
        try {
            String prefix = exchange.getHttpContext().getPath();
            String rest = exchange.getRequestURI().getRawPath().substring(prefix.length());
            String[] segments = rest.isEmpty() ? new String[0] : rest.split("/");
            if (!"GET".equals(exchange.getRequestMethod())) {
                result = new Answer(405, Answer.error("only GET is supported"));
            } else if (segments.length != parts) {
                result = new Answer(
                        404,
                        Answer.error(
                                "expected " + prefix + "{" + (parts == 2 ? "classSetId}/{imageId}" : "classSetId}")));
            } else {
                for (int i = 0; i < segments.length; i++) {
                    segments[i] = URLDecoder.decode(segments[i], StandardCharsets.UTF_8);
                }
                result = answer.apply(segments);
            }
        } catch (InvalidStateStoreException e) {
            result = new Answer(503, Answer.error("state not ready, retry: " + e.getMessage()));
        } catch (RuntimeException e) {
            LOG.warn("Query {} failed", exchange.getRequestURI(), e);
            result = new Answer(500, Answer.error(String.valueOf(e.getMessage())));
        }
        byte[] body = result.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(result.status(), body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
