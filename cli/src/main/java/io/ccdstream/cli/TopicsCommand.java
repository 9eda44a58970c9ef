package io.ccdstream.cli;

import io.ccdstream.embedded.EnsureTopicsResult;
import io.ccdstream.embedded.TopicAdmin;
import io.ccdstream.streams.CcdStreamsConfig;
import io.ccdstream.topics.CcdTopics;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Creates the pipeline's topics with their settings on an existing cluster. */
@Command(
        name = "topics",
        mixinStandardHelpOptions = true,
        description = "Create the pipeline's topics (names, partitions, compaction, record size) if missing.")
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

    @Mixin
    ConfigOptions configOptions;

    @Override
    public Integer call() {
        CommandSettings given = configOptions.settings();
        if (bootstrapServers != null) {
            given.put(CcdStreamsConfig.BOOTSTRAP_SERVERS, bootstrapServers, "--bootstrap-servers");
        }
        EnsureTopicsResult result = TopicAdmin.ensureTopics(
                given.bootstrapServers(),
                CcdTopics.specs(partitions, replicationFactor, deadLetterTopic),
                given.kafkaClientSettings());
        System.out.println(result);
        return 0;
    }
}
