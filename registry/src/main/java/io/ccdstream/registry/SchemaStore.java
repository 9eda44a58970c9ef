package io.ccdstream.registry;

import java.util.List;

/**
 * Where {@link EmbeddedSchemaRegistry} keeps its state. The registry reads everything once at
 * start, keeps the state in memory, and appends each change before applying it; a store is
 * therefore written by one registry at a time.
 */
public interface SchemaStore extends AutoCloseable {

    /**
     * Reads every record stored so far, in the order they were appended. Called once, before the
     * registry serves requests.
     *
     * @return the records
     * @throws SchemaRegistryException when the store cannot be read
     */
    List<StoreRecord> load();

    /**
     * Stores a record durably, returning only once it is stored.
     *
     * @param record the record
     * @throws SchemaRegistryException when the record could not be stored; the change must then
     *                                 not be applied
     */
    void append(StoreRecord record);

    /** Releases the store's resources. */
    @Override
    void close();
}
