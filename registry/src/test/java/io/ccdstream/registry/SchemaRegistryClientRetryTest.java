package io.ccdstream.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Registration retries 5xx and unreachable registries with backoff, and resolves 409 by lookup. */
class SchemaRegistryClientRetryTest {

    private static final Schema SCHEMA = new Schema.Parser().parse(EmbeddedSchemaRegistryRestTest.V1);

    private record Answer(int status, String body) {}

    private HttpServer stub;
    private final Deque<Answer> answers = new ArrayDeque<>();
    private final List<String> requests = new ArrayList<>();

    @BeforeEach
    void startStub() throws IOException {
        stub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        stub.createContext("/", this::answer);
        stub.start();
    }

    @AfterEach
    void stopStub() {
        stub.stop(0);
    }

    private synchronized void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            requests.add(
                    exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            Answer answer =
                    answers.isEmpty() ? new Answer(500, "{\"error_code\":50001,\"message\":\"down\"}") : answers.poll();
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private SchemaRegistryClient client(int maxRetries) {
        return SchemaRegistryClient.create(Map.of(
                SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL_CONFIG,
                "http://127.0.0.1:" + stub.getAddress().getPort(),
                SchemaRegistryClientConfig.MAX_RETRIES_CONFIG,
                maxRetries,
                SchemaRegistryClientConfig.RETRIES_WAIT_MS_CONFIG,
                5));
    }

    @Test
    void shouldRetryServerErrorsUntilRegistrationSucceeds() {
        answers.add(new Answer(500, "{\"error_code\":50001,\"message\":\"Error in the backend data store\"}"));
        answers.add(new Answer(503, "<html>proxy says no</html>"));
        answers.add(new Answer(200, "{\"id\":7}"));

        assertThat(client(3).register("images-value", SCHEMA)).isEqualTo(7);
        assertThat(requests)
                .containsExactly(
                        "POST /subjects/images-value/versions",
                        "POST /subjects/images-value/versions",
                        "POST /subjects/images-value/versions");
    }

    @Test
    void shouldGiveUpAfterMaxRetriesWithTheLastServerError() {
        assertThatThrownBy(() -> client(2).register("images-value", SCHEMA))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.status()).isEqualTo(500);
                    assertThat(e.errorCode()).isEqualTo(50001);
                });
        assertThat(requests).hasSize(3);
    }

    @Test
    void shouldNotRetryClientErrors() {
        answers.add(new Answer(422, "{\"error_code\":42201,\"message\":\"Invalid schema\"}"));

        assertThatThrownBy(() -> client(3).register("images-value", SCHEMA))
                .isInstanceOfSatisfying(
                        SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(42201));
        assertThat(requests).hasSize(1);
    }

    @Test
    void shouldUseIdOfConcurrentlyRegisteredSchemaOnConflict() {
        answers.add(new Answer(409, "{\"error_code\":409,\"message\":\"conflict\"}"));
        answers.add(new Answer(
                200,
                RawHttp.toJson(Map.of("subject", "images-value", "version", 1, "id", 9, "schema", SCHEMA.toString()))));

        assertThat(client(0).register("images-value", SCHEMA)).isEqualTo(9);
        assertThat(requests).containsExactly("POST /subjects/images-value/versions", "POST /subjects/images-value");
    }

    @Test
    void shouldKeepConflictWhenSchemaIsNotRegisteredAfterAll() {
        answers.add(new Answer(409, "{\"error_code\":409,\"message\":\"Schema being registered is incompatible\"}"));
        answers.add(new Answer(404, "{\"error_code\":40403,\"message\":\"Schema not found\"}"));

        assertThatThrownBy(() -> client(0).register("images-value", SCHEMA))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.getMessage()).contains("incompatible");
                });
    }

    @Test
    void shouldRetryUnreachableRegistry() throws IOException {
        int port = SchemaRegistryClientTest.freePort();
        SchemaRegistryClient unreachable = SchemaRegistryClient.create(Map.of(
                SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL_CONFIG, "http://127.0.0.1:" + port,
                SchemaRegistryClientConfig.MAX_RETRIES_CONFIG, 2,
                SchemaRegistryClientConfig.RETRIES_WAIT_MS_CONFIG, 100));
        long start = System.nanoTime();

        assertThatThrownBy(() -> unreachable.register("images-value", SCHEMA))
                .isInstanceOfSatisfying(
                        SchemaRegistryException.class,
                        e -> assertThat(e.status()).isEqualTo(SchemaRegistryException.NO_RESPONSE));
        assertThat((System.nanoTime() - start) / 1_000_000)
                .as("waited 100 + 200 ms")
                .isGreaterThanOrEqualTo(300);
    }

    @Test
    void shouldDoubleTheWaitUpToTheCap() {
        RegistryHttp http = new RegistryHttp(new SchemaRegistryClientConfig(Map.of(
                SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL_CONFIG, "http://127.0.0.1:1",
                SchemaRegistryClientConfig.RETRIES_WAIT_MS_CONFIG, 100,
                SchemaRegistryClientConfig.RETRIES_MAX_WAIT_MS_CONFIG, 500)));

        assertThat(List.of(http.backoff(0), http.backoff(1), http.backoff(2), http.backoff(3), http.backoff(40)))
                .containsExactly(100L, 200L, 400L, 500L, 500L);
    }
}
