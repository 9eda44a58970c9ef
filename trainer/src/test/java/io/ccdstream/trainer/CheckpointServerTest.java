package io.ccdstream.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.ccdstream.models.classifier.Classifier;
import io.ccdstream.models.classifier.ClassifierConfig;
import io.ccdstream.models.clip.ClassSet;
import io.ccdstream.schemas.CheckpointPhase;
import io.ccdstream.testsupport.StalledClients;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checkpoint endpoint: the route scorers on other hosts use instead of a shared filesystem. */
class CheckpointServerTest {

    private static final ClassSet CLASS_SET =
            ClassSet.of("test-model", List.of("cat", "dog", "bird"), List.of("a photo of the {class}"));

    @TempDir
    Path trainerHost;

    @TempDir
    Path scorerHost;

    private final HttpClient http = HttpClient.newHttpClient();
    private CheckpointStore store;
    private StoredCheckpoint stored;

    @BeforeEach
    void storeACheckpoint() throws Exception {
        store = CheckpointStore.open(trainerHost.resolve("checkpoints"), CLASS_SET.id());
        try (Classifier classifier = Classifier.create(ClassifierConfig.builder()
                .setClassNames(CLASS_SET.classNames())
                .optInputSize(32)
                .optSeed(3)
                .build())) {
            String sha = classifier.save(store.candidateFile());
            stored = store.add(
                    store.candidateFile(),
                    new StoredCheckpoint(
                            CLASS_SET.id(),
                            1,
                            CheckpointPhase.WARMUP,
                            "small-cnn",
                            sha,
                            Files.size(store.candidateFile()),
                            System.currentTimeMillis(),
                            10.0,
                            0.5,
                            64,
                            2,
                            null,
                            0,
                            0));
        }
    }

    @Test
    void shouldAnswerTheBytesOfAStoredVersionWithItsSha256AsETag() throws Exception {
        try (CheckpointServer server = CheckpointServer.start(store, CLASS_SET.id(), "127.0.0.1", 0, "")) {
            HttpResponse<byte[]> response = get(server.url(1));

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(Files.readAllBytes(store.file(1)));
            assertThat(response.headers().firstValue("ETag")).contains("\"" + stored.sha256() + "\"");
        }
    }

    @Test
    void shouldAnswer404ForAnUnknownVersionOrClassSetAnd405ForOtherMethods() throws Exception {
        try (CheckpointServer server = CheckpointServer.start(store, CLASS_SET.id(), "127.0.0.1", 0, "")) {
            assertThat(get(server.url(2)).statusCode()).isEqualTo(404);
            assertThat(get(server.baseUrl() + "/checkpoints/other-class-set/1").statusCode())
                    .isEqualTo(404);
            assertThat(get(server.baseUrl() + "/checkpoints/" + CLASS_SET.id() + "/../v1.ckpt")
                            .statusCode())
                    .isEqualTo(404);
            HttpResponse<byte[]> post = http.send(
                    HttpRequest.newBuilder(URI.create(server.url(1)))
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(post.statusCode()).isEqualTo(405);
        }
    }

    @Test
    void shouldAdvertiseTheConfiguredBaseUrl() throws Exception {
        try (CheckpointServer server =
                CheckpointServer.start(store, CLASS_SET.id(), "127.0.0.1", 0, "http://trainer.example:8095/")) {
            assertThat(server.url(7)).isEqualTo("http://trainer.example:8095/checkpoints/" + CLASS_SET.id() + "/7");
        }
    }

    @Test
    void shouldServeScorersWithin1sWhileTwentyClientsStallMidHeaders() throws Exception {
        try (CheckpointServer server = CheckpointServer.start(store, CLASS_SET.id(), "127.0.0.1", 0, "");
                StalledClients stalled = StalledClients.open(
                        server.baseUrl().getHost(), server.baseUrl().getPort(), 20, "/checkpoints/" + CLASS_SET.id())) {
            for (int i = 0; i < 5; i++) {
                long started = System.nanoTime();
                HttpResponse<byte[]> response = http.send(
                        HttpRequest.newBuilder(URI.create(server.url(1)))
                                .timeout(Duration.ofSeconds(1))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).hasSize((int) stored.sizeBytes());
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
            }
        }
    }

    @Test
    void shouldAnswerHeadWithoutBodyAndRefuseOversizedHeaders() throws Exception {
        try (CheckpointServer server = CheckpointServer.start(store, CLASS_SET.id(), "127.0.0.1", 0, "")) {
            HttpResponse<byte[]> head = http.send(
                    HttpRequest.newBuilder(URI.create(server.url(1)))
                            .method("HEAD", HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
            assertThat(head.headers().firstValue("ETag")).contains("\"" + stored.sha256() + "\"");

            HttpResponse<byte[]> oversized = http.send(
                    HttpRequest.newBuilder(URI.create(server.url(1)))
                            .header("X-Padding", "x".repeat(CheckpointServer.MAX_HEADER_BYTES + 1))
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(oversized.statusCode()).isEqualTo(431);
        }
    }

    private HttpResponse<byte[]> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
