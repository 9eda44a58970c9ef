package io.ccdstream.registry;

import static io.ccdstream.registry.EmbeddedSchemaRegistryRestTest.OTHER;
import static io.ccdstream.registry.EmbeddedSchemaRegistryRestTest.V1;
import static io.ccdstream.registry.EmbeddedSchemaRegistryRestTest.V2_WITH_DEFAULT;
import static io.ccdstream.registry.RawHttp.get;
import static io.ccdstream.registry.RawHttp.post;
import static io.ccdstream.registry.RawHttp.put;
import static io.ccdstream.registry.RawHttp.schemaBody;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Soft and permanent deletes, modes and IMPORT, with Confluent's status and error codes. */
class RegistryDeleteAndModeTest {

    private static final EmbeddedSchemaRegistryConfig CONFIG = new EmbeddedSchemaRegistryConfig(Map.of());

    private final InMemorySchemaStore store = new InMemorySchemaStore();
    private EmbeddedSchemaRegistry registry;
    private String url;

    @BeforeEach
    void start() {
        registry = EmbeddedSchemaRegistry.start(CONFIG, store);
        url = registry.url();
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    private void restart() {
        registry.close();
        start();
    }

    private static RawHttp.Reply delete(String url, String path) {
        return RawHttp.send(HttpRequest.newBuilder(URI.create(url + path)).DELETE());
    }

    private int register(String subject, String schema) {
        RawHttp.Reply reply = post(url, "/subjects/" + subject + "/versions", schemaBody(schema));
        assertThat(reply.status()).as(reply.raw()).isEqualTo(200);
        return reply.json().path("id").asInt();
    }

    @Test
    void shouldSoftThenPermanentlyDeleteSubject() {
        int v1 = register("images-value", V1);
        register("images-value", V2_WITH_DEFAULT);
        register("others-value", OTHER);

        RawHttp.Reply permanentFirst = delete(url, "/subjects/images-value?permanent=true");
        RawHttp.Reply soft = delete(url, "/subjects/images-value");
        RawHttp.Reply softAgain = delete(url, "/subjects/images-value");

        assertThat(permanentFirst.status()).isEqualTo(404);
        assertThat(permanentFirst.errorCode()).isEqualTo(40405);
        assertThat(soft.status()).isEqualTo(200);
        assertThat(soft.raw()).isEqualTo("[1,2]");
        assertThat(softAgain.errorCode()).isEqualTo(40404);
        assertThat(get(url, "/subjects").raw()).isEqualTo("[\"others-value\"]");
        assertThat(get(url, "/subjects/images-value/versions").errorCode()).isEqualTo(40401);
        assertThat(get(url, "/schemas/ids/" + v1).status())
                .as("soft-deleted schemas stay readable by id")
                .isEqualTo(200);

        restart();
        assertThat(get(url, "/subjects").raw())
                .as("soft delete survives restart")
                .isEqualTo("[\"others-value\"]");

        RawHttp.Reply permanent = delete(url, "/subjects/images-value?permanent=true");
        assertThat(permanent.status()).isEqualTo(200);
        assertThat(permanent.raw()).isEqualTo("[1,2]");
        assertThat(delete(url, "/subjects/images-value").errorCode()).isEqualTo(40401);
        assertThat(get(url, "/schemas/ids/" + v1).errorCode()).isEqualTo(40403);

        restart();
        assertThat(get(url, "/schemas/ids/" + v1).errorCode())
                .as("permanent delete survives restart")
                .isEqualTo(40403);
        assertThat(register("fresh-value", "{\"type\":\"record\",\"name\":\"F\",\"fields\":[]}"))
                .as("ids are not reused after deletes")
                .isEqualTo(4);
    }

    @Test
    void shouldSoftThenPermanentlyDeleteVersion() {
        register("images-value", V1);
        register("images-value", V2_WITH_DEFAULT);

        RawHttp.Reply notFound = delete(url, "/subjects/images-value/versions/7");
        RawHttp.Reply noSubject = delete(url, "/subjects/nobody-value/versions/1");
        RawHttp.Reply permanentFirst = delete(url, "/subjects/images-value/versions/1?permanent=true");
        RawHttp.Reply soft = delete(url, "/subjects/images-value/versions/1");
        RawHttp.Reply softAgain = delete(url, "/subjects/images-value/versions/1");

        assertThat(notFound.errorCode()).isEqualTo(40402);
        assertThat(noSubject.errorCode()).isEqualTo(40401);
        assertThat(permanentFirst.status()).isEqualTo(404);
        assertThat(permanentFirst.errorCode()).isEqualTo(40407);
        assertThat(soft.status()).isEqualTo(200);
        assertThat(soft.raw()).isEqualTo("1");
        assertThat(softAgain.errorCode()).isEqualTo(40406);
        assertThat(get(url, "/subjects/images-value/versions").raw()).isEqualTo("[2]");
        assertThat(get(url, "/subjects/images-value/versions/1").errorCode()).isEqualTo(40402);

        restart();
        assertThat(get(url, "/subjects/images-value/versions").raw()).isEqualTo("[2]");
        assertThat(delete(url, "/subjects/images-value/versions/1?permanent=true")
                        .raw())
                .isEqualTo("1");
        assertThat(delete(url, "/subjects/images-value/versions/latest").raw()).isEqualTo("2");
        assertThat(register("images-value", V1))
                .as("a deleted schema registered again keeps its id")
                .isEqualTo(1);
        assertThat(get(url, "/subjects/images-value/versions").raw()).isEqualTo("[3]");
    }

    @Test
    void shouldServeRawSchemaById() {
        int id = register("images-value", V1);

        RawHttp.Reply raw = get(url, "/schemas/ids/" + id + "/schema");

        assertThat(raw.status()).isEqualTo(200);
        assertThat(raw.json().path("name").asText()).isEqualTo("Image");
        assertThat(get(url, "/schemas/ids/99/schema").errorCode()).isEqualTo(40403);
    }

    @Test
    void shouldRefuseWritesInReadOnlyMode() {
        register("images-value", V1);
        assertThat(get(url, "/mode").raw()).isEqualTo("{\"mode\":\"READWRITE\"}");

        assertThat(put(url, "/mode", "{\"mode\":\"READONLY\"}").raw()).isEqualTo("{\"mode\":\"READONLY\"}");
        RawHttp.Reply register = post(url, "/subjects/images-value/versions", schemaBody(V2_WITH_DEFAULT));
        RawHttp.Reply deleteVersion = delete(url, "/subjects/images-value/versions/1");

        assertThat(register.status()).isEqualTo(422);
        assertThat(register.errorCode()).isEqualTo(42205);
        assertThat(deleteVersion.errorCode()).isEqualTo(42205);
        assertThat(get(url, "/subjects/images-value/versions/latest").status()).isEqualTo(200);

        restart();
        assertThat(get(url, "/mode").raw()).as("mode survives restart").isEqualTo("{\"mode\":\"READONLY\"}");
        put(url, "/mode/images-value", "{\"mode\":\"READWRITE\"}");
        assertThat(get(url, "/mode/images-value").raw()).isEqualTo("{\"mode\":\"READWRITE\"}");
        assertThat(post(url, "/subjects/images-value/versions", schemaBody(V2_WITH_DEFAULT))
                        .status())
                .isEqualTo(200);
        assertThat(get(url, "/mode/others-value").errorCode()).isEqualTo(40409);
        assertThat(get(url, "/mode/others-value?defaultToGlobal=true").raw()).isEqualTo("{\"mode\":\"READONLY\"}");
        assertThat(put(url, "/mode", "{\"mode\":\"SIDEWAYS\"}").errorCode()).isEqualTo(42204);
    }

    @Test
    void shouldHonourIdInRegisterBodyOnlyInImportMode() {
        String withId = RawHttp.toJson(Map.of("schema", V1, "id", 100));

        RawHttp.Reply refused = post(url, "/subjects/images-value/versions", withId);
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.errorCode()).isEqualTo(42205);

        assertThat(put(url, "/mode", "{\"mode\":\"IMPORT\"}").status()).isEqualTo(200);
        RawHttp.Reply imported = post(url, "/subjects/images-value/versions", withId);
        RawHttp.Reply conflicting =
                post(url, "/subjects/others-value/versions", RawHttp.toJson(Map.of("schema", OTHER, "id", 100)));
        assertThat(imported.raw()).isEqualTo("{\"id\":100}");
        assertThat(conflicting.errorCode()).isEqualTo(42207);

        put(url, "/mode", "{\"mode\":\"READWRITE\"}");
        assertThat(register("others-value", OTHER)).isEqualTo(101);
        RawHttp.Reply importWithSubjects = put(url, "/mode", "{\"mode\":\"IMPORT\"}");
        assertThat(importWithSubjects.errorCode()).isEqualTo(42205);
        assertThat(put(url, "/mode?force=true", "{\"mode\":\"IMPORT\"}").status())
                .isEqualTo(200);
    }
}
