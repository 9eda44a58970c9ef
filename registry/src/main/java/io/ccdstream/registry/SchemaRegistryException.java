package io.ccdstream.registry;

/**
 * A schema registry request failed: the registry answered with an error, or none could be
 * reached.
 *
 * <p>Carries the HTTP status and Confluent's {@code error_code} (for example 40401 "subject not
 * found", 40403 "schema not found", 409 "incompatible schema", 42201 "invalid schema"), so that
 * callers can react to a specific condition. The embedded server throws it too, and turns it into
 * the same JSON error body Confluent's server sends.
 */
public class SchemaRegistryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The status and error code used when no HTTP response was received at all. */
    public static final int NO_RESPONSE = 0;

    /** Subject not found. */
    public static final int SUBJECT_NOT_FOUND = 40401;
    /** Version not found. */
    public static final int VERSION_NOT_FOUND = 40402;
    /** Schema not found. */
    public static final int SCHEMA_NOT_FOUND = 40403;
    /** Subject was soft-deleted (a second soft delete). */
    public static final int SUBJECT_SOFT_DELETED = 40404;
    /** Subject was not soft-deleted before a permanent delete. */
    public static final int SUBJECT_NOT_SOFT_DELETED = 40405;
    /** Version was soft-deleted (a second soft delete). */
    public static final int VERSION_SOFT_DELETED = 40406;
    /** Version was not soft-deleted before a permanent delete. */
    public static final int VERSION_NOT_SOFT_DELETED = 40407;
    /** Subject has no subject-level mode configured. */
    public static final int SUBJECT_LEVEL_MODE_NOT_CONFIGURED = 40409;
    /** Subject has no subject-level compatibility configured. */
    public static final int SUBJECT_LEVEL_COMPATIBILITY_NOT_CONFIGURED = 40408;
    /** Incompatible schema (Confluent uses the bare HTTP status as the code). */
    public static final int INCOMPATIBLE_SCHEMA = 409;
    /** Invalid schema. */
    public static final int INVALID_SCHEMA = 42201;
    /** Invalid version. */
    public static final int INVALID_VERSION = 42202;
    /** Invalid compatibility level. */
    public static final int INVALID_COMPATIBILITY_LEVEL = 42203;
    /** Invalid mode. */
    public static final int INVALID_MODE = 42204;
    /** Operation not permitted, e.g. registering in READONLY mode or with an id outside IMPORT mode. */
    public static final int OPERATION_NOT_PERMITTED = 42205;
    /** The id given in IMPORT mode belongs to another schema, or the schema has another id. */
    public static final int ID_DOES_NOT_MATCH = 42207;
    /** Error in the backend data store. */
    public static final int STORE_ERROR = 50001;

    private final int status;
    private final int errorCode;

    /**
     * @param status    HTTP status, or {@link #NO_RESPONSE}
     * @param errorCode Confluent error code, or {@link #NO_RESPONSE}
     * @param message   the registry's message
     */
    public SchemaRegistryException(int status, int errorCode, String message) {
        this(status, errorCode, message, null);
    }

    /**
     * @param status    HTTP status, or {@link #NO_RESPONSE}
     * @param errorCode Confluent error code, or {@link #NO_RESPONSE}
     * @param message   the registry's message
     * @param cause     the underlying failure, may be null
     */
    public SchemaRegistryException(int status, int errorCode, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.errorCode = errorCode;
    }

    /** @return the HTTP status, or {@link #NO_RESPONSE} when no registry answered */
    public int status() {
        return status;
    }

    /** @return Confluent's error code, or {@link #NO_RESPONSE} when no registry answered */
    public int errorCode() {
        return errorCode;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[status=" + status + ", error_code=" + errorCode + "]: " + getMessage();
    }

    static SchemaRegistryException subjectNotFound(String subject) {
        return new SchemaRegistryException(404, SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.");
    }

    static SchemaRegistryException versionNotFound(int version) {
        return new SchemaRegistryException(404, VERSION_NOT_FOUND, "Version " + version + " not found.");
    }

    static SchemaRegistryException subjectSoftDeleted(String subject) {
        return new SchemaRegistryException(
                404,
                SUBJECT_SOFT_DELETED,
                "Subject '" + subject + "' was soft deleted.Set permanent=true to delete permanently");
    }

    static SchemaRegistryException subjectNotSoftDeleted(String subject) {
        return new SchemaRegistryException(
                404,
                SUBJECT_NOT_SOFT_DELETED,
                "Subject '" + subject + "' was not deleted first before being permanently deleted");
    }

    static SchemaRegistryException versionSoftDeleted(String subject, int version) {
        return new SchemaRegistryException(
                404,
                VERSION_SOFT_DELETED,
                "Subject '" + subject + "' Version " + version + " was soft deleted.Set permanent=true to delete"
                        + " permanently");
    }

    static SchemaRegistryException versionNotSoftDeleted(String subject, int version) {
        return new SchemaRegistryException(
                404,
                VERSION_NOT_SOFT_DELETED,
                "Subject '" + subject + "' Version " + version + " was not deleted first before being permanently"
                        + " deleted");
    }

    static SchemaRegistryException schemaNotFound(String what) {
        return new SchemaRegistryException(404, SCHEMA_NOT_FOUND, what + " not found");
    }

    static SchemaRegistryException invalidSchema(String detail) {
        return new SchemaRegistryException(422, INVALID_SCHEMA, detail);
    }
}
