package io.ccdstream.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link SchemaRegistryClient} against the embedded registry: each call, caching, errors, fail-over, auth. */
class SchemaRegistryClientTest {

    static final Schema V1 = new Schema.Parser().parse(EmbeddedSchemaRegistryRestTest.V1);
    static final Schema V2 = new Schema.Parser().parse(EmbeddedSchemaRegistryRestTest.V2_WITH_DEFAULT);
    static final Schema V2_INCOMPATIBLE = new Schema.Parser().parse(EmbeddedSchemaRegistryRestTest.V2_WITHOUT_DEFAULT);

    private EmbeddedSchemaRegistry registry;
    private SchemaRegistryClient client;

    @BeforeEach
    void start() {
        registry = EmbeddedSchemaRegistry.inMemory();
        client = SchemaRegistryClient.create(Map.of("schema.registry.url", registry.url()));
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    @Test
    void shouldRegisterAndReadBackEveryWay() {
        int id1 = client.register("images-value", V1);
        int id2 = client.register("images-value", V2);

        assertThat(client.getById(id1)).isEqualTo(V1);
        assertThat(client.lookup("images-value", V1)).isEqualTo(new RegisteredSchema("images-value", 1, id1, V1));
        assertThat(client.getLatest("images-value")).isEqualTo(new RegisteredSchema("images-value", 2, id2, V2));
        assertThat(client.getVersion("images-value", 1).schema()).isEqualTo(V1);
        assertThat(client.listVersions("images-value")).containsExactly(1, 2);
        assertThat(client.listSubjects()).containsExactly("images-value");
    }

    @Test
    void shouldTestCompatibilityAgainstLatest() {
        client.register("images-value", V1);

        assertThat(client.testCompatibility("images-value", V2)).isTrue();
        assertThat(client.testCompatibility("images-value", V2_INCOMPATIBLE)).isFalse();
    }

    @Test
    void shouldReadAndUpdateGlobalAndSubjectLevels() {
        assertThat(client.getConfig()).isEqualTo(CompatibilityLevel.BACKWARD);
        assertThat(client.getConfig("images-value")).isEqualTo(CompatibilityLevel.BACKWARD);

        assertThat(client.updateConfig(CompatibilityLevel.FULL)).isEqualTo(CompatibilityLevel.FULL);
        assertThat(client.updateConfig("images-value", CompatibilityLevel.NONE)).isEqualTo(CompatibilityLevel.NONE);

        assertThat(client.getConfig()).isEqualTo(CompatibilityLevel.FULL);
        assertThat(client.getConfig("images-value")).isEqualTo(CompatibilityLevel.NONE);
        assertThat(client.getConfig("labels-value")).isEqualTo(CompatibilityLevel.FULL);
    }

    @Test
    void shouldAnswerRepeatedRegistrationsLookupsAndIdFetchesFromCache() {
        int id = client.register("images-value", V1);
        client.lookup("images-value", V1);
        long afterFirst = registry.requestCount();

        SchemaRegistryClient other = SchemaRegistryClient.create(Map.of("schema.registry.url", registry.url()));
        other.getById(id);
        long afterOtherFetch = registry.requestCount();
        for (int i = 0; i < 5; i++) {
            assertThat(client.register("images-value", V1)).isEqualTo(id);
            assertThat(client.lookup("images-value", V1).version()).isEqualTo(1);
            assertThat(client.getById(id)).isEqualTo(V1);
            assertThat(other.getById(id)).isEqualTo(V1);
        }

        assertThat(afterOtherFetch).isEqualTo(afterFirst + 1);
        assertThat(registry.requestCount()).isEqualTo(afterOtherFetch);
    }

    @Test
    void shouldNotCacheLatestVersion() {
        client.register("images-value", V1);
        assertThat(client.getLatest("images-value").version()).isEqualTo(1);

        client.register("images-value", V2);

        assertThat(client.getLatest("images-value").version()).isEqualTo(2);
    }

    @Test
    void shouldCarryStatusErrorCodeAndMessageOfRegistryErrors() {
        client.register("images-value", V1);

        assertThatThrownBy(() -> client.getLatest("nobody-value"))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SUBJECT_NOT_FOUND);
                    assertThat(e.getMessage()).isEqualTo("Subject 'nobody-value' not found.");
                });
        assertThatThrownBy(() -> client.getById(99))
                .isInstanceOfSatisfying(
                        SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND));
        assertThatThrownBy(() -> client.getVersion("images-value", 5))
                .isInstanceOfSatisfying(
                        SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.VERSION_NOT_FOUND));
        assertThatThrownBy(() -> client.register("images-value", V2_INCOMPATIBLE))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.INCOMPATIBLE_SCHEMA);
                });
    }

    @Test
    void shouldFailOverToNextUrlWhenFirstRefusesConnections() throws IOException {
        String dead = "http://127.0.0.1:" + freePort();
        SchemaRegistryClient failingOver =
                SchemaRegistryClient.create(Map.of("schema.registry.url", dead + "," + registry.url()));

        int id = failingOver.register("images-value", V1);

        assertThat(client.lookup("images-value", V1).id()).isEqualTo(id);
        assertThat(failingOver.listSubjects()).containsExactly("images-value");
    }

    @Test
    void shouldReportNoResponseWhenNoUrlIsReachable() throws IOException {
        String dead = "http://127.0.0.1:" + freePort();
        SchemaRegistryClient unreachable = SchemaRegistryClient.create(Map.of("schema.registry.url", dead));

        assertThatThrownBy(unreachable::listSubjects).isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
            assertThat(e.status()).isEqualTo(SchemaRegistryException.NO_RESPONSE);
            assertThat(e.getMessage()).contains("No schema registry reachable").contains(dead);
        });
    }

    @Test
    void shouldSendBasicAuthFromUserInfoSetting() throws IOException {
        List<String> authorizations = new CopyOnWriteArrayList<>();
        HttpServer server = recordingServer(authorizations);
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort();
            SchemaRegistryClient.create(Map.of(
                            "schema.registry.url",
                            url,
                            "basic.auth.credentials.source",
                            "USER_INFO",
                            "basic.auth.user.info",
                            "ccd:s3cret"))
                    .listSubjects();
        } finally {
            server.stop(0);
        }

        assertThat(authorizations).containsExactly("Basic Y2NkOnMzY3JldA==");
    }

    @Test
    void shouldSendBasicAuthFromUrlAndStripItFromRequests() throws IOException {
        List<String> authorizations = new CopyOnWriteArrayList<>();
        HttpServer server = recordingServer(authorizations);
        try {
            String url = "http://ccd:s3cret@127.0.0.1:" + server.getAddress().getPort();
            SchemaRegistryClient.create(Map.of("schema.registry.url", url, "basic.auth.credentials.source", "URL"))
                    .listSubjects();
        } finally {
            server.stop(0);
        }

        assertThat(authorizations).containsExactly("Basic Y2NkOnMzY3JldA==");
    }

    @Test
    void shouldSendNoAuthorizationByDefault() throws IOException {
        List<String> authorizations = new CopyOnWriteArrayList<>();
        HttpServer server = recordingServer(authorizations);
        try {
            SchemaRegistryClient.create(Map.of(
                            "schema.registry.url",
                            "http://127.0.0.1:" + server.getAddress().getPort()))
                    .listSubjects();
        } finally {
            server.stop(0);
        }

        assertThat(authorizations).containsExactly("none");
    }

    @Test
    void shouldRejectIncompleteConfiguration() {
        assertThatThrownBy(() -> SchemaRegistryClient.create(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.url");
        assertThatThrownBy(() -> SchemaRegistryClient.create(Map.of("schema.registry.url", "localhost:8081")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("not a registry URL");
        assertThatThrownBy(() -> SchemaRegistryClient.create(Map.of(
                        "schema.registry.url", "http://localhost:8081", "basic.auth.credentials.source", "USER_INFO")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("basic.auth.user.info");
        assertThatThrownBy(() -> SchemaRegistryClient.create(
                        Map.of("schema.registry.url", "http://localhost:8081", "basic.auth.credentials.source", "URL")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("user:password@");
    }

    private static HttpServer recordingServer(List<String> authorizations) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"))
                    .replace("null", "none"));
            byte[] body = "[]".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
