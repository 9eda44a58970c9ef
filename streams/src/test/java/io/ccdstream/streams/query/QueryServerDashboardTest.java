package io.ccdstream.streams.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ccdstream.data.ImageRecords;
import io.ccdstream.schemas.Label;
import io.ccdstream.schemas.LabelStage;
import io.ccdstream.schemas.Review;
import io.ccdstream.streams.dashboard.DashboardState;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dashboard's page and JSON on the query server. */
class QueryServerDashboardTest {

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G'};

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final DashboardState state = new DashboardState("cs", List.of("cat", "dog"));
    private QueryServer server;

    @BeforeEach
    void start() throws Exception {
        state.image(ImageRecords.inline("cs", "img 1", PNG, "image/png", null, Map.of()));
        state.label(Label.newBuilder()
                .setImageId("img 1")
                .setClassSetId("cs")
                .setClassNames(List.of("cat", "dog"))
                .setStage(LabelStage.INITIAL)
                .setScores(List.of(0.2f, 0.7f))
                .setGlobal(List.of(0.2f, 0.7f))
                .setAlpha(0.5f)
                .setModelId("m")
                .setClipInferences(1)
                .setLabeledAt(Instant.ofEpochMilli(1))
                .build());
        server = QueryServer.start("127.0.0.1", 0, null, id -> Optional.empty(), null, state);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void shouldServeThePageAndRedirectTheRootToIt() throws Exception {
        HttpResponse<String> root = get("/");
        assertThat(root.statusCode()).isEqualTo(302);
        assertThat(root.headers().firstValue("Location")).contains("/ui/");

        HttpResponse<String> page = get("/ui/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.body()).contains("<script src=\"dashboard.js\"></script>", "vendor/uPlot.iife.min.js");
        assertThat(get("/ui/dashboard.js").body()).contains("async function refresh()");
        assertThat(get("/ui/vendor/uPlot.iife.min.js").statusCode()).isEqualTo(200);
    }

    @Test
    void shouldAnswerTheJsonThePagePolls() throws Exception {
        JsonNode summary = json.readTree(get("/api/summary").body());
        assertThat(summary.get("classSetId").asText()).isEqualTo("cs");
        assertThat(summary.get("initialLabels").asLong()).isEqualTo(1);
        assertThat(summary.get("positivesPerClass").toString()).isEqualTo("[0,1]");

        JsonNode images = json.readTree(get("/api/images?limit=5").body());
        assertThat(images).hasSize(1);
        assertThat(images.get(0).get("top").get(0).get("className").asText()).isEqualTo("dog");
        assertThat(json.readTree(get("/api/images/img%201").body()).get("stage").asText())
                .isEqualTo("INITIAL");

        HttpResponse<byte[]> bytes = http.send(
                HttpRequest.newBuilder(URI.create(server.url() + "/api/images/img%201/image"))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(bytes.statusCode()).isEqualTo(200);
        assertThat(bytes.headers().firstValue("Content-Type")).contains("image/png");
        assertThat(bytes.body()).isEqualTo(PNG);
        for (String path : List.of("/api/series", "/api/dead-letters", "/api/bias", "/api/checkpoints")) {
            assertThat(get(path).statusCode()).as(path).isEqualTo(200);
        }
    }

    @Test
    void shouldRefuseBadRequestsWithAReason() throws Exception {
        HttpResponse<String> limit = get("/api/images?limit=0");
        assertThat(limit.statusCode()).isEqualTo(400);
        assertThat(limit.body()).contains("limit must be a number from 1 to 200");
        assertThat(get("/api/images/unknown").statusCode()).isEqualTo(404);
        assertThat(get("/api/images/unknown/image").statusCode()).isEqualTo(404);
        HttpResponse<String> post = http.send(
                HttpRequest.newBuilder(URI.create(server.url() + "/api/summary"))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
    }

    @Test
    void shouldAnswer404WithoutADashboard() throws Exception {
        try (QueryServer bare = QueryServer.start("127.0.0.1", 0, null, id -> Optional.empty())) {
            for (String path : List.of("/", "/api/summary", "/ui/")) {
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(URI.create(bare.url() + path)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(path).isEqualTo(404);
            }
        }
    }

    @Test
    void shouldServeTheReviewQueueAndSendAPersonsAnswer() throws Exception {
        List<Review> sent = new ArrayList<>();
        state.reviewSink(sent::add);

        // the labelled image waits with its bytes and the pipeline's suggestion
        JsonNode next = json.readTree(get("/api/review/next").body());
        assertThat(next.get("imageId").asText()).isEqualTo("img 1");
        assertThat(next.get("suggested").toString()).isEqualTo("[\"dog\"]");
        assertThat(get("/api/review/img%201/image").statusCode()).isEqualTo(200);
        assertThat(get("/ui/review.html").body()).contains("review.js");

        // bad answers are refused with a reason, nothing is sent
        assertThat(post(
                                "/api/reviews",
                                "{\"imageId\":\"img 1\",\"verdicts\":{\"cow\":\"PRESENT\"}}",
                                "application/json")
                        .body())
                .contains("class 'cow' is not one of class set cs");
        assertThat(post("/api/reviews", "{\"imageId\":\"img 1\",\"verdicts\":{\"cat\":\"YES\"}}", "application/json")
                        .statusCode())
                .isEqualTo(400);
        assertThat(post("/api/reviews", "{\"imageId\":\"nope\",\"verdicts\":{\"cat\":\"PRESENT\"}}", "application/json")
                        .statusCode())
                .isEqualTo(404);
        assertThat(post("/api/reviews", "imageId=img+1", "application/x-www-form-urlencoded")
                        .statusCode())
                .isEqualTo(415);
        assertThat(get("/api/reviews").statusCode()).isEqualTo(405);
        assertThat(sent).isEmpty();

        // a good one is sent, leaves the queue and counts
        HttpResponse<String> accepted = post(
                "/api/reviews",
                "{\"imageId\":\"img 1\",\"reviewer\":\"ann\",\"verdicts\":{\"cat\":\"PRESENT\",\"dog\":\"ABSENT\"}}",
                "application/json");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        assertThat(sent).singleElement().satisfies(r -> {
            assertThat(r.getReviewer()).isEqualTo("ann");
            assertThat(r.getVerdicts())
                    .extracting(v -> v.getClassName() + "=" + v.getVerdict())
                    .containsExactly("cat=PRESENT", "dog=ABSENT");
        });
        assertThat(get("/api/review/next").statusCode()).isEqualTo(404);
        // the feed reads the same review back from ccd.reviews: it counts once
        state.review(sent.get(0));
        JsonNode stats = json.readTree(get("/api/review/stats").body());
        assertThat(stats.get("answered").asLong()).isEqualTo(1);
        assertThat(stats.get("queued").asInt()).isZero();
    }

    private HttpResponse<String> post(String path, String body, String type) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(server.url() + path.replace(" ", "%20")))
                        .header("Content-Type", type)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(server.url() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
