package io.ccdstream.trainer;

import io.ccdstream.models.clip.ClassSet;
import io.ccdstream.topics.ImageBytes;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Starts the trainer of a command's class set, with the same claim-check rules as its scorer and a
 * schedule that matches its local views.
 */
public final class Trainers {

    private Trainers() {}

    /**
     * Starts a trainer.
     *
     * @param claimChecks      where the images' claim checks may point, as for the scorer
     * @param waitForCamLabels whether refinement waits for labels refined with CAM crops (false when the
     *                         scorer makes none)
     * @param overrides further trainer settings ({@code ccd.trainer.*}, {@code kafka.*}), applied last
     */
    public static TrainerService start(
            String bootstrapServers,
            String registryUrl,
            ClassSet classSet,
            ImageBytes claimChecks,
            boolean waitForCamLabels,
            Path dataDir,
            Map<String, ?> overrides)
            throws IOException {
        return start(bootstrapServers, registryUrl, classSet, claimChecks, waitForCamLabels, dataDir, overrides, null);
    }

    /**
     * Starts a trainer as {@link #start(String, String, ClassSet, ImageBytes, boolean, Path, Map)}, with its
     * gauges and dead-letter counter in {@code metrics}, the registry of the process (null: none).
     */
    public static TrainerService start(
            String bootstrapServers,
            String registryUrl,
            ClassSet classSet,
            ImageBytes claimChecks,
            boolean waitForCamLabels,
            Path dataDir,
            Map<String, ?> overrides,
            MeterRegistry metrics)
            throws IOException {
        Map<String, Object> config = new HashMap<>();
        config.put(TrainerConfig.BOOTSTRAP_SERVERS, bootstrapServers);
        config.put(TrainerConfig.SCHEMA_REGISTRY_URL, registryUrl);
        config.put(TrainerConfig.DATA_DIR, dataDir.toString());
        config.put(
                TrainerConfig.CLAIM_CHECK_ALLOWED_ROOTS,
                claimChecks.allowedFileRoots().stream().map(Path::toString).collect(Collectors.joining(",")));
        config.put(TrainerConfig.CLAIM_CHECK_ALLOWED_HOSTS, String.join(",", claimChecks.allowedHosts()));
        config.put(
                TrainerConfig.CLAIM_CHECK_TIMEOUT_MS, claimChecks.fetchTimeout().toMillis());
        // without CAM crops no label is ever refined with a checkpoint: refine on the labels as they are
        config.put(TrainerConfig.REFINE_WAIT_FOR_CAM_LABELS, waitForCamLabels);
        overrides.forEach((key, value) -> {
            if (key.startsWith("ccd.trainer.") || key.startsWith(TrainerConfig.PASS_THROUGH_PREFIX)) {
                config.put(key, value);
            }
        });
        return TrainerService.start(TrainerConfig.forClassSet(classSet, config), metrics);
    }
}
