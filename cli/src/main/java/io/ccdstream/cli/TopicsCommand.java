package io.ccdstream.cli;

import io.ccdstream.embedded.EnsureTopicsResult;
import io.ccdstream.embedded.TopicAdmin;
import io.ccdstream.topics.CcdTopics;
import io.ccdstream.topics.RegistrySerdes;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Creates the pipeline's topics with their settings on an existing cluster. */
@Command(
        name = "topics",
        mixinStandardHelpOptions = true,
        description = "Create the pipeline's topics (names, partitions, compaction, record size) if missing,"
                + " and register their key and value schemas when a schema registry is given.")
final class TopicsCommand implements Callable<Integer> {

    @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT[,...]")
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
            description = "Schema registry to register every topic's key and value schema with after creating"
                    + " the topics (idempotent), for writers running with auto.register.schemas=false.")
    String schemaRegistryUrl;

    @Override
    public Integer call() {
        EnsureTopicsResult result = TopicAdmin.ensureTopics(
                bootstrapServers, CcdTopics.specs(partitions, replicationFactor, deadLetterTopic));
        System.out.println(result);
        if (schemaRegistryUrl != null && !schemaRegistryUrl.isBlank()) {
            Map<String, Integer> ids =
                    new RegistrySerdes(Map.of("schema.registry.url", schemaRegistryUrl)).registerAll();
            System.out.println("Registered schemas: " + ids);
        }
        return 0;
    }
}
