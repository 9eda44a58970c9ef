package io.ccdstream.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps Confluent Schema Registry's REST routes onto {@link RegistryService}, with Confluent's
 * response bodies, status codes and JSON error bodies. Request bodies are read as JSON whatever
 * their Content-Type (or none), chunked or not. Independent of the HTTP server: the server hands
 * over the method, the raw path and query, and a way to read the body.
 */
final class RegistryHttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryHttpHandler.class);

    /** What the server is to answer: a status and a JSON body. */
    record Response(int status, byte[] body) {}

    /** Reads a request body; throws {@link SchemaRegistryException} when it cannot (e.g. 413). */
    @FunctionalInterface
    interface BodyReader {
        byte[] read() throws IOException;
    }

    private record Request(String method, List<String> path, Map<String, String> query, BodyReader body) {
        String segment(int index) {
            return path.get(index);
        }
    }

    private final ObjectMapper json = new ObjectMapper();
    private final RegistryService service;
    private final AtomicLong requests = new AtomicLong();

    RegistryHttpHandler(RegistryService service) {
        this.service = service;
    }

    long requestCount() {
        return requests.get();
    }

    /**
     * Answers one request.
     *
     * @param method   the HTTP method
     * @param rawPath  the path, still percent-encoded
     * @param rawQuery the query string, still percent-encoded, or null
     * @param body     reads the request body when the route needs it
     * @return the status and body to send, never null
     */
    Response handle(String method, String rawPath, String rawQuery, BodyReader body) {
        requests.incrementAndGet();
        try {
            return route(new Request(method, segments(rawPath), query(rawQuery), body));
        } catch (SchemaRegistryException e) {
            return error(e.status(), e.errorCode(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("Schema registry request {} {} failed", method, rawPath, e);
            return error(500, 500, "Internal server error: " + e);
        }
    }

    private Response route(Request request) {
        List<String> path = request.path();
        if (path.isEmpty()) {
            return only(request, "GET", () -> ok(json.createObjectNode()));
        }
        return switch (path.get(0)) {
            case "schemas" -> schemas(request);
            case "subjects" -> subjects(request);
            case "compatibility" -> compatibility(request);
            case "config" -> config(request);
            case "mode" -> mode(request);
            default -> throw notFound();
        };
    }

    private Response schemas(Request request) {
        List<String> path = request.path();
        if (path.size() == 2 && "types".equals(path.get(1))) {
            return only(request, "GET", () -> ok(json.createArrayNode().add("AVRO")));
        }
        if (path.size() < 3 || !"ids".equals(path.get(1))) {
            throw notFound();
        }
        int id = schemaId(request.segment(2));
        if (path.size() == 3) {
            return only(request, "GET", () -> {
                RegistryState.StoredSchema schema = service.schema(id);
                ObjectNode body = json.createObjectNode();
                if (!StoreRecord.AVRO.equals(schema.schemaType())) {
                    body.put("schemaType", schema.schemaType());
                }
                return ok(body.put("schema", schema.text()));
            });
        }
        if (path.size() == 4 && "schema".equals(path.get(3))) {
            return only(
                    request,
                    "GET",
                    () -> new Response(200, service.schema(id).text().getBytes(StandardCharsets.UTF_8)));
        }
        if (path.size() == 4 && "versions".equals(path.get(3))) {
            return only(request, "GET", () -> ok(subjectVersions(service.versionsWithId(id))));
        }
        if (path.size() == 4 && "subjects".equals(path.get(3))) {
            return only(
                    request,
                    "GET",
                    () -> ok(json.valueToTree(service.versionsWithId(id).stream()
                            .map(RegistryState.Version::subject)
                            .distinct()
                            .toList())));
        }
        throw notFound();
    }

    private Response subjects(Request request) {
        List<String> path = request.path();
        if (path.size() == 1) {
            return only(request, "GET", () -> ok(json.valueToTree(service.subjects())));
        }
        String subject = request.segment(1);
        if (path.size() == 2) {
            return switch (request.method()) {
                case "POST" -> ok(version(service.lookup(subject, submission(request))));
                case "DELETE" -> ok(json.valueToTree(service.deleteSubject(subject, permanent(request))));
                default -> throw methodNotAllowed();
            };
        }
        if (!"versions".equals(path.get(2)) || path.size() > 5) {
            throw notFound();
        }
        if (path.size() == 3) {
            return switch (request.method()) {
                case "GET" -> ok(json.valueToTree(service.versions(subject)));
                case "POST" -> ok(json.createObjectNode().put("id", service.register(subject, submission(request))));
                default -> throw methodNotAllowed();
            };
        }
        int version = versionNumber(request.segment(3));
        if (path.size() == 4) {
            return switch (request.method()) {
                case "GET" -> ok(version(service.version(subject, version)));
                case "DELETE" ->
                    ok(json.getNodeFactory().numberNode(service.deleteVersion(subject, version, permanent(request))));
                default -> throw methodNotAllowed();
            };
        }
        if (!"schema".equals(path.get(4))) {
            throw notFound();
        }
        return only(
                request,
                "GET",
                () -> new Response(
                        200, service.version(subject, version).canonical().getBytes(StandardCharsets.UTF_8)));
    }

    private Response compatibility(Request request) {
        List<String> path = request.path();
        boolean versionsPath = path.size() >= 4 && "subjects".equals(path.get(1)) && "versions".equals(path.get(3));
        if (!versionsPath || path.size() > 5) {
            throw notFound();
        }
        int version = path.size() == 5 ? versionNumber(request.segment(4)) : RegistryService.LATEST;
        return only(request, "POST", () -> {
            RegistryService.CompatibilityCheck check =
                    service.checkCompatibility(request.segment(2), version, submission(request));
            ObjectNode body = json.createObjectNode().put("is_compatible", check.compatible());
            if (Boolean.parseBoolean(request.query().get("verbose"))) {
                body.set("messages", json.valueToTree(check.messages()));
            }
            return ok(body);
        });
    }

    private Response config(Request request) {
        List<String> path = request.path();
        if (path.size() > 2) {
            throw notFound();
        }
        String subject = path.size() == 2 ? request.segment(1) : null;
        return switch (request.method()) {
            case "GET" ->
                ok(json.createObjectNode()
                        .put(
                                "compatibilityLevel",
                                (subject == null
                                                ? service.globalLevel()
                                                : service.subjectLevel(
                                                        subject,
                                                        Boolean.parseBoolean(
                                                                request.query().get("defaultToGlobal"))))
                                        .name()));
            case "PUT" -> {
                CompatibilityLevel level = requestedLevel(body(request));
                service.setLevel(subject, level);
                yield ok(json.createObjectNode().put("compatibility", level.name()));
            }
            default -> throw methodNotAllowed();
        };
    }

    private Response mode(Request request) {
        List<String> path = request.path();
        if (path.size() > 2) {
            throw notFound();
        }
        String subject = path.size() == 2 ? request.segment(1) : null;
        return switch (request.method()) {
            case "GET" ->
                ok(json.createObjectNode()
                        .put(
                                "mode",
                                (subject == null
                                                ? service.globalMode()
                                                : service.subjectMode(
                                                        subject,
                                                        Boolean.parseBoolean(
                                                                request.query().get("defaultToGlobal"))))
                                        .name()));
            case "PUT" -> {
                RegistryMode mode = RegistryMode.parse(
                                body(request).path("mode").asText(null))
                        .orElseThrow(() -> new SchemaRegistryException(
                                422,
                                SchemaRegistryException.INVALID_MODE,
                                "Invalid mode. Valid values are READWRITE, READONLY and IMPORT"));
                service.setMode(
                        subject, mode, Boolean.parseBoolean(request.query().get("force")));
                yield ok(json.createObjectNode().put("mode", mode.name()));
            }
            case "DELETE" -> {
                if (subject == null) {
                    throw methodNotAllowed();
                }
                yield ok(json.createObjectNode()
                        .put("mode", service.deleteSubjectMode(subject).name()));
            }
            default -> throw methodNotAllowed();
        };
    }

    private static boolean permanent(Request request) {
        return Boolean.parseBoolean(request.query().get("permanent"));
    }

    private ObjectNode version(RegistryState.Version version) {
        return json.createObjectNode()
                .put("subject", version.subject())
                .put("version", version.version())
                .put("id", version.id())
                .put("schema", version.canonical());
    }

    private ArrayNode subjectVersions(List<RegistryState.Version> versions) {
        ArrayNode array = json.createArrayNode();
        versions.forEach(v -> array.addObject().put("subject", v.subject()).put("version", v.version()));
        return array;
    }

    private RegistryService.Submission submission(Request request) {
        JsonNode body = body(request);
        JsonNode schema = body.path("schema");
        JsonNode type = body.path("schemaType");
        JsonNode references = body.path("references");
        JsonNode id = body.path("id");
        JsonNode version = body.path("version");
        return new RegistryService.Submission(
                schema.isTextual() ? schema.asText() : null,
                type.isTextual() ? type.asText() : null,
                references.isArray() ? references.size() : 0,
                id.isInt() && id.asInt() > 0 ? id.asInt() : null,
                version.isInt() && version.asInt() > 0 ? version.asInt() : null);
    }

    private JsonNode body(Request request) {
        byte[] bytes;
        try {
            bytes = request.body().read();
        } catch (IOException e) {
            throw new SchemaRegistryException(400, 400, "Cannot read request body: " + e.getMessage());
        }
        if (bytes.length == 0) {
            return MissingNode.getInstance();
        }
        try {
            return json.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new SchemaRegistryException(400, 400, "Request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new SchemaRegistryException(400, 400, "Cannot read request body: " + e.getMessage());
        }
    }

    private static CompatibilityLevel requestedLevel(JsonNode body) {
        return CompatibilityLevel.parse(body.path("compatibility").asText(null))
                .orElseThrow(() -> new SchemaRegistryException(
                        422,
                        SchemaRegistryException.INVALID_COMPATIBILITY_LEVEL,
                        "Invalid compatibility level. Valid values are none, backward, forward, full,"
                                + " backward_transitive, forward_transitive, and full_transitive"));
    }

    private static int versionNumber(String text) {
        if ("latest".equals(text)) {
            return RegistryService.LATEST;
        }
        try {
            int version = Integer.parseInt(text);
            if (version >= 1 || version == RegistryService.LATEST) {
                return version;
            }
        } catch (NumberFormatException e) {
            // Reported below with Confluent's message.
        }
        throw new SchemaRegistryException(
                422,
                SchemaRegistryException.INVALID_VERSION,
                "The specified version '" + text
                        + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
    }

    private static int schemaId(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw notFound();
        }
    }

    private static Response only(Request request, String method, Supplier<Response> action) {
        if (!method.equals(request.method())) {
            throw methodNotAllowed();
        }
        return action.get();
    }

    private Response ok(JsonNode body) {
        try {
            return new Response(200, json.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write response " + body, e);
        }
    }

    Response error(int status, int errorCode, String message) {
        try {
            return new Response(
                    status,
                    json.writeValueAsBytes(
                            json.createObjectNode().put("error_code", errorCode).put("message", message)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write error body", e);
        }
    }

    private static SchemaRegistryException notFound() {
        return new SchemaRegistryException(404, 404, "HTTP 404 Not Found");
    }

    private static SchemaRegistryException methodNotAllowed() {
        return new SchemaRegistryException(405, 405, "HTTP 405 Method Not Allowed");
    }

    private static List<String> segments(String rawPath) {
        List<String> segments = new ArrayList<>();
        for (String raw : rawPath.split("/")) {
            if (raw.isEmpty()) {
                continue;
            }
            try {
                segments.add(URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new SchemaRegistryException(400, 400, "Malformed path segment '" + raw + "': " + e.getMessage());
            }
        }
        return segments;
    }

    private static Map<String, String> query(String rawQuery) {
        Map<String, String> params = new HashMap<>();
        if (rawQuery == null) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            params.put(
                    URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return params;
    }
}
