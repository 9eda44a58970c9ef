package io.ccdstream.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's rules, independent of HTTP: registration with Confluent's id and version
 * semantics, compatibility enforcement with Avro's {@link SchemaCompatibility}, and settings.
 * Each change is appended to the {@link SchemaStore} and applied in memory only once stored.
 * Failures are {@link SchemaRegistryException}s carrying Confluent's status and error code.
 */
final class RegistryService {

    /** A schema as a client submits it. */
    record Submission(String schema, String schemaType, int referenceCount) {}

    /** The outcome of a compatibility check, with Avro's reasons when incompatible. */
    record CompatibilityCheck(boolean compatible, List<String> messages) {}

    /** The "latest" version, as in {@code /versions/latest} (Confluent also accepts -1). */
    static final int LATEST = -1;

    private static final Logger LOG = LoggerFactory.getLogger(RegistryService.class);

    private final RegistryState state = new RegistryState();
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final SchemaStore store;
    private final CompatibilityLevel defaultLevel;

    RegistryService(SchemaStore store, CompatibilityLevel defaultLevel) {
        this.store = store;
        this.defaultLevel = defaultLevel;
        replay(store.load());
    }

    private void replay(List<StoreRecord> records) {
        for (StoreRecord record : records) {
            try {
                state.apply(record);
            } catch (RuntimeException e) {
                LOG.warn("Skipping stored record that cannot be applied: {}: {}", record, e.toString());
            }
        }
    }

    /** Registers a schema under a subject; idempotent for a schema the subject already holds. */
    int register(String subject, Submission submission) {
        Schema schema = parse(submission);
        String canonical = schema.toString();
        lock.writeLock().lock();
        try {
            var existing = state.versionOf(subject, canonical);
            if (existing.isPresent()) {
                return existing.get().id();
            }
            List<String> problems = incompatibilities(schema, state.versions(subject), levelOf(subject));
            if (!problems.isEmpty()) {
                throw new SchemaRegistryException(
                        409,
                        SchemaRegistryException.INCOMPATIBLE_SCHEMA,
                        "Schema being registered is incompatible with an earlier schema for subject \"" + subject
                                + "\", details: " + problems);
            }
            StoreRecord.SchemaVersion record = new StoreRecord.SchemaVersion(
                    subject, nextVersion(subject), state.idFor(canonical), canonical, false);
            store.append(record);
            state.apply(record);
            LOG.info("Registered schema id {} as version {} of subject {}", record.id(), record.version(), subject);
            return record.id();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Finds the version of a subject that holds a schema. */
    RegistryState.Version lookup(String subject, Submission submission) {
        String canonical = parse(submission).toString();
        return read(() -> {
            requireSubject(subject);
            return state.versionOf(subject, canonical)
                    .orElseThrow(() -> SchemaRegistryException.schemaNotFound("Schema"));
        });
    }

    Schema schema(int id) {
        return read(() -> state.schema(id).orElseThrow(() -> SchemaRegistryException.schemaNotFound("Schema " + id)));
    }

    List<RegistryState.Version> versionsWithId(int id) {
        return read(() -> {
            state.schema(id).orElseThrow(() -> SchemaRegistryException.schemaNotFound("Schema " + id));
            return state.versionsWithId(id);
        });
    }

    List<String> subjects() {
        return read(state::subjects);
    }

    List<Integer> versions(String subject) {
        return read(() -> requireSubject(subject).stream()
                .map(RegistryState.Version::version)
                .toList());
    }

    /** @param version a version number, or {@link #LATEST} */
    RegistryState.Version version(String subject, int version) {
        return read(() -> {
            List<RegistryState.Version> versions = requireSubject(subject);
            if (version == LATEST) {
                return versions.get(versions.size() - 1);
            }
            return state.version(subject, version).orElseThrow(() -> SchemaRegistryException.versionNotFound(version));
        });
    }

    /**
     * Checks a schema against one version, or for {@link #LATEST} against what registration
     * would check under the subject's level. A subject without versions accepts anything.
     */
    CompatibilityCheck checkCompatibility(String subject, int version, Submission submission) {
        Schema schema = parse(submission);
        return read(() -> {
            List<RegistryState.Version> versions = state.versions(subject);
            if (version == LATEST && versions.isEmpty()) {
                return new CompatibilityCheck(true, List.of());
            }
            CompatibilityLevel level = levelOf(subject);
            List<RegistryState.Version> against = version == LATEST ? versions : List.of(version(subject, version));
            CompatibilityLevel effective = version == LATEST ? level : nonTransitive(level);
            List<String> problems = incompatibilities(schema, against, effective);
            return new CompatibilityCheck(problems.isEmpty(), problems);
        });
    }

    CompatibilityLevel globalLevel() {
        return read(() -> state.globalLevel().orElse(defaultLevel));
    }

    /**
     * @param defaultToGlobal whether a subject without its own level reports the global one
     */
    CompatibilityLevel subjectLevel(String subject, boolean defaultToGlobal) {
        return read(() -> state.subjectLevel(subject).orElseGet(() -> {
            if (defaultToGlobal) {
                return state.globalLevel().orElse(defaultLevel);
            }
            throw new SchemaRegistryException(
                    404,
                    SchemaRegistryException.SUBJECT_LEVEL_COMPATIBILITY_NOT_CONFIGURED,
                    "Subject '" + subject + "' does not have subject-level compatibility configured");
        }));
    }

    /** @param subject the subject, or null for the global level */
    void setLevel(String subject, CompatibilityLevel level) {
        lock.writeLock().lock();
        try {
            StoreRecord.Compatibility record = new StoreRecord.Compatibility(subject, level);
            store.append(record);
            state.apply(record);
        } finally {
            lock.writeLock().unlock();
        }
    }

    private CompatibilityLevel levelOf(String subject) {
        return state.subjectLevel(subject).orElseGet(() -> state.globalLevel().orElse(defaultLevel));
    }

    private int nextVersion(String subject) {
        List<RegistryState.Version> versions = state.versions(subject);
        return versions.isEmpty() ? 1 : versions.get(versions.size() - 1).version() + 1;
    }

    private List<RegistryState.Version> requireSubject(String subject) {
        List<RegistryState.Version> versions = state.versions(subject);
        if (versions.isEmpty()) {
            throw SchemaRegistryException.subjectNotFound(subject);
        }
        return versions;
    }

    private <T> T read(Supplier<T> query) {
        lock.readLock().lock();
        try {
            return query.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    private static CompatibilityLevel nonTransitive(CompatibilityLevel level) {
        return switch (level) {
            case BACKWARD_TRANSITIVE -> CompatibilityLevel.BACKWARD;
            case FORWARD_TRANSITIVE -> CompatibilityLevel.FORWARD;
            case FULL_TRANSITIVE -> CompatibilityLevel.FULL;
            default -> level;
        };
    }

    /** @param previous the versions to check against, oldest first */
    static List<String> incompatibilities(
            Schema candidate, List<RegistryState.Version> previous, CompatibilityLevel level) {
        if (level == CompatibilityLevel.NONE || previous.isEmpty()) {
            return List.of();
        }
        List<RegistryState.Version> against =
                level.transitive() ? previous : List.of(previous.get(previous.size() - 1));
        List<String> problems = new ArrayList<>();
        for (RegistryState.Version old : against) {
            if (level.backward()) {
                describe(
                        SchemaCompatibility.checkReaderWriterCompatibility(candidate, old.schema()),
                        "new schema cannot read version " + old.version(),
                        problems);
            }
            if (level.forward()) {
                describe(
                        SchemaCompatibility.checkReaderWriterCompatibility(old.schema(), candidate),
                        "version " + old.version() + " cannot read the new schema",
                        problems);
            }
        }
        return problems;
    }

    private static void describe(SchemaPairCompatibility result, String what, List<String> into) {
        if (result.getType() == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            return;
        }
        if (result.getResult().getIncompatibilities().isEmpty()) {
            into.add(what + ": " + result.getDescription());
        }
        for (Incompatibility problem : result.getResult().getIncompatibilities()) {
            into.add(what + ": " + problem.getType() + " at " + problem.getLocation() + " (" + problem.getMessage()
                    + ")");
        }
    }

    private static Schema parse(Submission submission) {
        String type = submission.schemaType() == null ? "AVRO" : submission.schemaType();
        if (!"AVRO".equalsIgnoreCase(type)) {
            throw SchemaRegistryException.invalidSchema("Invalid schema: schemaType " + type
                    + " is not supported by this registry, which serves AVRO schemas only");
        }
        if (submission.referenceCount() > 0) {
            throw SchemaRegistryException.invalidSchema("Invalid schema: schema references are not supported by this"
                    + " registry; inline the referenced types");
        }
        if (submission.schema() == null || submission.schema().isBlank()) {
            throw SchemaRegistryException.invalidSchema("Invalid schema: empty schema");
        }
        try {
            return new Schema.Parser().parse(submission.schema());
        } catch (RuntimeException e) {
            throw SchemaRegistryException.invalidSchema(
                    "Invalid schema " + submission.schema() + ", details: " + e.getMessage());
        }
    }
}
