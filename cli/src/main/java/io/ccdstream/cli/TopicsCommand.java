package io.ccdstream.cli;

import io.ccdstream.embedded.EnsureTopicsResult;
import io.ccdstream.embedded.TopicAdmin;
import io.ccdstream.streams.CcdStreamsConfig;
import io.ccdstream.topics.CcdTopics;
import io.ccdstream.topics.RegistrySerdes;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Creates the pipeline's topics with their settings on an existing cluster. */
@Command(
        name = "topics",
        mixinStandardHelpOptions = true,
        description = "Create the pipeline's topics (names, partitions, compaction, record size) if missing,"
                + " and register their key and value schemas when a schema registry is given.")
final class TopicsCommand implements Callable<Integer> {

    @Option(
            names = "--bootstrap-servers",
            paramLabel = "HOST:PORT[,...]",
            description =
                    "Kafka brokers (" + CcdStreamsConfig.BOOTSTRAP_SERVERS + "; required here or in the settings).")
    String bootstrapServers;

    @Option(
            names = "--partitions",
            defaultValue = "4",
            description = "Partitions of the per-image topics (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(
            names = "--replication-factor",
            defaultValue = "1",
            description = "Replication factor (default ${DEFAULT-VALUE}).")
    short replicationFactor;

    @Option(
            names = "--dlq-topic",
            defaultValue = CcdTopics.DEAD_LETTERS,
            description = "Dead-letter topic (default ${DEFAULT-VALUE}).")
    String deadLetterTopic;

    @Option(
            names = "--schema-registry-url",
            paramLabel = "URL",
            description = "Schema registry (" + CcdStreamsConfig.SCHEMA_REGISTRY_URL + ", also from the settings) to"
                    + " register every topic's key and value schema with after creating the topics (idempotent),"
                    + " for writers running with auto.register.schemas=false.")
    String schemaRegistryUrl;

    @Mixin
    ConfigOptions configOptions;

    @Override
    public Integer call() {
        CommandSettings given = configOptions.settings();
        if (bootstrapServers != null) {
            given.put(CcdStreamsConfig.BOOTSTRAP_SERVERS, bootstrapServers, "--bootstrap-servers");
        }
        if (schemaRegistryUrl != null) {
            given.put(CcdStreamsConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl, "--schema-registry-url");
        }
        EnsureTopicsResult result = TopicAdmin.ensureTopics(
                given.bootstrapServers(),
                CcdTopics.specs(partitions, replicationFactor, deadLetterTopic),
                given.kafkaClientSettings());
        System.out.println(result);
        if (given.has(CcdStreamsConfig.SCHEMA_REGISTRY_URL)) {
            Map<String, Integer> ids = new RegistrySerdes(given.streams().serdeSettings()).registerAll();
            System.out.println("Registered schemas: " + ids);
        }
        return 0;
    }
}
