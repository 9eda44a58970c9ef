package io.ccdstream.streams.query;

import io.ccdstream.schemas.Bias;
import io.ccdstream.schemas.Checkpoint;
import io.ccdstream.schemas.ClassSetKey;
import io.ccdstream.schemas.ImageKey;
import io.ccdstream.schemas.Label;
import io.ccdstream.streams.dashboard.DashboardApi;
import io.ccdstream.streams.dashboard.DashboardState;
import io.ccdstream.streams.labeler.LabelerTopology;
import io.ccdstream.topics.http.SmallHttpServer;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
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
 *   <li>{@code GET /checkpoints/{classSetId}}: the classifier checkpoint the scorer uses;</li>
 *   <li>{@code GET /metrics}: the process's metrics in the Prometheus text format, or OpenMetrics when the
 *       {@code Accept} header asks for {@code application/openmetrics-text} (404 without a registry);</li>
 *   <li>with a dashboard: the page at {@code GET /ui/} ({@code /} redirects there) and the JSON it polls,
 *       {@code GET /api/summary}, {@code /api/series}, {@code /api/dead-letters}, {@code /api/bias},
 *       {@code /api/checkpoints}, {@code /api/images?limit=N}, {@code /api/images/{imageId}} and
 *       {@code /api/images/{imageId}/image} (the encoded image); 404 for them without a dashboard.</li>
 * </ul>
 * Answers are the Avro records as JSON; 404 when there is none (with several labeler instances, a
 * label lives in the instance that owns its partition); 503 while the stores are not ready
 * (rebalancing or restoring); 405 for any other method.
 *
 * <p>Served by Javalin (Jetty 12) with bounded resources: a small worker pool, request headers of at most
 * {@value #MAX_HEADER_BYTES} bytes, bodies of at most {@value #MAX_BODY_BYTES} bytes, and connections closed
 * after {@link #IDLE_TIMEOUT} without traffic, so that slow or stalled clients hold no worker and cannot keep
 * others from being answered.
 */
public final class QueryServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(QueryServer.class);

    /** Connections without traffic for this long are closed (also a client stuck sending its headers). */
    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(10);

    /** Largest request header block (431 beyond). */
    public static final int MAX_HEADER_BYTES = SmallHttpServer.MAX_HEADER_BYTES;

    /** Largest request body. */
    public static final int MAX_BODY_BYTES = SmallHttpServer.MAX_BODY_BYTES;

    /** Content type of the Prometheus text exposition format. */
    public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    /** Content type of the OpenMetrics text format. */
    public static final String OPENMETRICS_TEXT = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private final Javalin server;
    private final String host;

    private QueryServer(Javalin server, String host) {
        this.server = server;
        this.host = host;
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
        return start(host, port, labeler, checkpoints, null, null, IDLE_TIMEOUT);
    }

    /**
     * Serves as {@link #start(String, int, KafkaStreams, Function)}, with {@code GET /metrics} scraping
     * {@code metrics} (null: no metrics, 404).
     */
    public static QueryServer start(
            String host,
            int port,
            KafkaStreams labeler,
            Function<String, Optional<Checkpoint>> checkpoints,
            PrometheusMeterRegistry metrics)
            throws IOException {
        return start(host, port, labeler, checkpoints, metrics, null, IDLE_TIMEOUT);
    }

    /**
     * Serves as {@link #start(String, int, KafkaStreams, Function, PrometheusMeterRegistry)}, with the
     * dashboard of {@code dashboard} on {@code /ui/} and {@code /api/} (null: no dashboard, 404).
     */
    public static QueryServer start(
            String host,
            int port,
            KafkaStreams labeler,
            Function<String, Optional<Checkpoint>> checkpoints,
            PrometheusMeterRegistry metrics,
            DashboardState dashboard)
            throws IOException {
        return start(host, port, labeler, checkpoints, metrics, dashboard, IDLE_TIMEOUT);
    }

    /** Serves as {@link #start(String, int, KafkaStreams, Function)} with another idle timeout (for tests). */
    static QueryServer start(
            String host,
            int port,
            KafkaStreams labeler,
            Function<String, Optional<Checkpoint>> checkpoints,
            Duration idleTimeout)
            throws IOException {
        return start(host, port, labeler, checkpoints, null, null, idleTimeout);
    }

    private static QueryServer start(
            String host,
            int port,
            KafkaStreams labeler,
            Function<String, Optional<Checkpoint>> checkpoints,
            PrometheusMeterRegistry metrics,
            DashboardState dashboard,
            Duration idleTimeout)
            throws IOException {
        Route labels = new Route("/labels/", 2, parts -> label(labeler, parts));
        Route bias = new Route("/bias/", 1, parts -> bias(labeler, parts[0]));
        Route current = new Route(
                "/checkpoints/",
                1,
                parts -> checkpoints == null
                        ? Answer.notFound("no scorer in this process")
                        : checkpoints
                                .apply(parts[0])
                                .map(Answer::ok)
                                .orElseGet(() -> Answer.notFound("no checkpoint for class set " + parts[0])));
        Javalin server = SmallHttpServer.create("ccd-query", idleTimeout, config -> {
            for (Route route : List.of(labels, bias, current)) {
                SmallHttpServer.routeEveryMethod(config, route.prefix() + "*", ctx -> handle(ctx, route));
            }
            SmallHttpServer.routeEveryMethod(config, "/metrics", ctx -> scrape(ctx, metrics));
            DashboardApi.addTo(config, dashboard);
        });
        SmallHttpServer.start(server, host, port, idleTimeout, "queries");
        return new QueryServer(server, host);
    }

    /** A path prefix with the number of segments after it and what answers them. */
    private record Route(String prefix, int parts, Function<String[], Answer> answer) {}

    /** Base URL, e.g. {@code http://127.0.0.1:8090}. */
    public String url() {
        String shown = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return "http://" + shown + ":" + server.port();
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

    private static void handle(Context ctx, Route route) {
        Answer result;
        try {
            String rawPath = ctx.req().getRequestURI();
            String rest = rawPath.length() > route.prefix().length()
                    ? rawPath.substring(route.prefix().length())
                    : "";
            String[] segments = rest.isEmpty() ? new String[0] : rest.split("/");
            if (!HandlerType.GET.equals(ctx.method())) {
                result = new Answer(405, Answer.error("only GET is supported"));
            } else if (segments.length != route.parts()) {
                result = new Answer(
                        404,
                        Answer.error("expected " + route.prefix() + "{"
                                + (route.parts() == 2 ? "classSetId}/{imageId}" : "classSetId}")));
            } else {
                for (int i = 0; i < segments.length; i++) {
                    segments[i] = URLDecoder.decode(segments[i], StandardCharsets.UTF_8);
                }
                result = route.answer().apply(segments);
            }
        } catch (InvalidStateStoreException e) {
            result = new Answer(503, Answer.error("state not ready, retry: " + e.getMessage()));
        } catch (RuntimeException e) {
            LOG.warn("Query {} failed", ctx.req().getRequestURI(), e);
            result = new Answer(500, Answer.error(String.valueOf(e.getMessage())));
        }
        ctx.status(result.status());
        ctx.contentType("application/json");
        ctx.result(result.body().getBytes(StandardCharsets.UTF_8));
    }

    private static void scrape(Context ctx, PrometheusMeterRegistry metrics) {
        if (!HandlerType.GET.equals(ctx.method())) {
            ctx.status(405).contentType("application/json");
            ctx.result(Answer.error("only GET is supported").getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (metrics == null) {
            ctx.status(404).contentType("application/json");
            ctx.result(Answer.error("no metrics in this process").getBytes(StandardCharsets.UTF_8));
            return;
        }
        String accept = ctx.header("Accept");
        String type =
                accept != null && accept.contains("application/openmetrics-text") ? OPENMETRICS_TEXT : PROMETHEUS_TEXT;
        try {
            String body = metrics.scrape(type);
            ctx.status(200).contentType(type);
            ctx.result(body.getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            LOG.warn("Scraping metrics failed", e);
            ctx.status(500).contentType("application/json");
            ctx.result(Answer.error(String.valueOf(e.getMessage())).getBytes(StandardCharsets.UTF_8));
        }
    }

    @Override
    public void close() {
        server.stop();
    }
}
