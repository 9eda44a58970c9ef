package io.ccdstream.cli;

import io.ccdstream.streams.CcdStreamsConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Where the Kafka cluster and the schema registry are, for commands that use an existing one. */
final class ClusterOptions {

    @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT[,...]",
        description = "Kafka brokers.")
    String bootstrapServers;

    @Option(names = "--schema-registry-url", required = true, paramLabel = "URL[,...]",
        description = "Confluent-compatible schema registry.")
    String schemaRegistryUrl;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "Kafka Streams state directory.")
    Path stateDir;

    @Option(names = "--config", paramLabel = "KEY=VALUE",
        description = "Any further setting (see the README's configuration table); repeatable.")
    Map<String, String> extra = new HashMap<>();

    /** The streams settings these options describe. */
    CcdStreamsConfig streamsConfig() {
        Map<String, Object> settings = new HashMap<>(extra);
        settings.put(CcdStreamsConfig.BOOTSTRAP_SERVERS, bootstrapServers);
        settings.put(CcdStreamsConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl);
        if (stateDir != null) {
            settings.put(CcdStreamsConfig.STATE_DIR, stateDir.toString());
        }
        return new CcdStreamsConfig(settings);
    }
}
