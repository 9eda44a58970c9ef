package io.ccdstream.registry;

import static io.ccdstream.registry.RawHttp.get;
import static io.ccdstream.registry.RawHttp.post;
import static io.ccdstream.registry.RawHttp.put;
import static io.ccdstream.registry.RawHttp.schemaBody;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The embedded registry's REST semantics, checked with plain HTTP against Confluent's documented behaviour. */
class EmbeddedSchemaRegistryRestTest {

    static final String V1 = """
        {"type":"record","name":"Image","namespace":"t","fields":[{"name":"id","type":"string"}]}""";
    static final String V2_WITH_DEFAULT = """
        {"type":"record","name":"Image","namespace":"t","fields":[{"name":"id","type":"string"},
         {"name":"width","type":"int","default":0}]}""";
    static final String V2_WITHOUT_DEFAULT = """
        {"type":"record","name":"Image","namespace":"t","fields":[{"name":"id","type":"string"},
         {"name":"width","type":"int"}]}""";
    static final String OTHER = """
        {"type":"record","name":"Other","namespace":"t","fields":[{"name":"n","type":"long"}]}""";

    private EmbeddedSchemaRegistry registry;
    private String url;

    @BeforeEach
    void startRegistry() {
        registry = EmbeddedSchemaRegistry.inMemory();
        url = registry.url();
    }

    @AfterEach
    void stopRegistry() {
        registry.close();
    }

    private int register(String subject, String schema) {
        RawHttp.Reply reply = post(url, "/subjects/" + subject + "/versions", schemaBody(schema));
        assertThat(reply.status()).as(reply.raw()).isEqualTo(200);
        return reply.json().path("id").asInt();
    }

    @Test
    void shouldBindLoopbackOnEphemeralPort() {
        assertThat(url).startsWith("http://127.0.0.1:").doesNotEndWith(":0");
        assertThat(get(url, "/").status()).isEqualTo(200);
    }

    @Test
    void shouldAnswerRegistrationWithIdOnlyBody() {
        RawHttp.Reply reply = post(url, "/subjects/images-value/versions", schemaBody(V1));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json()).isEqualTo(RawHttp.JSON.createObjectNode().put("id", 1));
    }

    @Test
    void shouldReturnSameIdAndVersionWhenSameSchemaRegisteredAgain() {
        int first = register("images-value", V1);
        int again = register("images-value", V1.replace(" ", "").replace("\n", ""));

        assertThat(again).isEqualTo(first);
        assertThat(get(url, "/subjects/images-value/versions").json().toString())
                .isEqualTo("[1]");
    }

    @Test
    void shouldGiveSameGlobalIdToSameSchemaUnderAnotherSubject() {
        int other = register("others-value", OTHER);
        int images = register("images-value", V1);
        int copy = register("copy-value", V1);

        assertThat(images).isNotEqualTo(other);
        assertThat(copy).isEqualTo(images);
        assertThat(get(url, "/subjects/copy-value/versions/1")
                        .json()
                        .path("version")
                        .asInt())
                .isEqualTo(1);
        assertThat(get(url, "/schemas/ids/" + images + "/versions").json().toString())
                .isEqualTo("[{\"subject\":\"copy-value\",\"version\":1},{\"subject\":\"images-value\",\"version\":1}]");
    }

    @Test
    void shouldServeSchemaByIdInCanonicalForm() {
        int id = register("images-value", V1);

        RawHttp.Reply reply = get(url, "/schemas/ids/" + id);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("schema").asText())
                .isEqualTo(
                        "{\"type\":\"record\",\"name\":\"Image\",\"namespace\":\"t\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}");
    }

    @Test
    void shouldAnswerUnknownSchemaIdWith40403() {
        RawHttp.Reply reply = get(url, "/schemas/ids/42");

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.json())
                .isEqualTo(
                        RawHttp.JSON.createObjectNode().put("error_code", 40403).put("message", "Schema 42 not found"));
    }

    @Test
    void shouldLookUpSchemaUnderSubject() {
        int id = register("images-value", V1);
        register("images-value", V2_WITH_DEFAULT);

        RawHttp.Reply reply = post(url, "/subjects/images-value", schemaBody(V1));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("subject").asText()).isEqualTo("images-value");
        assertThat(reply.json().path("version").asInt()).isEqualTo(1);
        assertThat(reply.json().path("id").asInt()).isEqualTo(id);
    }

    @Test
    void shouldAnswerLookupOfUnregisteredSchemaWith40403AndOfUnknownSubjectWith40401() {
        register("images-value", V1);

        RawHttp.Reply unknownSchema = post(url, "/subjects/images-value", schemaBody(OTHER));
        RawHttp.Reply unknownSubject = post(url, "/subjects/nobody-value", schemaBody(V1));

        assertThat(unknownSchema.status()).isEqualTo(404);
        assertThat(unknownSchema.errorCode()).isEqualTo(40403);
        assertThat(unknownSubject.status()).isEqualTo(404);
        assertThat(unknownSubject.json())
                .isEqualTo(RawHttp.JSON
                        .createObjectNode()
                        .put("error_code", 40401)
                        .put("message", "Subject 'nobody-value' not found."));
    }

    @Test
    void shouldListSubjectsSortedAndVersionsAscending() {
        register("b-value", V1);
        register("a-value", OTHER);
        register("b-value", V2_WITH_DEFAULT);

        assertThat(get(url, "/subjects").json().toString()).isEqualTo("[\"a-value\",\"b-value\"]");
        assertThat(get(url, "/subjects/b-value/versions").json().toString()).isEqualTo("[1,2]");
    }

    @Test
    void shouldServeNumberedAndLatestVersions() {
        int v1 = register("images-value", V1);
        int v2 = register("images-value", V2_WITH_DEFAULT);

        RawHttp.Reply first = get(url, "/subjects/images-value/versions/1");
        RawHttp.Reply latest = get(url, "/subjects/images-value/versions/latest");

        assertThat(first.json().path("id").asInt()).isEqualTo(v1);
        assertThat(latest.json().path("subject").asText()).isEqualTo("images-value");
        assertThat(latest.json().path("version").asInt()).isEqualTo(2);
        assertThat(latest.json().path("id").asInt()).isEqualTo(v2);
        assertThat(latest.json().has("schemaType"))
                .as("AVRO schemaType is omitted, as Confluent does")
                .isFalse();
        assertThat(get(url, "/subjects/images-value/versions/-1")
                        .json()
                        .path("version")
                        .asInt())
                .isEqualTo(2);
    }

    @Test
    void shouldServeRawSchemaOfVersion() {
        register("images-value", V1);

        RawHttp.Reply reply = get(url, "/subjects/images-value/versions/1/schema");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("name").asText()).isEqualTo("Image");
    }

    @Test
    void shouldAnswerMissingSubjectWith40401AndMissingVersionWith40402() {
        register("images-value", V1);

        RawHttp.Reply noSubject = get(url, "/subjects/nobody-value/versions/latest");
        RawHttp.Reply noVersions = get(url, "/subjects/nobody-value/versions");
        RawHttp.Reply noVersion = get(url, "/subjects/images-value/versions/7");

        assertThat(noSubject.status()).isEqualTo(404);
        assertThat(noSubject.errorCode()).isEqualTo(40401);
        assertThat(noVersions.errorCode()).isEqualTo(40401);
        assertThat(noVersion.status()).isEqualTo(404);
        assertThat(noVersion.json())
                .isEqualTo(RawHttp.JSON
                        .createObjectNode()
                        .put("error_code", 40402)
                        .put("message", "Version 7 not found."));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-2", "first"})
    void shouldRejectInvalidVersionWith42202(String version) {
        register("images-value", V1);

        RawHttp.Reply reply = get(url, "/subjects/images-value/versions/" + version);

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.errorCode()).isEqualTo(42202);
    }

    @Test
    void shouldRejectBackwardIncompatibleSchemaWith409() {
        register("images-value", V1);

        RawHttp.Reply reply = post(url, "/subjects/images-value/versions", schemaBody(V2_WITHOUT_DEFAULT));

        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.errorCode()).isEqualTo(409);
        assertThat(reply.json().path("message").asText())
                .startsWith(
                        "Schema being registered is incompatible with an earlier schema for subject \"images-value\"")
                .contains("READER_FIELD_MISSING_DEFAULT_VALUE");
        assertThat(get(url, "/subjects/images-value/versions").json().toString())
                .isEqualTo("[1]");
    }

    @Test
    void shouldRegisterBackwardCompatibleEvolutionAsNextVersion() {
        int v1 = register("images-value", V1);
        int v2 = register("images-value", V2_WITH_DEFAULT);

        assertThat(v2).isEqualTo(v1 + 1);
        assertThat(get(url, "/subjects/images-value/versions/latest")
                        .json()
                        .path("version")
                        .asInt())
                .isEqualTo(2);
    }

    @Test
    void shouldTestCompatibilityWithoutRegistering() {
        register("images-value", V1);

        RawHttp.Reply bad = post(
                url,
                "/compatibility/subjects/images-value/versions/latest?verbose=true",
                schemaBody(V2_WITHOUT_DEFAULT));
        RawHttp.Reply good = post(url, "/compatibility/subjects/images-value/versions/1", schemaBody(V2_WITH_DEFAULT));

        assertThat(bad.status()).isEqualTo(200);
        assertThat(bad.json().path("is_compatible").asBoolean()).isFalse();
        assertThat(bad.json().path("messages").toString()).contains("READER_FIELD_MISSING_DEFAULT_VALUE");
        assertThat(good.json()).isEqualTo(RawHttp.JSON.createObjectNode().put("is_compatible", true));
        assertThat(get(url, "/subjects/images-value/versions").json().toString())
                .isEqualTo("[1]");
    }

    @Test
    void shouldReportCompatibleForSubjectWithoutVersions() {
        RawHttp.Reply reply = post(url, "/compatibility/subjects/new-value/versions/latest", schemaBody(V1));

        assertThat(reply.json().path("is_compatible").asBoolean()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"type\":\"record\",\"name\":\"X\"}", "{\"type\":\"nonsense\"}", "not json at all", ""})
    void shouldRejectInvalidSchemaWith42201(String schema) {
        RawHttp.Reply reply = post(url, "/subjects/images-value/versions", schemaBody(schema));

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.errorCode()).isEqualTo(42201);
        assertThat(get(url, "/subjects").json().toString()).isEqualTo("[]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"PROTOBUF", "JSON"})
    void shouldRejectNonAvroSchemaTypesWith42201(String type) {
        String body = RawHttp.toJson(Map.of("schema", "syntax = \"proto3\";", "schemaType", type));

        RawHttp.Reply reply = post(url, "/subjects/images-value/versions", body);

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.errorCode()).isEqualTo(42201);
        assertThat(reply.json().path("message").asText()).contains(type).contains("AVRO schemas only");
    }

    @Test
    void shouldAcceptExplicitAvroTypeAndEmptyReferencesButRejectReferences() {
        String plain = RawHttp.toJson(Map.of("schema", V1, "schemaType", "AVRO", "references", List.of()));
        String withReference = RawHttp.toJson(Map.of(
                "schema",
                OTHER,
                "references",
                List.of(Map.of("name", "t.Image", "subject", "images-value", "version", 1))));

        assertThat(post(url, "/subjects/images-value/versions", plain).status()).isEqualTo(200);
        RawHttp.Reply rejected = post(url, "/subjects/others-value/versions", withReference);
        assertThat(rejected.status()).isEqualTo(422);
        assertThat(rejected.errorCode()).isEqualTo(42201);
        assertThat(rejected.json().path("message").asText()).contains("references");
    }

    @Test
    void shouldAnswerMalformedJsonBodyWith400() {
        RawHttp.Reply reply = post(url, "/subjects/images-value/versions", "{\"schema\":");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.errorCode()).isEqualTo(400);
    }

    @Test
    void shouldServeDefaultGlobalLevelAndAcceptUpdate() {
        assertThat(get(url, "/config").json().toString()).isEqualTo("{\"compatibilityLevel\":\"BACKWARD\"}");

        RawHttp.Reply updated = put(url, "/config", "{\"compatibility\":\"FULL\"}");

        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().toString()).isEqualTo("{\"compatibility\":\"FULL\"}");
        assertThat(get(url, "/config").json().toString()).isEqualTo("{\"compatibilityLevel\":\"FULL\"}");
    }

    @Test
    void shouldServeSubjectLevelOnlyWhenSetUnlessDefaultToGlobal() {
        RawHttp.Reply unset = get(url, "/config/images-value");
        RawHttp.Reply defaulted = get(url, "/config/images-value?defaultToGlobal=true");
        RawHttp.Reply updated = put(url, "/config/images-value", "{\"compatibility\":\"forward_transitive\"}");

        assertThat(unset.status()).isEqualTo(404);
        assertThat(unset.errorCode()).isEqualTo(40408);
        assertThat(defaulted.json().path("compatibilityLevel").asText()).isEqualTo("BACKWARD");
        assertThat(updated.json().toString()).isEqualTo("{\"compatibility\":\"FORWARD_TRANSITIVE\"}");
        assertThat(get(url, "/config/images-value").json().toString())
                .isEqualTo("{\"compatibilityLevel\":\"FORWARD_TRANSITIVE\"}");
        assertThat(get(url, "/config").json().path("compatibilityLevel").asText())
                .isEqualTo("BACKWARD");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"compatibility\":\"SIDEWAYS\"}", "{\"compatibilityLevel\":\"FULL\"}", "{}"})
    void shouldRejectInvalidCompatibilityLevelWith42203(String body) {
        RawHttp.Reply reply = put(url, "/config/images-value", body);

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.errorCode()).isEqualTo(42203);
        assertThat(get(url, "/config/images-value").errorCode()).isEqualTo(40408);
    }

    @Test
    void shouldEnforceSubjectLevelOverGlobalLevel() {
        register("images-value", V1);
        register("forward-value", V1);
        put(url, "/config/forward-value", "{\"compatibility\":\"FORWARD\"}");

        RawHttp.Reply underBackward = post(url, "/subjects/images-value/versions", schemaBody(V2_WITHOUT_DEFAULT));
        RawHttp.Reply underForward = post(url, "/subjects/forward-value/versions", schemaBody(V2_WITHOUT_DEFAULT));

        assertThat(underBackward.status()).isEqualTo(409);
        assertThat(underForward.status()).as(underForward.raw()).isEqualTo(200);
    }

    @Test
    void shouldAcceptAnySchemaUnderLevelNone() {
        register("images-value", V1);
        put(url, "/config/images-value", "{\"compatibility\":\"NONE\"}");

        RawHttp.Reply reply = post(url, "/subjects/images-value/versions", schemaBody(OTHER));

        assertThat(reply.status()).isEqualTo(200);
    }

    @Test
    void shouldCheckEveryEarlierVersionOnlyUnderTransitiveLevel() {
        String withoutId = """
            {"type":"record","name":"Image","namespace":"t","fields":[]}""";
        String idAsInt = """
            {"type":"record","name":"Image","namespace":"t","fields":[{"name":"id","type":"int","default":0}]}""";
        put(url, "/config/plain-value", "{\"compatibility\":\"BACKWARD\"}");
        put(url, "/config/transitive-value", "{\"compatibility\":\"BACKWARD_TRANSITIVE\"}");
        for (String subject : List.of("plain-value", "transitive-value")) {
            register(subject, V1);
            register(subject, withoutId);
        }

        // The int field reads nothing from version 2 but cannot read version 1's string id.
        RawHttp.Reply plain = post(url, "/subjects/plain-value/versions", schemaBody(idAsInt));
        RawHttp.Reply transitive = post(url, "/subjects/transitive-value/versions", schemaBody(idAsInt));

        assertThat(plain.status()).isEqualTo(200);
        assertThat(transitive.status()).isEqualTo(409);
        assertThat(transitive.json().path("message").asText()).contains("version 1");
    }

    @Test
    void shouldAcceptChunkedBodyWithoutContentType() {
        byte[] body = schemaBody(V1).getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + "/subjects/chunked-value/versions"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));

        RawHttp.Reply reply = RawHttp.send(request);

        assertThat(reply.status()).as(reply.raw()).isEqualTo(200);
        assertThat(get(url, "/subjects/chunked-value/versions").json().toString())
                .isEqualTo("[1]");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"application/json", "application/vnd.schemaregistry.v1+json", "application/octet-stream", ""})
    void shouldAcceptAnyContentTypeOnRawConnection(String contentType) throws Exception {
        HttpURLConnection connection = (HttpURLConnection)
                URI.create(url + "/subjects/raw-value/versions").toURL().openConnection();
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        connection.setChunkedStreamingMode(16);
        if (!contentType.isEmpty()) {
            connection.setRequestProperty("Content-Type", contentType);
        }
        try (OutputStream out = connection.getOutputStream()) {
            out.write(schemaBody(V1).getBytes(StandardCharsets.UTF_8));
        }

        int status = connection.getResponseCode();
        String reply = new String(connection.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        connection.disconnect();

        assertThat(status).isEqualTo(200);
        assertThat(reply).isEqualTo("{\"id\":1}");
        assertThat(connection.getHeaderField("Content-Type")).isEqualTo(RegistryHttp.CONTENT_TYPE);
    }

    @Test
    void shouldAnswerUnknownRouteWith404AndWrongMethodWith405() {
        RawHttp.Reply unknown = get(url, "/nothing/here");
        RawHttp.Reply wrongMethod = put(url, "/subjects", "{}");

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json())
                .isEqualTo(
                        RawHttp.JSON.createObjectNode().put("error_code", 404).put("message", "HTTP 404 Not Found"));
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.errorCode()).isEqualTo(405);
    }

    @Test
    void shouldDecodePercentEncodedSubjects() {
        register("ccd.images%3Aa%2Bb-value", V1);

        assertThat(get(url, "/subjects").json().get(0).asText()).isEqualTo("ccd.images:a+b-value");
    }

    @Test
    void shouldListSchemaTypes() {
        assertThat(get(url, "/schemas/types").json().toString()).isEqualTo("[\"AVRO\"]");
    }
}
