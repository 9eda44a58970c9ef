package io.ccdstream.cli;

import io.ccdstream.streams.CcdStreamsConfig;
import io.ccdstream.streams.pipeline.PipelineConfig;
import io.ccdstream.streams.pipeline.PipelineSettings;
import io.ccdstream.trainer.TrainerConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.common.config.ConfigException;

/**
 * The settings of one command run, gathered from the lowest precedence to the highest: configuration
 * files, {@code CCD_*} environment variables, {@code --config KEY=VALUE}, then the command's own
 * options; a later source replaces an earlier one's value. Each value remembers where it came from,
 * so that an invalid one is reported with its origin. The configurations of the cluster, of the
 * labelling services and of the trainer are all read from the same settings.
 */
final class CommandSettings {

    private final Map<String, Object> values = new LinkedHashMap<>();
    private final Map<String, String> origins = new HashMap<>();

    /**
     * Sets {@code key}, replacing what an earlier source set.
     *
     * @param origin where the value comes from, e.g. {@code --alpha} or {@code environment variable CCD_ALPHA}
     * @throws IllegalArgumentException when no command knows {@code key}
     */
    CommandSettings put(String key, Object value, String origin) {
        ConfigKeys.check(key, origin);
        values.put(key, value);
        origins.put(key, origin);
        return this;
    }

    /** Whether some source set {@code key}. */
    boolean has(String key) {
        return values.containsKey(key);
    }

    /**
     * Every value set, checked against its key's type and validator.
     *
     * @throws IllegalArgumentException naming the key, the value and where it was given
     */
    Map<String, Object> values() {
        values.forEach((key, value) -> {
            try {
                ConfigKeys.validate(key, value);
            } catch (ConfigException e) {
                // the message is the whole story: no cause, which the command line would print again
                throw new IllegalArgumentException(e.getMessage() + " (given by " + origins.get(key) + ")");
            }
        });
        return new LinkedHashMap<>(values);
    }

    /** The labelling settings of the scorer, bias and labeler. */
    PipelineConfig pipeline() {
        return build(values(), PipelineConfig::new);
    }

    /**
     * The cluster settings of commands that use an existing cluster.
     *
     * @throws IllegalArgumentException when the brokers or the registry are not set
     */
    CcdStreamsConfig streams() {
        requireSet(CcdStreamsConfig.BOOTSTRAP_SERVERS, "--bootstrap-servers");
        requireSet(CcdStreamsConfig.SCHEMA_REGISTRY_URL, "--schema-registry-url");
        return build(values(), CcdStreamsConfig::new);
    }

    /**
     * The cluster settings of commands that start their own broker and registry: theirs replace any
     * configured, and the state lives in {@code stateDir} unless {@value CcdStreamsConfig#STATE_DIR}
     * is set.
     */
    CcdStreamsConfig streams(String bootstrapServers, String registryUrl, Path stateDir) {
        Map<String, Object> settings = values();
        settings.put(CcdStreamsConfig.BOOTSTRAP_SERVERS, bootstrapServers);
        settings.put(CcdStreamsConfig.SCHEMA_REGISTRY_URL, registryUrl);
        settings.putIfAbsent(CcdStreamsConfig.STATE_DIR, stateDir.toString());
        return build(settings, CcdStreamsConfig::new);
    }

    /**
     * What a trainer started beside services with {@code settings} takes from these settings (it keeps
     * the {@code ccd.trainer.*} and {@code kafka.*} ones): all of them, plus the claim-check size limit
     * of the services unless {@value TrainerConfig#CLAIM_CHECK_MAX_BYTES} is set.
     */
    Map<String, Object> trainerOverrides(PipelineSettings settings) {
        Map<String, Object> overrides = values();
        overrides.putIfAbsent(
                TrainerConfig.CLAIM_CHECK_MAX_BYTES, settings.claimChecks().maxFetchBytes());
        return overrides;
    }

    /**
     * The {@code kafka.*} settings without their prefix (security, client tuning...), for the Kafka clients
     * of commands that need no other cluster setting.
     */
    Map<String, Object> kafkaClientSettings() {
        Map<String, Object> clients = new LinkedHashMap<>();
        values().forEach((key, value) -> {
            if (key.startsWith(CcdStreamsConfig.PASS_THROUGH_PREFIX)) {
                clients.put(key.substring(CcdStreamsConfig.PASS_THROUGH_PREFIX.length()), value);
            }
        });
        return clients;
    }

    /**
     * The brokers, from {@code --bootstrap-servers} or the settings.
     *
     * @throws IllegalArgumentException when they are not set
     */
    String bootstrapServers() {
        requireSet(CcdStreamsConfig.BOOTSTRAP_SERVERS, "--bootstrap-servers");
        return String.valueOf(values().get(CcdStreamsConfig.BOOTSTRAP_SERVERS));
    }

    /** The {@code ccd.trainer.*} and {@code kafka.*} settings, for a trainer started with settings of its own. */
    Map<String, Object> trainerSettings() {
        Map<String, Object> trainer = new LinkedHashMap<>();
        values().forEach((key, value) -> {
            if (key.startsWith("ccd.trainer.") || key.startsWith(TrainerConfig.PASS_THROUGH_PREFIX)) {
                trainer.put(key, value);
            }
        });
        return trainer;
    }

    private void requireSet(String key, String option) {
        if (!has(key)) {
            throw new IllegalArgumentException(key + " is not set: give " + option + ", or " + key + " with --config,"
                    + " in a --config-file or as " + ConfigKeys.environmentVariable(key));
        }
    }

    /** Builds a configuration, naming the origin of the value a cross-key rule refused. */
    private <T> T build(Map<String, Object> settings, Function<Map<String, Object>, T> config) {
        try {
            return config.apply(settings);
        } catch (ConfigException e) {
            String message = e.getMessage();
            String origin = origins.entrySet().stream()
                    .filter(o -> message != null && message.contains("configuration " + o.getKey() + ":"))
                    .map(Map.Entry::getValue)
                    .findFirst()
                    .orElse(null);
            throw new IllegalArgumentException(origin == null ? message : message + " (given by " + origin + ")");
        }
    }
}
