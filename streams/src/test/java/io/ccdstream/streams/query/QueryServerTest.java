package io.ccdstream.streams.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.ccdstream.schemas.Checkpoint;
import io.ccdstream.schemas.CheckpointMetrics;
import io.ccdstream.schemas.CheckpointPhase;
import io.ccdstream.testsupport.StalledClients;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The REST query API's routes, status codes and JSON, and its bounds on what clients may hold. */
class QueryServerTest {

    private static final Checkpoint CHECKPOINT = Checkpoint.newBuilder()
            .setClassSetId("cs1")
            .setVersion(3)
            .setPhase(CheckpointPhase.WARMUP)
            .setArchitecture("small-cnn")
            .setLocation("file:/unused")
            .setSha256("0".repeat(64))
            .setSizeBytes(1)
            .setCreatedAt(Instant.EPOCH)
            .setMetrics(new CheckpointMetrics(0.0, 0.0, 0L, 0, null, 0, 0))
            .build();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private QueryServer server;

    @BeforeEach
    void start() throws Exception {
        server = QueryServer.start(
                "127.0.0.1", 0, null, id -> id.equals("cs1") ? Optional.of(CHECKPOINT) : Optional.empty());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void shouldAnswerTheCurrentCheckpointAsJson() throws Exception {
        HttpResponse<String> response = get("/checkpoints/cs1");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(response.body()).isEqualTo(CHECKPOINT.toString()).contains("\"version\": 3");
    }

    @Test
    void shouldAnswer404WithAReasonAnd405ForOtherMethods() throws Exception {
        assertThat(get("/checkpoints/other").statusCode()).isEqualTo(404);
        assertThat(get("/checkpoints/other").body()).isEqualTo("{\"error\":\"no checkpoint for class set other\"}");
        assertThat(get("/labels/cs1/img-1").body()).isEqualTo("{\"error\":\"no labeler in this process\"}");
        assertThat(get("/bias/cs1").statusCode()).isEqualTo(404);
        HttpResponse<String> wrongShape = get("/labels/cs1");
        assertThat(wrongShape.statusCode()).isEqualTo(404);
        assertThat(wrongShape.body()).isEqualTo("{\"error\":\"expected /labels/{classSetId}/{imageId}\"}");

        HttpResponse<String> post = http.send(
                HttpRequest.newBuilder(URI.create(server.url() + "/checkpoints/cs1"))
                        .POST(HttpRequest.BodyPublishers.ofString("{}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.body()).isEqualTo("{\"error\":\"only GET is supported\"}");
    }

    @Test
    void shouldRefuseOversizedHeaders() throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(server.url() + "/checkpoints/cs1"))
                        .header("X-Padding", "x".repeat(QueryServer.MAX_HEADER_BYTES + 1))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(431);
    }

    @Test
    void shouldAnswerWithin1sWhileTwentyClientsStallMidHeaders() throws Exception {
        URI uri = URI.create(server.url());
        try (StalledClients stalled = StalledClients.open(uri.getHost(), uri.getPort(), 20, "/checkpoints/cs1")) {
            for (int i = 0; i < 5; i++) {
                long started = System.nanoTime();
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(URI.create(server.url() + "/checkpoints/cs1"))
                                .timeout(Duration.ofSeconds(1))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
            }
            assertThat(stalled.closedByServer()).isZero();
        }
    }

    @Test
    void shouldCloseConnectionsStalledLongerThanTheIdleTimeout() throws Exception {
        try (QueryServer quick =
                        QueryServer.start("127.0.0.1", 0, null, id -> Optional.empty(), Duration.ofMillis(300));
                StalledClients stalled =
                        StalledClients.open("127.0.0.1", URI.create(quick.url()).getPort(), 3, "/checkpoints/cs1")) {
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            int closed = 0;
            while (closed < 3 && System.nanoTime() < deadline) {
                Thread.sleep(100);
                closed = stalled.closedByServer();
            }
            assertThat(closed).isEqualTo(3);
        }
    }

    @Test
    void shouldBindTheLoopbackAddressItIsGiven() {
        assertThat(server.url()).startsWith("http://127.0.0.1:");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(server.url() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
