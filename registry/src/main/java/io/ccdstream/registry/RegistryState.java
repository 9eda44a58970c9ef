package io.ccdstream.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.avro.Schema;

/**
 * The registry's data in memory, rebuilt by applying {@link StoreRecord}s in order. Not
 * thread-safe: {@link RegistryService} guards it.
 *
 * <p>Every version read is kept, including soft-deleted ones and schemas of types this registry
 * does not serve (PROTOBUF, JSON, written by a Confluent registry on the same topic): they hold
 * their ids, which are never handed to another schema, and they stay readable by id. Subject
 * and version queries see the live AVRO versions only.
 */
final class RegistryState {

    /**
     * A version of a subject, with its Avro schema parsed once.
     *
     * @param canonical the schema text, canonical for AVRO
     * @param schema    the parsed schema, null for other schema types
     */
    record Version(
            String subject, int version, int id, String schemaType, String canonical, Schema schema, boolean deleted) {

        /** @return whether the version is served: not deleted, and AVRO */
        boolean live() {
            return !deleted && StoreRecord.AVRO.equals(schemaType);
        }
    }

    /** A schema as kept under its id. */
    record StoredSchema(int id, String schemaType, String text) {}

    private final Map<String, NavigableMap<Integer, Version>> subjects = new HashMap<>();
    private final Map<Integer, StoredSchema> schemasById = new HashMap<>();
    private final Map<String, Integer> idsByCanonical = new HashMap<>();
    private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
    private final Map<String, RegistryMode> subjectModes = new HashMap<>();
    private CompatibilityLevel globalLevel;
    private RegistryMode globalMode;
    private int maxId;

    void apply(StoreRecord record) {
        if (record instanceof StoreRecord.SchemaVersion version) {
            applyVersion(version);
        } else if (record instanceof StoreRecord.VersionPurged purged) {
            purge(purged.subject(), purged.version());
        } else if (record instanceof StoreRecord.SubjectDeleted deleted) {
            allVersions(deleted.subject()).stream()
                    .filter(v -> v.version() <= deleted.version() && !v.deleted())
                    .forEach(v -> put(new Version(
                            v.subject(), v.version(), v.id(), v.schemaType(), v.canonical(), v.schema(), true)));
        } else if (record instanceof StoreRecord.Compatibility config) {
            applyLevel(config);
        } else if (record instanceof StoreRecord.Mode mode) {
            applyMode(mode);
        }
    }

    private void applyVersion(StoreRecord.SchemaVersion record) {
        // The id is taken before anything can fail, so that no record's id is ever handed out again.
        maxId = Math.max(maxId, record.id());
        boolean avro = StoreRecord.AVRO.equals(record.schemaType());
        Schema schema = avro ? new Schema.Parser().parse(record.schema()) : null;
        String canonical = avro ? schema.toString() : record.schema();
        put(new Version(
                record.subject(),
                record.version(),
                record.id(),
                record.schemaType(),
                canonical,
                schema,
                record.deleted()));
        schemasById.putIfAbsent(record.id(), new StoredSchema(record.id(), record.schemaType(), canonical));
        idsByCanonical.putIfAbsent(canonicalKey(record.schemaType(), canonical), record.id());
    }

    private void put(Version version) {
        subjects.computeIfAbsent(version.subject(), s -> new TreeMap<>()).put(version.version(), version);
    }

    private void purge(String subject, int number) {
        NavigableMap<Integer, Version> versions = subjects.get(subject);
        Version removed = versions == null ? null : versions.remove(number);
        if (removed == null) {
            return;
        }
        if (versions.isEmpty()) {
            subjects.remove(subject);
        }
        boolean stillUsed =
                subjects.values().stream().flatMap(v -> v.values().stream()).anyMatch(v -> v.id() == removed.id());
        if (!stillUsed) {
            // Not readable by id any more; the id stays bound to its schema (idsByCanonical) and below maxId.
            schemasById.remove(removed.id());
        }
    }

    private void applyLevel(StoreRecord.Compatibility record) {
        if (record.subject() == null) {
            globalLevel = record.level();
        } else if (record.level() == null) {
            subjectLevels.remove(record.subject());
        } else {
            subjectLevels.put(record.subject(), record.level());
        }
    }

    private void applyMode(StoreRecord.Mode record) {
        if (record.subject() == null) {
            globalMode = record.mode();
        } else if (record.mode() == null) {
            subjectModes.remove(record.subject());
        } else {
            subjectModes.put(record.subject(), record.mode());
        }
    }

    /** @return the live versions of a subject, oldest first; empty when it has none */
    List<Version> versions(String subject) {
        return allVersions(subject).stream().filter(Version::live).toList();
    }

    /** @return every version of a subject, deleted and of any type included, oldest first */
    List<Version> allVersions(String subject) {
        NavigableMap<Integer, Version> versions = subjects.get(subject);
        return versions == null ? List.of() : List.copyOf(versions.values());
    }

    /** @return a live version */
    Optional<Version> version(String subject, int version) {
        return anyVersion(subject, version).filter(Version::live);
    }

    /** @return a version, deleted or of another type included */
    Optional<Version> anyVersion(String subject, int version) {
        NavigableMap<Integer, Version> versions = subjects.get(subject);
        return Optional.ofNullable(versions == null ? null : versions.get(version));
    }

    Optional<Version> versionOf(String subject, String canonical) {
        return versions(subject).stream()
                .filter(v -> v.canonical().equals(canonical))
                .findFirst();
    }

    /** @return the highest version number a subject ever had in the store, 0 for none */
    int maxVersion(String subject) {
        NavigableMap<Integer, Version> versions = subjects.get(subject);
        return versions == null || versions.isEmpty() ? 0 : versions.lastKey();
    }

    /** @return the subjects with a live version, sorted */
    List<String> subjects() {
        List<String> live = new ArrayList<>();
        subjects.forEach((subject, versions) -> {
            if (versions.values().stream().anyMatch(Version::live)) {
                live.add(subject);
            }
        });
        return List.copyOf(new TreeSet<>(live));
    }

    /** @return the schema with this id, also when only deleted versions or other types hold it */
    Optional<StoredSchema> schema(int id) {
        return Optional.ofNullable(schemasById.get(id));
    }

    /** @return every live version holding the schema with this id, by subject */
    List<Version> versionsWithId(int id) {
        List<Version> found = new ArrayList<>();
        subjects()
                .forEach(subject ->
                        versions(subject).stream().filter(v -> v.id() == id).forEach(found::add));
        return found;
    }

    /** @return the id an Avro schema already has, or the next free id */
    int idFor(String canonical) {
        return existingId(canonical).orElse(maxId + 1);
    }

    /** @return the id an Avro schema already has, deleted versions included */
    Optional<Integer> existingId(String canonical) {
        return Optional.ofNullable(idsByCanonical.get(canonicalKey(StoreRecord.AVRO, canonical)));
    }

    /** @return whether an id was ever given to a schema */
    boolean idTaken(int id) {
        return schemasById.containsKey(id) || idsByCanonical.containsValue(id);
    }

    /** @return the highest id seen in the store */
    int maxId() {
        return maxId;
    }

    Optional<CompatibilityLevel> globalLevel() {
        return Optional.ofNullable(globalLevel);
    }

    Optional<CompatibilityLevel> subjectLevel(String subject) {
        return Optional.ofNullable(subjectLevels.get(subject));
    }

    Optional<RegistryMode> globalMode() {
        return Optional.ofNullable(globalMode);
    }

    Optional<RegistryMode> subjectMode(String subject) {
        return Optional.ofNullable(subjectModes.get(subject));
    }

    private static String canonicalKey(String schemaType, String canonical) {
        return schemaType + '\u0000' + canonical;
    }
}
