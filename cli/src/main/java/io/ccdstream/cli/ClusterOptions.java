package io.ccdstream.cli;

import io.ccdstream.streams.CcdStreamsConfig;
import picocli.CommandLine.Option;

/**
 * Where the Kafka cluster and the schema registry are, for commands that use an existing one:
 * shortcuts for {@value CcdStreamsConfig#BOOTSTRAP_SERVERS} and
 * {@value CcdStreamsConfig#SCHEMA_REGISTRY_URL}, which may instead come from the command's settings.
 */
final class ClusterOptions {

    @Option(
            names = "--bootstrap-servers",
            paramLabel = "HOST:PORT[,...]",
            description =
                    "Kafka brokers (" + CcdStreamsConfig.BOOTSTRAP_SERVERS + "; required here or in the settings).")
    String bootstrapServers;

    @Option(
            names = "--schema-registry-url",
            paramLabel = "URL[,...]",
            description = "Confluent-compatible schema registry (" + CcdStreamsConfig.SCHEMA_REGISTRY_URL
                    + "; required here or in the settings).")
    String schemaRegistryUrl;

    /** Adds the options given to {@code settings}. */
    void addTo(CommandSettings settings) {
        if (bootstrapServers != null) {
            settings.put(CcdStreamsConfig.BOOTSTRAP_SERVERS, bootstrapServers, "--bootstrap-servers");
        }
        if (schemaRegistryUrl != null) {
            settings.put(CcdStreamsConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl, "--schema-registry-url");
        }
    }
}
