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

    /**
     * A schema as a client submits it.
     *
     * @param id      the id asked for (IMPORT mode only), or null
     * @param version the version asked for (IMPORT mode only), or null
     */
    record Submission(String schema, String schemaType, int referenceCount, Integer id, Integer version) {

        Submission(String schema, String schemaType, int referenceCount) {
            this(schema, schemaType, referenceCount, null, null);
        }
    }

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

    /**
     * Registers a schema under a subject; idempotent for a schema the subject already holds. A
     * schema registered before, under any subject and even if deleted since, gets its id back;
     * a new schema gets an id above every id the store ever held. In IMPORT mode the submitted id
     * (and version) are kept as given and compatibility is not checked.
     */
    int register(String subject, Submission submission) {
        Schema schema = parse(submission);
        String canonical = schema.toString();
        lock.writeLock().lock();
        try {
            RegistryMode mode = modeOf(subject);
            requireWritable(subject, mode);
            boolean importing = mode == RegistryMode.IMPORT;
            if (submission.id() != null && !importing) {
                throw notPermitted("Subject " + subject + " is not in import mode: a schema id can be given only"
                        + " in IMPORT mode");
            }
            var existing = state.versionOf(subject, canonical);
            if (existing.isPresent()) {
                if (submission.id() != null && existing.get().id() != submission.id()) {
                    throw idMismatch(existing.get().id(), submission.id());
                }
                return existing.get().id();
            }
            int id = importing && submission.id() != null
                    ? importedId(canonical, submission.id())
                    : state.idFor(canonical);
            if (!importing) {
                List<String> problems = incompatibilities(schema, state.versions(subject), levelOf(subject));
                if (!problems.isEmpty()) {
                    throw new SchemaRegistryException(
                            409,
                            SchemaRegistryException.INCOMPATIBLE_SCHEMA,
                            "Schema being registered is incompatible with an earlier schema for subject \"" + subject
                                    + "\", details: " + problems);
                }
            }
            int version = state.maxVersion(subject) + 1;
            if (importing && submission.version() != null) {
                version = submission.version();
                if (state.anyVersion(subject, version).isPresent()) {
                    throw notPermitted("Version " + version + " of subject " + subject + " already exists");
                }
            }
            StoreRecord.SchemaVersion record =
                    new StoreRecord.SchemaVersion(subject, version, id, canonical, StoreRecord.AVRO, false);
            append(record);
            LOG.info("Registered schema id {} as version {} of subject {}", record.id(), record.version(), subject);
            return record.id();
        } finally {
            lock.writeLock().unlock();
        }
    }

    private int importedId(String canonical, int id) {
        var known = state.existingId(canonical);
        if (known.isPresent() && known.get() != id) {
            throw idMismatch(known.get(), id);
        }
        if (known.isEmpty() && state.idTaken(id)) {
            throw new SchemaRegistryException(
                    422,
                    SchemaRegistryException.ID_DOES_NOT_MATCH,
                    "Overwrite new schema with id " + id + " is not permitted.");
        }
        return id;
    }

    private static SchemaRegistryException idMismatch(int existing, int given) {
        return new SchemaRegistryException(
                422,
                SchemaRegistryException.ID_DOES_NOT_MATCH,
                "Schema already registered with id " + existing + " instead of input id " + given);
    }

    /**
     * Deletes every version of a subject: soft (kept, readable by id, no longer served by
     * subject), or permanently once soft-deleted.
     *
     * @return the version numbers deleted
     */
    List<Integer> deleteSubject(String subject, boolean permanent) {
        lock.writeLock().lock();
        try {
            requireWritable(subject, modeOf(subject));
            List<RegistryState.Version> all = state.allVersions(subject);
            if (all.isEmpty()) {
                throw SchemaRegistryException.subjectNotFound(subject);
            }
            List<RegistryState.Version> undeleted =
                    all.stream().filter(v -> !v.deleted()).toList();
            if (!permanent) {
                if (undeleted.isEmpty()) {
                    throw SchemaRegistryException.subjectSoftDeleted(subject);
                }
                undeleted.forEach(v -> append(softDeleted(v)));
                LOG.info("Soft-deleted subject {} (versions {})", subject, numbers(undeleted));
                return numbers(undeleted);
            }
            if (!undeleted.isEmpty()) {
                throw SchemaRegistryException.subjectNotSoftDeleted(subject);
            }
            all.forEach(v -> append(new StoreRecord.VersionPurged(subject, v.version())));
            if (state.subjectLevel(subject).isPresent()) {
                append(new StoreRecord.Compatibility(subject, null));
            }
            if (state.subjectMode(subject).isPresent()) {
                append(new StoreRecord.Mode(subject, null));
            }
            LOG.info("Permanently deleted subject {} (versions {})", subject, numbers(all));
            return numbers(all);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Deletes one version of a subject, soft or (once soft-deleted) permanently.
     *
     * @param version a version number, or {@link #LATEST}
     * @return the version number deleted
     */
    int deleteVersion(String subject, int version, boolean permanent) {
        lock.writeLock().lock();
        try {
            requireWritable(subject, modeOf(subject));
            List<RegistryState.Version> candidates = permanent
                    ? state.allVersions(subject)
                    : state.allVersions(subject).stream()
                            .filter(v -> !v.deleted())
                            .toList();
            if (candidates.isEmpty()) {
                throw SchemaRegistryException.subjectNotFound(subject);
            }
            RegistryState.Version target = version == LATEST
                    ? candidates.get(candidates.size() - 1)
                    : state.anyVersion(subject, version)
                            .orElseThrow(() -> SchemaRegistryException.versionNotFound(version));
            if (!permanent) {
                if (target.deleted()) {
                    throw SchemaRegistryException.versionSoftDeleted(subject, target.version());
                }
                append(softDeleted(target));
            } else {
                if (!target.deleted()) {
                    throw SchemaRegistryException.versionNotSoftDeleted(subject, target.version());
                }
                append(new StoreRecord.VersionPurged(subject, target.version()));
            }
            LOG.info(
                    "{} version {} of subject {}",
                    permanent ? "Permanently deleted" : "Soft-deleted",
                    target.version(),
                    subject);
            return target.version();
        } finally {
            lock.writeLock().unlock();
        }
    }

    RegistryMode globalMode() {
        return read(() -> state.globalMode().orElse(RegistryMode.READWRITE));
    }

    /** @param defaultToGlobal whether a subject without its own mode reports the global one */
    RegistryMode subjectMode(String subject, boolean defaultToGlobal) {
        return read(() -> state.subjectMode(subject).orElseGet(() -> {
            if (defaultToGlobal) {
                return state.globalMode().orElse(RegistryMode.READWRITE);
            }
            throw subjectModeNotConfigured(subject);
        }));
    }

    /**
     * @param subject the subject, or null for the global mode
     * @param force   whether IMPORT may be set although schemas are registered
     */
    void setMode(String subject, RegistryMode mode, boolean force) {
        lock.writeLock().lock();
        try {
            boolean populated = subject == null
                    ? !state.subjects().isEmpty()
                    : !state.versions(subject).isEmpty();
            if (mode == RegistryMode.IMPORT && populated && !force) {
                throw notPermitted("Cannot import since found existing subjects");
            }
            append(new StoreRecord.Mode(subject, mode));
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** @return the mode the subject had */
    RegistryMode deleteSubjectMode(String subject) {
        lock.writeLock().lock();
        try {
            RegistryMode previous = state.subjectMode(subject).orElseThrow(() -> subjectModeNotConfigured(subject));
            append(new StoreRecord.Mode(subject, null));
            return previous;
        } finally {
            lock.writeLock().unlock();
        }
    }

    private static SchemaRegistryException subjectModeNotConfigured(String subject) {
        return new SchemaRegistryException(
                404,
                SchemaRegistryException.SUBJECT_LEVEL_MODE_NOT_CONFIGURED,
                "Subject '" + subject + "' does not have subject-level mode configured");
    }

    private RegistryMode modeOf(String subject) {
        return state.subjectMode(subject).orElseGet(() -> state.globalMode().orElse(RegistryMode.READWRITE));
    }

    private static void requireWritable(String subject, RegistryMode mode) {
        if (mode == RegistryMode.READONLY) {
            throw notPermitted("Subject " + subject + " is in read-only mode");
        }
    }

    private static SchemaRegistryException notPermitted(String message) {
        return new SchemaRegistryException(422, SchemaRegistryException.OPERATION_NOT_PERMITTED, message);
    }

    private static StoreRecord.SchemaVersion softDeleted(RegistryState.Version v) {
        return new StoreRecord.SchemaVersion(v.subject(), v.version(), v.id(), v.canonical(), v.schemaType(), true);
    }

    private static List<Integer> numbers(List<RegistryState.Version> versions) {
        return versions.stream().map(RegistryState.Version::version).toList();
    }

    /** Stores a record, then applies it; the caller holds the write lock. */
    private void append(StoreRecord record) {
        store.append(record);
        state.apply(record);
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

    /** @return the schema with this id, also when only soft-deleted versions hold it */
    RegistryState.StoredSchema schema(int id) {
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
            append(new StoreRecord.Compatibility(subject, level));
        } finally {
            lock.writeLock().unlock();
        }
    }

    private CompatibilityLevel levelOf(String subject) {
        return state.subjectLevel(subject).orElseGet(() -> state.globalLevel().orElse(defaultLevel));
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
