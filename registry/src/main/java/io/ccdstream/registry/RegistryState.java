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
 */
final class RegistryState {

    /** A live version of a subject, with its schema parsed once. */
    record Version(String subject, int version, int id, String canonical, Schema schema) {}

    private final Map<String, NavigableMap<Integer, Version>> subjects = new HashMap<>();
    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<String, Integer> idsByCanonical = new HashMap<>();
    private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
    private CompatibilityLevel globalLevel;
    private int maxId;

    void apply(StoreRecord record) {
        if (record instanceof StoreRecord.SchemaVersion version) {
            applyVersion(version);
        } else if (record instanceof StoreRecord.Compatibility config) {
            applyLevel(config);
        }
    }

    private void applyVersion(StoreRecord.SchemaVersion record) {
        if (record.deleted()) {
            NavigableMap<Integer, Version> versions = subjects.get(record.subject());
            if (versions != null) {
                versions.remove(record.version());
            }
            return;
        }
        Schema schema = new Schema.Parser().parse(record.schema());
        String canonical = schema.toString();
        subjects.computeIfAbsent(record.subject(), s -> new TreeMap<>())
                .put(record.version(), new Version(record.subject(), record.version(), record.id(), canonical, schema));
        schemasById.putIfAbsent(record.id(), schema);
        idsByCanonical.putIfAbsent(canonical, record.id());
        maxId = Math.max(maxId, record.id());
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

    /** @return the live versions of a subject, oldest first; empty when it has none */
    List<Version> versions(String subject) {
        NavigableMap<Integer, Version> versions = subjects.get(subject);
        return versions == null ? List.of() : List.copyOf(versions.values());
    }

    Optional<Version> version(String subject, int version) {
        return Optional.ofNullable(
                subjects.getOrDefault(subject, new TreeMap<>()).get(version));
    }

    Optional<Version> versionOf(String subject, String canonical) {
        return versions(subject).stream()
                .filter(v -> v.canonical().equals(canonical))
                .findFirst();
    }

    List<String> subjects() {
        List<String> live = new ArrayList<>();
        subjects.forEach((subject, versions) -> {
            if (!versions.isEmpty()) {
                live.add(subject);
            }
        });
        return List.copyOf(new TreeSet<>(live));
    }

    Optional<Schema> schema(int id) {
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

    /** @return the id a schema already has, or the next free id */
    int idFor(String canonical) {
        return idsByCanonical.getOrDefault(canonical, maxId + 1);
    }

    Optional<CompatibilityLevel> globalLevel() {
        return Optional.ofNullable(globalLevel);
    }

    Optional<CompatibilityLevel> subjectLevel(String subject) {
        return Optional.ofNullable(subjectLevels.get(subject));
    }
}
