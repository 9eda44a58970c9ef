package io.ccdstream.registry;

import java.util.ArrayList;
import java.util.List;

/**
 * A store that keeps records in a list: nothing survives the JVM. For tests and throw-away
 * registries; an instance may be handed to a new registry to simulate a restart.
 */
public final class InMemorySchemaStore implements SchemaStore {

    private final List<StoreRecord> records = new ArrayList<>();

    @Override
    public synchronized List<StoreRecord> load() {
        return List.copyOf(records);
    }

    @Override
    public synchronized void append(StoreRecord record) {
        records.add(record);
    }

    @Override
    public void close() {
        // Nothing to release; the records stay readable for a later registry on this store.
    }
}
