package io.ccdstream.cli;

import io.ccdstream.streams.CcdStreamsConfig;
import io.ccdstream.streams.pipeline.PipelineConfig;
import io.ccdstream.trainer.TrainerConfig;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * The settings every command's {@code --config KEY=VALUE}, {@code --config-file} and {@code CCD_*}
 * environment variables accept: the documented keys of the cluster ({@link CcdStreamsConfig}), of
 * the labelling services ({@link PipelineConfig}) and of the trainer ({@link TrainerConfig}), plus
 * pass-through settings: {@code kafka.*} for the Kafka clients, {@code schema.registry.*} and
 * {@code basic.auth.*} for the registry client. Anything else is refused, naming the key.
 */
final class ConfigKeys {

    /** Prefix of the environment variables that carry settings. */
    static final String ENVIRONMENT_PREFIX = "CCD_";

    /** Prefixes of settings passed on to the Kafka and registry clients, not checked here. */
    static final List<String> PASS_THROUGH_PREFIXES =
            List.of(CcdStreamsConfig.PASS_THROUGH_PREFIX, "schema.registry.", "basic.auth.");

    /** Keys the commands derive from the class set; setting them would break the scorer-trainer agreement. */
    private static final Set<String> DERIVED = Set.of(TrainerConfig.CLASS_SET_ID, TrainerConfig.CLASS_NAMES);

    private static final Map<String, ConfigDef.ConfigKey> KEYS = keys();
    private static final Map<String, String> KEY_OF_VARIABLE = variables();

    private ConfigKeys() {}

    private static Map<String, ConfigDef.ConfigKey> keys() {
        Map<String, ConfigDef.ConfigKey> keys = new LinkedHashMap<>();
        for (ConfigDef definition :
                List.of(CcdStreamsConfig.definition(), PipelineConfig.definition(), TrainerConfig.definition())) {
            definition.configKeys().forEach(keys::putIfAbsent);
        }
        return Collections.unmodifiableMap(keys);
    }

    private static Map<String, String> variables() {
        Map<String, String> variables = new LinkedHashMap<>();
        for (String key : KEYS.keySet()) {
            String previous = variables.put(environmentVariable(key), key);
            if (previous != null) {
                throw new IllegalStateException(key + " and " + previous + " map to the same environment variable");
            }
        }
        return Collections.unmodifiableMap(variables);
    }

    /** Every documented key, cluster first, then pipeline, then trainer. */
    static Set<String> documented() {
        return KEYS.keySet();
    }

    /**
     * The environment variable of {@code key}: {@code CCD_} followed by the key without its
     * {@code ccd.} prefix, upper case, dots as underscores ({@code ccd.alpha} is {@code CCD_ALPHA},
     * {@code bootstrap.servers} is {@code CCD_BOOTSTRAP_SERVERS}).
     */
    static String environmentVariable(String key) {
        String name = key.startsWith("ccd.") ? key.substring("ccd.".length()) : key;
        return ENVIRONMENT_PREFIX + name.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    /**
     * The key an environment variable carries: a documented key's variable, or a pass-through
     * setting such as {@code CCD_KAFKA_SECURITY_PROTOCOL} for {@code kafka.security.protocol}; empty
     * for any other variable (e.g. {@code CCD_JAVA_OPTS}, which the launcher reads).
     */
    static Optional<String> keyOfEnvironmentVariable(String variable) {
        if (!variable.startsWith(ENVIRONMENT_PREFIX)) {
            return Optional.empty();
        }
        String key = KEY_OF_VARIABLE.get(variable);
        if (key != null) {
            return Optional.of(key);
        }
        String dotted = variable.substring(ENVIRONMENT_PREFIX.length())
                .toLowerCase(Locale.ROOT)
                .replace('_', '.');
        return isPassThrough(dotted) ? Optional.of(dotted) : Optional.empty();
    }

    private static boolean isPassThrough(String key) {
        return PASS_THROUGH_PREFIXES.stream()
                .anyMatch(prefix -> key.startsWith(prefix) && key.length() > prefix.length());
    }

    /**
     * Refuses a key no command knows, and the keys the commands derive themselves.
     *
     * @param key    the key
     * @param origin where it was given, for the message
     * @throws IllegalArgumentException naming the key and its origin
     */
    static void check(String key, String origin) {
        if (DERIVED.contains(key)) {
            throw new IllegalArgumentException(origin + ": " + key + " cannot be set: the trainer takes its class set"
                    + " from " + PipelineConfig.CLASSES + " and " + PipelineConfig.CLIP_MODEL_DIR);
        }
        if (!KEYS.containsKey(key) && !isPassThrough(key)) {
            throw new IllegalArgumentException(origin + ": unknown setting '" + key + "': expected a key of the"
                    + " README's configuration table (cluster, ccd.* labelling or ccd.trainer.* settings) or a setting"
                    + " passed through to the clients (" + String.join("*, ", PASS_THROUGH_PREFIXES) + "*)");
        }
    }

    /**
     * Parses and validates {@code value} as its documented key's type and validator; pass-through
     * settings are not checked.
     *
     * @throws ConfigException when the value is invalid
     */
    static void validate(String key, Object value) {
        ConfigDef.ConfigKey definition = KEYS.get(key);
        if (definition != null) {
            Object parsed = ConfigDef.parseType(key, value, definition.type);
            if (definition.validator != null) {
                definition.validator.ensureValid(key, parsed);
            }
        }
    }
}
