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

    private int register(final String subject, final String schema) {
        final RawHttp.Reply reply = post(url, "/subjects/" + subject + "/versions", schemaBody(schema));
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
        final RawHttp.Reply reply = post(url, "/subjects/images-value/versions", schemaBody(V1));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json()).isEqualTo(RawHttp.JSON.createObjectNode().put("id", 1));
    }

    @Test
    void shouldReturnSameIdAndVersionWhenSameSchemaRegisteredAgain() {
        final int first = register("images-value", V1);
        final int again = register("images-value", V1.replace(" ", "").replace("\n", ""));

        assertThat(again).isEqualTo(first);
        assertThat(get(url, "/subjects/images-value/versions").json().toString()).isEqualTo("[1]");
    }

    @Test
    void shouldGiveSameGlobalIdToSameSchemaUnderAnotherSubject() {
        final int other = register("others-value", OTHER);
        final int images = register("images-value", V1);
        final int copy = register("copy-value", V1);

        assertThat(images).isNotEqualTo(other);
        assertThat(copy).isEqualTo(images);
        assertThat(get(url, "/subjects/copy-value/versions/1").json().path("version").asInt()).isEqualTo(1);
        assertThat(get(url, "/schemas/ids/" + images + "/versions").json().toString())
            .isEqualTo("[{\"subject\":\"copy-value\",\"version\":1},{\"subject\":\"images-value\",\"version\":1}]");
    }

    @Test
    void shouldServeSchemaByIdInCanonicalForm() {
        final int id = register("images-value", V1);

        final RawHttp.Reply reply = get(url, "/schemas/ids/" + id);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("schema").asText())
            .isEqualTo("{\"type\":\"record\",\"name\":\"Image\",\"namespace\":\"t\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}");
    }

    @Test
    void shouldAnswerUnknownSchemaIdWith40403() {
        final RawHttp.Reply reply = get(url, "/schemas/ids/42");

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.json()).isEqualTo(RawHttp.JSON.createObjectNode()
            .put("error_code", 40403).put("message", "Schema 42 not found"));
    }

    @Test
    void shouldLookUpSchemaUnderSubject() {
        final int id = register("images-value", V1);
        register("images-value", V2_WITH_DEFAULT);

        final RawHttp.Reply reply = post(url, "/subjects/images-value", schemaBody(V1));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("subject").asText()).isEqualTo("images-value");
        assertThat(reply.json().path("version").asInt()).isEqualTo(1);
        assertThat(reply.json().path("id").asInt()).isEqualTo(id);
    }

    @Test
    void shouldAnswerLookupOfUnregisteredSchemaWith40403AndOfUnknownSubjectWith40401() {
        register("images-value", V1);

        final RawHttp.Reply unknownSchema = post(url, "/subjects/images-value", schemaBody(OTHER));
        final RawHttp.Reply unknownSubject = post(url, "/subjects/nobody-value", schemaBody(V1));

        assertThat(unknownSchema.status()).isEqualTo(404);
        assertThat(unknownSchema.errorCode()).isEqualTo(40403);
        assertThat(unknownSubject.status()).isEqualTo(404);
        assertThat(unknownSubject.json()).isEqualTo(RawHttp.JSON.createObjectNode()
            .put("error_code", 40401).put("message", "Subject 'nobody-value' not found."));
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
        final int v1 = register("images-value", V1);
        final int v2 = register("images-value", V2_WITH_DEFAULT);

        final RawHttp.Reply first = get(url, "/subjects/images-value/versions/1");
        final RawHttp.Reply latest = get(url, "/subjects/images-value/versions/latest");

        assertThat(first.json().path("id").asInt()).isEqualTo(v1);
        assertThat(latest.json().path("subject").asText()).isEqualTo("images-value");
        assertThat(latest.json().path("version").asInt()).isEqualTo(2);
        assertThat(latest.json().path("id").asInt()).isEqualTo(v2);
        assertThat(latest.json().has("schemaType")).as("AVRO schemaType is omitted, as Confluent does").isFalse();
        assertThat(get(url, "/subjects/images-value/versions/-1").json().path("version").asInt()).isEqualTo(2);
    }

    @Test
    void shouldServeRawSchemaOfVersion() {
        register("images-value", V1);

        final RawHttp.Reply reply = get(url, "/subjects/images-value/versions/1/schema");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("name").asText()).isEqualTo("Image");
    }

    @Test
    void shouldAnswerMissingSubjectWith40401AndMissingVersionWith40402() {
        register("images-value", V1);

        final RawHttp.Reply noSubject = get(url, "/subjects/nobody-value/versions/latest");
        final RawHttp.Reply noVersions = get(url, "/subjects/nobody-value/versions");
        final RawHttp.Reply noVersion = get(url, "/subjects/images-value/versions/7");

        assertThat(noSubject.status()).isEqualTo(404);
        assertThat(noSubject.errorCode()).isEqualTo(40401);
        assertThat(noVersions.errorCode()).isEqualTo(40401);
        assertThat(noVersion.status()).isEqualTo(404);
        assertThat(noVersion.json()).isEqualTo(RawHttp.JSON.createObjectNode()
            .put("error_code", 40402).put("message", "Version 7 not found."));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-2", "first"})
    void shouldRejectInvalidVersionWith42202(final String version) {
        register("images-value", V1);

        final RawHttp.Reply reply = get(url, "/subjects/images-value/versions/" + version);

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.errorCode()).isEqualTo(42202);
    }

    @Test
    void shouldRejectBackwardIncompatibleSchemaWith409() {
        register("images-value", V1);

        final RawHttp.Reply reply = post(url, "/subjects/images-value/versions", schemaBody(V2_WITHOUT_DEFAULT));

        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.errorCode()).isEqualTo(409);
        assertThat(reply.json().path("message").asText())
            .startsWith("Schema being registered is incompatible with an earlier schema for subject \"images-value\"")
            .contains("READER_FIELD_MISSING_DEFAULT_VALUE");
        assertThat(get(url, "/subjects/images-value/versions").json().toString()).isEqualTo("[1]");
    }

    @Test
    void shouldRegisterBackwardCompatibleEvolutionAsNextVersion() {
        final int v1 = register("images-value", V1);
        final int v2 = register("images-value", V2_WITH_DEFAULT);

        assertThat(v2).isEqualTo(v1 + 1);
        assertThat(get(url, "/subjects/images-value/versions/latest").json().path("version").asInt()).isEqualTo(2);
    }

    @Test
    void shouldTestCompatibilityWithoutRegistering() {
        register("images-value", V1);

        final RawHttp.Reply bad = post(url, "/compatibility/subjects/images-value/versions/latest?verbose=true",
            schemaBody(V2_WITHOUT_DEFAULT));
        final RawHttp.Reply good = post(url, "/compatibility/subjects/images-value/versions/1",
            schemaBody(V2_WITH_DEFAULT));

        assertThat(bad.status()).isEqualTo(200);
        assertThat(bad.json().path("is_compatible").asBoolean()).isFalse();
        assertThat(bad.json().path("messages").toString()).contains("READER_FIELD_MISSING_DEFAULT_VALUE");
        assertThat(good.json()).isEqualTo(RawHttp.JSON.createObjectNode().put("is_compatible", true));
        assertThat(get(url, "/subjects/images-value/versions").json().toString()).isEqualTo("[1]");
    }

    @Test
    void shouldReportCompatibleForSubjectWithoutVersions() {
        final RawHttp.Reply reply = post(url, "/compatibility/subjects/new-value/versions/latest", schemaBody(V1));

        assertThat(reply.json().path("is_compatible").asBoolean()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"type\":\"record\",\"name\":\"X\"}", "{\"type\":\"nonsense\"}", "not json at all", ""})
    void shouldRejectInvalidSchemaWith42201(final String schema) {
        final RawHttp.Reply reply = post(url, "/subjects/images-value/versions", schemaBody(schema));

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.errorCode()).isEqualTo(42201);
        assertThat(get(url, "/subjects").json().toString()).isEqualTo("[]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"PROTOBUF", "JSON"})
    void shouldRejectNonAvroSchemaTypesWith42201(final String type) {
        final String body = RawHttp.toJson(Map.of("schema", "syntax = \"proto3\";", "schemaType", type));

        final RawHttp.Reply reply = post(url, "/subjects/images-value/versions", body);

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.errorCode()).isEqualTo(42201);
        assertThat(reply.json().path("message").asText()).contains(type).contains("AVRO schemas only");
    }

    @Test
    void shouldAcceptExplicitAvroTypeAndEmptyReferencesButRejectReferences() {
        final String plain = RawHttp.toJson(Map.of("schema", V1, "schemaType", "AVRO", "references", List.of()));
        final String withReference = RawHttp.toJson(Map.of("schema", OTHER, "references",
            List.of(Map.of("name", "t.Image", "subject", "images-value", "version", 1))));

        assertThat(post(url, "/subjects/images-value/versions", plain).status()).isEqualTo(200);
        final RawHttp.Reply rejected = post(url, "/subjects/others-value/versions", withReference);
        assertThat(rejected.status()).isEqualTo(422);
        assertThat(rejected.errorCode()).isEqualTo(42201);
        assertThat(rejected.json().path("message").asText()).contains("references");
    }

    @Test
    void shouldAnswerMalformedJsonBodyWith400() {
        final RawHttp.Reply reply = post(url, "/subjects/images-value/versions", "{\"schema\":");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.errorCode()).isEqualTo(400);
    }

    @Test
    void shouldServeDefaultGlobalLevelAndAcceptUpdate() {
        assertThat(get(url, "/config").json().toString()).isEqualTo("{\"compatibilityLevel\":\"BACKWARD\"}");

        final RawHttp.Reply updated = put(url, "/config", "{\"compatibility\":\"FULL\"}");

        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().toString()).isEqualTo("{\"compatibility\":\"FULL\"}");
        assertThat(get(url, "/config").json().toString()).isEqualTo("{\"compatibilityLevel\":\"FULL\"}");
    }

    @Test
    void shouldServeSubjectLevelOnlyWhenSetUnlessDefaultToGlobal() {
        final RawHttp.Reply unset = get(url, "/config/images-value");
        final RawHttp.Reply defaulted = get(url, "/config/images-value?defaultToGlobal=true");
        final RawHttp.Reply updated = put(url, "/config/images-value", "{\"compatibility\":\"forward_transitive\"}");

        assertThat(unset.status()).isEqualTo(404);
        assertThat(unset.errorCode()).isEqualTo(40408);
        assertThat(defaulted.json().path("compatibilityLevel").asText()).isEqualTo("BACKWARD");
        assertThat(updated.json().toString()).isEqualTo("{\"compatibility\":\"FORWARD_TRANSITIVE\"}");
        assertThat(get(url, "/config/images-value").json().toString())
            .isEqualTo("{\"compatibilityLevel\":\"FORWARD_TRANSITIVE\"}");
        assertThat(get(url, "/config").json().path("compatibilityLevel").asText()).isEqualTo("BACKWARD");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"compatibility\":\"SIDEWAYS\"}", "{\"compatibilityLevel\":\"FULL\"}", "{}"})
    void shouldRejectInvalidCompatibilityLevelWith42203(final String body) {
        final RawHttp.Reply reply = put(url, "/config/images-value", body);

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.errorCode()).isEqualTo(42203);
        assertThat(get(url, "/config/images-value").errorCode()).isEqualTo(40408);
    }

    @Test
    void shouldEnforceSubjectLevelOverGlobalLevel() {
        register("images-value", V1);
        register("forward-value", V1);
        put(url, "/config/forward-value", "{\"compatibility\":\"FORWARD\"}");

        final RawHttp.Reply underBackward = post(url, "/subjects/images-value/versions", schemaBody(V2_WITHOUT_DEFAULT));
        final RawHttp.Reply underForward = post(url, "/subjects/forward-value/versions", schemaBody(V2_WITHOUT_DEFAULT));

        assertThat(underBackward.status()).isEqualTo(409);
        assertThat(underForward.status()).as(underForward.raw()).isEqualTo(200);
    }

    @Test
    void shouldAcceptAnySchemaUnderLevelNone() {
        register("images-value", V1);
        put(url, "/config/images-value", "{\"compatibility\":\"NONE\"}");

        final RawHttp.Reply reply = post(url, "/subjects/images-value/versions", schemaBody(OTHER));

        assertThat(reply.status()).isEqualTo(200);
    }

    @Test
    void shouldCheckEveryEarlierVersionOnlyUnderTransitiveLevel() {
        final String withoutId = """
            {"type":"record","name":"Image","namespace":"t","fields":[]}""";
        final String idAsInt = """
            {"type":"record","name":"Image","namespace":"t","fields":[{"name":"id","type":"int","default":0}]}""";
        put(url, "/config/plain-value", "{\"compatibility\":\"BACKWARD\"}");
        put(url, "/config/transitive-value", "{\"compatibility\":\"BACKWARD_TRANSITIVE\"}");
        for (String subject : List.of("plain-value", "transitive-value")) {
            register(subject, V1);
            register(subject, withoutId);
        }

        // The int field reads nothing from version 2 but cannot read version 1's string id.
        final RawHttp.Reply plain = post(url, "/subjects/plain-value/versions", schemaBody(idAsInt));
        final RawHttp.Reply transitive = post(url, "/subjects/transitive-value/versions", schemaBody(idAsInt));

        assertThat(plain.status()).isEqualTo(200);
        assertThat(transitive.status()).isEqualTo(409);
        assertThat(transitive.json().path("message").asText()).contains("version 1");
    }

    @Test
    void shouldAcceptChunkedBodyWithoutContentType() {
        final byte[] body = schemaBody(V1).getBytes(StandardCharsets.UTF_8);
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + "/subjects/chunked-value/versions"))
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));

        final RawHttp.Reply reply = RawHttp.send(request);

        assertThat(reply.status()).as(reply.raw()).isEqualTo(200);
        assertThat(get(url, "/subjects/chunked-value/versions").json().toString()).isEqualTo("[1]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "application/vnd.schemaregistry.v1+json", "application/octet-stream", ""})
    void shouldAcceptAnyContentTypeOnRawConnection(final String contentType) throws Exception {
        final HttpURLConnection connection = (HttpURLConnection) URI.create(url + "/subjects/raw-value/versions")
            .toURL().openConnection();
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        connection.setChunkedStreamingMode(16);
        if (!contentType.isEmpty()) {
            connection.setRequestProperty("Content-Type", contentType);
        }
        try (OutputStream out = connection.getOutputStream()) {
            out.write(schemaBody(V1).getBytes(StandardCharsets.UTF_8));
        }

        final int status = connection.getResponseCode();
        final String reply = new String(connection.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        connection.disconnect();

        assertThat(status).isEqualTo(200);
        assertThat(reply).isEqualTo("{\"id\":1}");
        assertThat(connection.getHeaderField("Content-Type")).isEqualTo(RegistryHttp.CONTENT_TYPE);
    }

    @Test
    void shouldAnswerUnknownRouteWith404AndWrongMethodWith405() {
        final RawHttp.Reply unknown = get(url, "/nothing/here");
        final RawHttp.Reply wrongMethod = put(url, "/subjects", "{}");

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json()).isEqualTo(RawHttp.JSON.createObjectNode()
            .put("error_code", 404).put("message", "HTTP 404 Not Found"));
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
