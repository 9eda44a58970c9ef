package io.ccdstream.registry;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.avro.Schema;

/**
 * A client of Confluent Schema Registry's REST API (and of {@link EmbeddedSchemaRegistry}),
 * for Avro schemas.
 *
 * <p>Schema ids and the (subject, schema) to id mapping never change once assigned, so they are
 * cached for the life of the client: serializing or deserializing a record costs a registry
 * request only the first time its schema is seen. Subject listings, versions and configuration
 * are not cached. Thread-safe; share one client between the serdes of an application.
 *
 * <p>Every method throws {@link SchemaRegistryException} when the registry answers with an error
 * (its HTTP status and Confluent error code are kept) or when no configured URL can be reached.
 */
public final class SchemaRegistryClient {

    private record SubjectSchema(String subject, Schema schema) {}

    private final RegistryHttp http;
    private final ConcurrentMap<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final ConcurrentMap<SubjectSchema, Integer> registeredIds = new ConcurrentHashMap<>();
    private final ConcurrentMap<SubjectSchema, RegisteredSchema> lookedUp = new ConcurrentHashMap<>();

    /**
     * @param config the registry URLs, credentials and timeouts
     */
    public SchemaRegistryClient(SchemaRegistryClientConfig config) {
        this.http = new RegistryHttp(Objects.requireNonNull(config, "config"));
    }

    /**
     * @param props client settings, see {@link SchemaRegistryClientConfig}
     * @return a client for those settings
     */
    public static SchemaRegistryClient create(Map<String, ?> props) {
        return new SchemaRegistryClient(new SchemaRegistryClientConfig(props));
    }

    /**
     * Registers a schema under a subject ({@code POST /subjects/{subject}/versions}). Registering
     * a schema the subject already has returns its existing id.
     *
     * @param subject the subject, e.g. {@code ccd.labels-value}
     * @param schema  the schema
     * <p>A 5xx answer or an unreachable registry is retried ({@code max.retries}). A 409 answer
     * may come from a concurrent registration of the same schema: the schema is then looked up
     * under the subject, and its id returned when found.
     *
     * @return the schema's global id
     * @throws SchemaRegistryException 409 when the subject's compatibility level rejects the
     *                                 schema, 422 (42201) when the registry rejects it as invalid
     */
    public int register(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = registeredIds.get(key);
        if (cached != null) {
            return cached;
        }
        int id;
        try {
            id = http.post(subjectPath(subject) + "/versions", schemaBody(schema))
                    .path("id")
                    .asInt();
        } catch (SchemaRegistryException e) {
            if (e.status() != 409) {
                throw e;
            }
            id = registeredConcurrently(subject, schema, e);
        }
        registeredIds.put(key, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    private int registeredConcurrently(String subject, Schema schema, SchemaRegistryException conflict) {
        try {
            return lookup(subject, schema).id();
        } catch (SchemaRegistryException lookupFailure) {
            conflict.addSuppressed(lookupFailure);
            throw conflict;
        }
    }

    /**
     * Finds the version of a subject that holds a schema ({@code POST /subjects/{subject}}).
     *
     * @param subject the subject
     * @param schema  the schema
     * @return the registered version, with its id
     * @throws SchemaRegistryException 40401 when the subject does not exist, 40403 when the
     *                                 subject does not hold the schema
     */
    public RegisteredSchema lookup(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        RegisteredSchema cached = lookedUp.get(key);
        if (cached != null) {
            return cached;
        }
        RegisteredSchema found = toRegistered(http.post(subjectPath(subject), schemaBody(schema)), subject);
        lookedUp.put(key, found);
        schemasById.putIfAbsent(found.id(), found.schema());
        return found;
    }

    /**
     * Fetches a schema by its global id ({@code GET /schemas/ids/{id}}), as a deserializer does
     * with the id in front of each record.
     *
     * @param id the schema id
     * @return the schema
     * @throws SchemaRegistryException 40403 when no schema has that id
     */
    public Schema getById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        Schema schema = parse(http.get("/schemas/ids/" + id).path("schema").asText());
        Schema previous = schemasById.putIfAbsent(id, schema);
        return previous == null ? schema : previous;
    }

    /**
     * @param subject the subject
     * @return its latest version ({@code GET /subjects/{subject}/versions/latest})
     * @throws SchemaRegistryException 40401 when the subject does not exist
     */
    public RegisteredSchema getLatest(String subject) {
        return toRegistered(http.get(subjectPath(subject) + "/versions/latest"), subject);
    }

    /**
     * @param subject the subject
     * @param version the version, from 1
     * @return that version ({@code GET /subjects/{subject}/versions/{version}})
     * @throws SchemaRegistryException 40401 when the subject does not exist, 40402 when the
     *                                 version does not
     */
    public RegisteredSchema getVersion(String subject, int version) {
        return toRegistered(http.get(subjectPath(subject) + "/versions/" + version), subject);
    }

    /**
     * @param subject the subject
     * @return its version numbers in ascending order ({@code GET /subjects/{subject}/versions})
     * @throws SchemaRegistryException 40401 when the subject does not exist
     */
    public List<Integer> listVersions(String subject) {
        List<Integer> versions = new ArrayList<>();
        http.get(subjectPath(subject) + "/versions").forEach(node -> versions.add(node.asInt()));
        return List.copyOf(versions);
    }

    /** @return every subject ({@code GET /subjects}) */
    public List<String> listSubjects() {
        List<String> subjects = new ArrayList<>();
        http.get("/subjects").forEach(node -> subjects.add(node.asText()));
        return List.copyOf(subjects);
    }

    /**
     * Asks whether a schema could be registered under a subject, given the subject's
     * compatibility level ({@code POST /compatibility/subjects/{subject}/versions/latest}).
     *
     * @param subject the subject
     * @param schema  the candidate schema
     * @return whether it is compatible; true for a subject that has no version yet
     */
    public boolean testCompatibility(String subject, Schema schema) {
        return http.post("/compatibility" + subjectPath(subject) + "/versions/latest", schemaBody(schema))
                .path("is_compatible")
                .asBoolean();
    }

    /**
     * Deletes every version of a subject ({@code DELETE /subjects/{subject}}): soft first, then
     * permanently. Soft-deleted schemas stay readable by id.
     *
     * @param subject   the subject
     * @param permanent false for a soft delete, true to remove a soft-deleted subject for good
     * @return the version numbers deleted
     * @throws SchemaRegistryException 40401 when the subject does not exist, 40404 when it is
     *                                 already soft-deleted, 40405 when a permanent delete comes
     *                                 before the soft one
     */
    public List<Integer> deleteSubject(String subject, boolean permanent) {
        List<Integer> versions = new ArrayList<>();
        http.delete(subjectPath(subject) + (permanent ? "?permanent=true" : ""))
                .forEach(node -> versions.add(node.asInt()));
        return List.copyOf(versions);
    }

    /**
     * Deletes one version of a subject ({@code DELETE /subjects/{subject}/versions/{version}}).
     *
     * @param subject   the subject
     * @param version   the version, from 1, or -1 for the latest
     * @param permanent false for a soft delete, true to remove a soft-deleted version for good
     * @return the version number deleted
     * @throws SchemaRegistryException 40401, 40402, 40406 (already soft-deleted) or 40407 (not
     *                                 soft-deleted before a permanent delete)
     */
    public int deleteSchemaVersion(String subject, int version, boolean permanent) {
        String number = version == -1 ? "latest" : Integer.toString(version);
        return http.delete(subjectPath(subject) + "/versions/" + number + (permanent ? "?permanent=true" : ""))
                .asInt();
    }

    /** @return the global compatibility level ({@code GET /config}) */
    public CompatibilityLevel getConfig() {
        return level(http.get("/config").path("compatibilityLevel").asText());
    }

    /**
     * @param subject the subject
     * @return the level in force for the subject: its own, or the global one when it has none
     *         ({@code GET /config/{subject}?defaultToGlobal=true})
     */
    public CompatibilityLevel getConfig(String subject) {
        return level(http.get("/config/" + RegistryHttp.segment(subject) + "?defaultToGlobal=true")
                .path("compatibilityLevel")
                .asText());
    }

    /**
     * @param level the new global compatibility level ({@code PUT /config})
     * @return the level the registry now holds
     */
    public CompatibilityLevel updateConfig(CompatibilityLevel level) {
        return level(http.put("/config", Map.of("compatibility", level.name()))
                .path("compatibility")
                .asText());
    }

    /**
     * @param subject the subject
     * @param level   the subject's new compatibility level ({@code PUT /config/{subject}})
     * @return the level the registry now holds for the subject
     */
    public CompatibilityLevel updateConfig(String subject, CompatibilityLevel level) {
        return level(http.put("/config/" + RegistryHttp.segment(subject), Map.of("compatibility", level.name()))
                .path("compatibility")
                .asText());
    }

    private RegisteredSchema toRegistered(JsonNode node, String subject) {
        return new RegisteredSchema(
                node.path("subject").asText(subject),
                node.path("version").asInt(),
                node.path("id").asInt(),
                parse(node.path("schema").asText()));
    }

    private static Map<String, String> schemaBody(Schema schema) {
        return Map.of("schema", schema.toString());
    }

    private static String subjectPath(String subject) {
        return "/subjects/" + RegistryHttp.segment(subject);
    }

    private static Schema parse(String schema) {
        try {
            return new Schema.Parser().parse(schema);
        } catch (RuntimeException e) {
            throw new SchemaRegistryException(
                    200,
                    0,
                    "Registry returned a schema that does not parse as Avro: " + e.getMessage() + ": " + schema,
                    e);
        }
    }

    private static CompatibilityLevel level(String name) {
        return CompatibilityLevel.parse(name)
                .orElseThrow(() -> new SchemaRegistryException(
                        200, 0, "Registry returned an unknown compatibility level '" + name + "'"));
    }
}
