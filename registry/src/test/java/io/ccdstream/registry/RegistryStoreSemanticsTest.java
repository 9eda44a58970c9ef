package io.ccdstream.registry;

import static io.ccdstream.registry.RawHttp.get;
import static io.ccdstream.registry.RawHttp.post;
import static io.ccdstream.registry.RawHttp.put;
import static io.ccdstream.registry.RawHttp.schemaBody;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the registry uses its {@link SchemaStore}: state rebuilt at start, changes applied only once stored. */
class RegistryStoreSemanticsTest {

    private static final EmbeddedSchemaRegistryConfig CONFIG = new EmbeddedSchemaRegistryConfig(Map.of());

    /** A store whose writes can be made to fail, as a broker outage would. */
    private static final class FlakyStore implements SchemaStore {
        private final InMemorySchemaStore delegate = new InMemorySchemaStore();
        private volatile boolean failing;

        @Override
        public List<StoreRecord> load() {
            return delegate.load();
        }

        @Override
        public void append(StoreRecord record) {
            if (failing) {
                throw new SchemaRegistryException(
                        500, SchemaRegistryException.STORE_ERROR, "Error in the backend data store");
            }
            delegate.append(record);
        }

        @Override
        public void close() {}
    }

    @Test
    void shouldRebuildIdsVersionsAndLevelsFromStoreAtStart() {
        InMemorySchemaStore store = new InMemorySchemaStore();
        try (EmbeddedSchemaRegistry first = EmbeddedSchemaRegistry.start(CONFIG, store)) {
            post(first.url(), "/subjects/images-value/versions", schemaBody(EmbeddedSchemaRegistryRestTest.V1));
            post(
                    first.url(),
                    "/subjects/images-value/versions",
                    schemaBody(EmbeddedSchemaRegistryRestTest.V2_WITH_DEFAULT));
            put(first.url(), "/config/images-value", "{\"compatibility\":\"FULL\"}");
        }

        try (EmbeddedSchemaRegistry second = EmbeddedSchemaRegistry.start(CONFIG, store)) {
            assertThat(get(second.url(), "/subjects/images-value/versions/latest")
                            .json()
                            .path("id")
                            .asInt())
                    .isEqualTo(2);
            assertThat(get(second.url(), "/config/images-value")
                            .json()
                            .path("compatibilityLevel")
                            .asText())
                    .isEqualTo("FULL");
            assertThat(post(
                                    second.url(),
                                    "/subjects/others-value/versions",
                                    schemaBody(EmbeddedSchemaRegistryRestTest.OTHER))
                            .json()
                            .path("id")
                            .asInt())
                    .isEqualTo(3);
        }
    }

    @Test
    void shouldNotApplyChangesTheStoreFailedToWrite() {
        FlakyStore store = new FlakyStore();
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(CONFIG, store)) {
            store.failing = true;
            RawHttp.Reply register = post(
                    registry.url(), "/subjects/images-value/versions", schemaBody(EmbeddedSchemaRegistryRestTest.V1));
            RawHttp.Reply config = put(registry.url(), "/config", "{\"compatibility\":\"NONE\"}");

            assertThat(register.status()).isEqualTo(500);
            assertThat(register.errorCode()).isEqualTo(SchemaRegistryException.STORE_ERROR);
            assertThat(config.errorCode()).isEqualTo(SchemaRegistryException.STORE_ERROR);
            assertThat(get(registry.url(), "/subjects").json().toString()).isEqualTo("[]");
            assertThat(get(registry.url(), "/config")
                            .json()
                            .path("compatibilityLevel")
                            .asText())
                    .isEqualTo("BACKWARD");

            store.failing = false;
            assertThat(post(
                                    registry.url(),
                                    "/subjects/images-value/versions",
                                    schemaBody(EmbeddedSchemaRegistryRestTest.V1))
                            .json()
                            .path("id")
                            .asInt())
                    .isEqualTo(1);
        }
    }

    @Test
    void shouldStartWithConfiguredDefaultLevelUntilOneIsStored() {
        EmbeddedSchemaRegistryConfig fullByDefault = new EmbeddedSchemaRegistryConfig(
                Map.of(EmbeddedSchemaRegistryConfig.SCHEMA_COMPATIBILITY_LEVEL_CONFIG, "full"));
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(fullByDefault, new InMemorySchemaStore())) {
            assertThat(get(registry.url(), "/config")
                            .json()
                            .path("compatibilityLevel")
                            .asText())
                    .isEqualTo("FULL");
        }
    }
}
