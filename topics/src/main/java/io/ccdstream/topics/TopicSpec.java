package io.ccdstream.topics;

import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * What a topic should look like: its name, partition count, replication factor and topic-level configs
 * (Kafka's names, e.g. {@code cleanup.policy=compact}, {@code max.message.bytes=2097152}).
 *
 * @param name              the topic name
 * @param partitions        the partition count, at least 1
 * @param replicationFactor the replication factor, at least 1
 * @param configs           topic-level configs; copied, may be empty
 */
public record TopicSpec(String name, int partitions, short replicationFactor, Map<String, String> configs) {

    /**
     * Validates the spec and copies the configs.
     *
     * @param name              the topic name
     * @param partitions        the partition count, at least 1
     * @param replicationFactor the replication factor, at least 1
     * @param configs           topic-level configs
     * @throws IllegalArgumentException if the name is blank or a count is below 1
     */
    public TopicSpec {
        Objects.requireNonNull(name, "topic name must not be null");
        if (name.isBlank()) {
            throw new IllegalArgumentException("topic name must not be blank");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException(
                    "topic '" + name + "': partitions must be at least 1, got " + partitions);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException(
                    "topic '" + name + "': replicationFactor must be at least 1, got " + replicationFactor);
        }
        configs = Map.copyOf(Objects.requireNonNull(configs, "topic '" + name + "': configs must not be null"));
    }

    /** The Admin client's request to create this topic. */
    /** The admin request that creates this topic. */
    public NewTopic toNewTopic() {
        return new NewTopic(name, partitions, replicationFactor).configs(configs);
    }
}
