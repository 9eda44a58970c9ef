package io.ccdstream.cli;

import io.ccdstream.processors.scoring.LocalViews;
import io.ccdstream.streams.pipeline.PipelineSettings;
import io.ccdstream.trainer.TrainerConfig;
import io.ccdstream.trainer.TrainerService;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Starts the trainer of a command's class set, with the same claim-check rules as its scorer and a
 * schedule that matches its local views.
 */
final class Trainers {

    private Trainers() {
    }

    /**
     * Starts a trainer.
     *
     * @param overrides further trainer settings ({@code ccd.trainer.*}, {@code kafka.*}), applied last
     */
    static TrainerService start(String bootstrapServers, String registryUrl, PipelineSettings settings, Path dataDir,
        Map<String, ?> overrides) throws IOException {
        Map<String, Object> config = new HashMap<>();
        config.put(TrainerConfig.BOOTSTRAP_SERVERS, bootstrapServers);
        config.put(TrainerConfig.SCHEMA_REGISTRY_URL, registryUrl);
        config.put(TrainerConfig.DATA_DIR, dataDir.toString());
        config.put(TrainerConfig.CLAIM_CHECK_ALLOWED_ROOTS, settings.claimChecks().allowedFileRoots().stream()
            .map(Path::toString).collect(Collectors.joining(",")));
        config.put(TrainerConfig.CLAIM_CHECK_ALLOWED_HOSTS, String.join(",", settings.claimChecks().allowedHosts()));
        config.put(TrainerConfig.CLAIM_CHECK_TIMEOUT_MS, settings.claimChecks().fetchTimeout().toMillis());
        // without CAM crops no label is ever refined with a checkpoint: refine on the labels as they are
        config.put(TrainerConfig.REFINE_WAIT_FOR_CAM_LABELS, settings.refinement().localViews() == LocalViews.CAM);
        overrides.forEach((key, value) -> {
            if (key.startsWith("ccd.trainer.") || key.startsWith(TrainerConfig.PASS_THROUGH_PREFIX)) {
                config.put(key, value);
            }
        });
        return TrainerService.start(TrainerConfig.forClassSet(settings.classSet(), config));
    }
}
