package io.ccdstream.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The embedded registry's HTTP server under slow clients, large bodies and basic authentication. */
class EmbeddedSchemaRegistryHttpLimitsTest {

    private static final String SCHEMA = EmbeddedSchemaRegistryRestTest.V1;

    @Test
    void shouldKeepAnsweringWhileFiftyClientsStallOnTheirBody() throws Exception {
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.inMemory()) {
            URI url = URI.create(registry.url());
            List<Socket> stalled = new ArrayList<>();
            try {
                for (int i = 0; i < 50; i++) {
                    Socket socket = new Socket();
                    socket.connect(new InetSocketAddress(url.getHost(), url.getPort()), 2_000);
                    OutputStream out = socket.getOutputStream();
                    out.write(("POST /subjects/stalled-" + i + "-value/versions HTTP/1.1\r\n"
                                    + "Host: " + url.getHost() + "\r\n"
                                    + "Content-Type: application/json\r\n"
                                    + "Content-Length: 100\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    stalled.add(socket);
                }

                for (int i = 0; i < 5; i++) {
                    long start = System.nanoTime();
                    RawHttp.Reply registered = RawHttp.post(
                            registry.url(), "/subjects/live-" + i + "-value/versions", RawHttp.schemaBody(SCHEMA));
                    RawHttp.Reply subjects = RawHttp.get(registry.url(), "/subjects");
                    Duration took = Duration.ofNanos(System.nanoTime() - start);

                    assertThat(registered.status()).as(registered.raw()).isEqualTo(200);
                    assertThat(subjects.status()).isEqualTo(200);
                    assertThat(took).isLessThan(Duration.ofSeconds(1));
                }
            } finally {
                for (Socket socket : stalled) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void shouldRefuseOversizedBodyWith413WithoutEchoingIt() {
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.inMemory()) {
            String marker = "field_" + "x".repeat(64);
            StringBuilder fields = new StringBuilder();
            while (fields.length() < 10 * 1024 * 1024) {
                fields.append("{\"name\":\"")
                        .append(marker)
                        .append(fields.length())
                        .append("\",\"type\":\"int\"},");
            }
            String schema = "{\"type\":\"record\",\"name\":\"Big\",\"fields\":[" + fields
                    + "{\"name\":\"z\",\"type\":\"int\"}]}";

            RawHttp.Reply reply =
                    RawHttp.post(registry.url(), "/subjects/big-value/versions", RawHttp.schemaBody(schema));

            assertThat(reply.status()).isEqualTo(413);
            assertThat(reply.errorCode()).isEqualTo(413);
            assertThat(reply.json().path("message").asText()).contains("limit");
            assertThat(reply.raw()).doesNotContain(marker).hasSizeLessThan(500);
            assertThat(RawHttp.get(registry.url(), "/subjects").raw()).isEqualTo("[]");
        }
    }

    @Test
    void shouldRefuseOversizedChunkedBodyWith413() {
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(
                new EmbeddedSchemaRegistryConfig(
                        Map.of(EmbeddedSchemaRegistryConfig.HTTP_REQUEST_MAX_BYTES_CONFIG, 4096)),
                new InMemorySchemaStore())) {
            byte[] body = RawHttp.schemaBody("x".repeat(8192)).getBytes(StandardCharsets.UTF_8);
            HttpRequest.Builder request = HttpRequest.newBuilder(
                            URI.create(registry.url() + "/subjects/big-value/versions"))
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body)));

            RawHttp.Reply reply = RawHttp.send(request);

            assertThat(reply.status()).isEqualTo(413);
            assertThat(reply.raw()).doesNotContain("xxxxxxxx");
        }
    }

    @Test
    void shouldRequireBasicCredentialsWhenConfigured() {
        Map<String, Object> settings = Map.of(
                EmbeddedSchemaRegistryConfig.AUTHENTICATION_METHOD_CONFIG, "BASIC",
                EmbeddedSchemaRegistryConfig.AUTHENTICATION_BASIC_USERS_CONFIG, "ops:s3cret,ci:other");
        try (EmbeddedSchemaRegistry registry =
                EmbeddedSchemaRegistry.start(new EmbeddedSchemaRegistryConfig(settings), new InMemorySchemaStore())) {
            RawHttp.Reply anonymous = RawHttp.get(registry.url(), "/subjects");
            RawHttp.Reply wrong = withAuth(registry.url(), "ops:wrong");
            RawHttp.Reply right = withAuth(registry.url(), "ops:s3cret");
            RawHttp.Reply second = withAuth(registry.url(), "ci:other");

            assertThat(anonymous.status()).isEqualTo(401);
            assertThat(anonymous.errorCode()).isEqualTo(401);
            assertThat(wrong.status()).isEqualTo(401);
            assertThat(right.status()).isEqualTo(200);
            assertThat(second.status()).isEqualTo(200);

            SchemaRegistryClient client = SchemaRegistryClient.create(Map.of(
                    SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL_CONFIG, registry.url(),
                    SchemaRegistryClientConfig.BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG, "USER_INFO",
                    SchemaRegistryClientConfig.BASIC_AUTH_USER_INFO_CONFIG, "ops:s3cret"));
            int id = client.register("auth-value", new org.apache.avro.Schema.Parser().parse(SCHEMA));
            assertThat(client.getById(id).getName()).isEqualTo("Image");
        }
    }

    @Test
    void shouldRefuseBasicAuthenticationWithoutUsers() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new EmbeddedSchemaRegistryConfig(
                        Map.of(EmbeddedSchemaRegistryConfig.AUTHENTICATION_METHOD_CONFIG, "BASIC")))
                .isInstanceOf(org.apache.kafka.common.config.ConfigException.class);
    }

    private static RawHttp.Reply withAuth(String url, String userInfo) {
        return RawHttp.send(HttpRequest.newBuilder(URI.create(url + "/subjects"))
                .header(
                        "Authorization",
                        "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)))
                .GET());
    }
}
