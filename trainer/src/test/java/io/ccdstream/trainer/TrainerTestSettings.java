package io.ccdstream.trainer;

import io.ccdstream.testsupport.TestCluster;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Trainer settings of a test on a {@link TestCluster}. */
final class TrainerTestSettings {

    private TrainerTestSettings() {}

    /** Trainer settings for {@code cluster} with data under {@code dataDir}, with {@code overrides} on top. */
    static Map<String, Object> of(TestCluster cluster, Path dataDir, Map<String, ?> overrides) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(TrainerConfig.BOOTSTRAP_SERVERS, cluster.bootstrapServers());
        settings.put(TrainerConfig.SCHEMA_REGISTRY_URL, cluster.registryUrl());
        settings.put(TrainerConfig.DATA_DIR, dataDir.toString());
        settings.put(TrainerConfig.HTTP_PORT, 0);
        settings.put(TrainerConfig.POLL_TIMEOUT_MS, 200L);
        settings.put(TrainerConfig.COMMIT_INTERVAL_MS, 200L);
        // these tests count the images trained on: no held-out slice unless a test asks for one
        settings.put(TrainerConfig.HELD_OUT_EVERY, 0);
        settings.putAll(overrides);
        return settings;
    }
}
