package io.ccdstream.streams.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.ccdstream.testsupport.PrometheusText;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code GET /metrics}: the Prometheus text format by default, OpenMetrics when asked for. */
class QueryServerMetricsTest {

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private QueryServer server;

    @BeforeEach
    void start() throws Exception {
        Counter.builder("ccd_test_events")
                .tag("kind", "global")
                .register(registry)
                .increment(3);
        server = QueryServer.start("127.0.0.1", 0, null, id -> Optional.empty(), registry);
    }

    @AfterEach
    void stop() {
        server.close();
        registry.close();
    }

    @Test
    void shouldServeThePrometheusTextFormatByDefault() throws Exception {
        HttpResponse<String> response = get("/metrics", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(
                        type -> assertThat(type).startsWith("text/plain").contains("version=0.0.4"));
        PrometheusText text = PrometheusText.parse(response.body());
        assertThat(text.value("ccd_test_events_total", "kind", "global")).contains(3.0);
        assertThat(response.body())
                .contains("# TYPE ccd_test_events_total counter")
                .doesNotContain("# EOF");
    }

    @Test
    void shouldServeOpenMetricsWhenTheAcceptHeaderAsksForIt() throws Exception {
        HttpResponse<String> response = get("/metrics", "application/openmetrics-text; version=1.0.0,text/plain;q=0.5");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/openmetrics-text"));
        assertThat(response.body()).contains("# TYPE ccd_test_events counter").endsWith("# EOF\n");
        assertThat(PrometheusText.parse(response.body()).value("ccd_test_events_total", "kind", "global"))
                .contains(3.0);
    }

    @Test
    void shouldAnswer404WithoutARegistryAnd405ForOtherMethods() throws Exception {
        try (QueryServer bare = QueryServer.start("127.0.0.1", 0, null, id -> Optional.empty())) {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(bare.url() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(response.body()).isEqualTo("{\"error\":\"no metrics in this process\"}");
        }
        HttpResponse<String> post = http.send(
                HttpRequest.newBuilder(URI.create(server.url() + "/metrics"))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
    }

    private HttpResponse<String> get(String path, String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path));
        if (accept != null) {
            request.header("Accept", accept);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
