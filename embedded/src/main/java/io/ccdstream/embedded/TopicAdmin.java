package io.ccdstream.embedded;

import io.ccdstream.topics.ClusterAccess;
import io.ccdstream.topics.TopicSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a cluster's topics match a list of {@link TopicSpec}s, idempotently, so every start of the pipeline can
 * call it.
 *
 * <ul>
 *   <li>A missing topic is created with its partitions, replication factor and configs. A topic created
 *       concurrently by someone else ({@link TopicExistsException}) is treated as existing.</li>
 *   <li>An existing topic whose configs differ from the spec is <em>updated</em> with
 *       {@code incrementalAlterConfigs} (SET of the differing keys only; keys absent from the spec are left alone),
 *       and the change is logged at WARN: the spec is the source of truth, e.g. for {@code cleanup.policy=compact}
 *       on a topic that a producer auto-created with the broker defaults.</li>
 *   <li>An existing topic whose partition count or replication factor differs is only logged at WARN and left as
 *       is: adding partitions would move keys to other partitions, and neither change is safe to do
 *       automatically.</li>
 * </ul>
 *
 * Every admin call is bounded by {@link #OPERATION_TIMEOUT}; failures raise {@link TopicAdminException} naming
 * the topic.
 */
public final class TopicAdmin {

    /** Bound on each admin request. */
    public static final Duration OPERATION_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(TopicAdmin.class);

    private TopicAdmin() {}

    /**
     * Connects to {@code bootstrapServers} with a plaintext Admin client and ensures the topics; see the class
     * comment for what happens to existing topics.
     *
     * @param bootstrapServers the cluster's {@code bootstrap.servers}
     * @param specs            the topics, with distinct names
     * @return which topics were created, reconfigured or left unchanged
     * @throws TopicAdminException      if a topic cannot be created, described or reconfigured
     * @throws IllegalArgumentException if two specs share a name
     */
    public static EnsureTopicsResult ensureTopics(String bootstrapServers, List<TopicSpec> specs) {
        return ensureTopics(bootstrapServers, specs, Map.of());
    }

    /**
     * Connects to {@code bootstrapServers} with an Admin client configured by {@code clientSettings} (Kafka's
     * own names, e.g. {@code security.protocol}, {@code sasl.jaas.config}; applied last) and ensures the topics;
     * see the class comment for what happens to existing topics.
     *
     * @param bootstrapServers the cluster's {@code bootstrap.servers}
     * @param specs            the topics, with distinct names
     * @param clientSettings   further Admin client settings, such as those of a secured cluster
     * @return which topics were created, reconfigured or left unchanged
     * @throws TopicAdminException      if a topic cannot be created, described or reconfigured, or the client
     *                                  cannot authenticate (the message then names the cause)
     * @throws IllegalArgumentException if two specs share a name
     */
    public static EnsureTopicsResult ensureTopics(
            String bootstrapServers, List<TopicSpec> specs, Map<String, ?> clientSettings) {
        int timeoutMs = (int) OPERATION_TIMEOUT.toMillis();
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(timeoutMs, 15_000));
        settings.putAll(clientSettings);
        settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(settings)) {
            return ensureTopics(admin, specs);
        }
    }

    /**
     * Ensures the topics with a caller-owned Admin client (e.g. one configured for a secured cluster); see the
     * class comment for what happens to existing topics. The client is not closed.
     *
     * @param admin an Admin client of the target cluster
     * @param specs the topics, with distinct names
     * @return which topics were created, reconfigured or left unchanged
     * @throws TopicAdminException      if a topic cannot be created, described or reconfigured
     * @throws IllegalArgumentException if two specs share a name
     */
    public static EnsureTopicsResult ensureTopics(Admin admin, List<TopicSpec> specs) {
        Map<String, TopicSpec> byName = indexByName(specs);
        List<String> created = new ArrayList<>();
        List<TopicSpec> existing = createMissing(admin, byName.values(), created);
        if (existing.isEmpty()) {
            return new EnsureTopicsResult(created, List.of(), List.of());
        }
        warnOnLayoutMismatch(admin, existing);
        List<String> reconfigured = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        Map<String, Config> actual = describeConfigs(admin, existing);
        for (TopicSpec spec : existing) {
            Map<String, String> differences = differences(spec, actual.get(spec.name()));
            if (differences.isEmpty()) {
                unchanged.add(spec.name());
            } else {
                alterConfigs(admin, spec.name(), differences);
                reconfigured.add(spec.name());
            }
        }
        return new EnsureTopicsResult(created, reconfigured, unchanged);
    }

    private static Map<String, TopicSpec> indexByName(List<TopicSpec> specs) {
        return specs.stream()
                .collect(Collectors.toMap(
                        TopicSpec::name,
                        Function.identity(),
                        (a, b) -> {
                            throw new IllegalArgumentException("Topic '" + a.name() + "' is specified twice");
                        },
                        LinkedHashMap::new));
    }

    private static List<TopicSpec> createMissing(Admin admin, Collection<TopicSpec> specs, List<String> created) {
        CreateTopicsResult result =
                admin.createTopics(specs.stream().map(TopicSpec::toNewTopic).toList());
        List<TopicSpec> existing = new ArrayList<>();
        for (TopicSpec spec : specs) {
            try {
                await(result.values().get(spec.name()), spec.name(), "create");
                LOG.info(
                        "Created topic '{}' ({} partitions, replication factor {}, configs {})",
                        spec.name(),
                        spec.partitions(),
                        spec.replicationFactor(),
                        spec.configs());
                created.add(spec.name());
            } catch (TopicAdminException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
                existing.add(spec);
            }
        }
        return existing;
    }

    private static void warnOnLayoutMismatch(Admin admin, List<TopicSpec> specs) {
        Map<String, KafkaFuture<TopicDescription>> descriptions = admin.describeTopics(
                        specs.stream().map(TopicSpec::name).toList())
                .topicNameValues();
        for (TopicSpec spec : specs) {
            TopicDescription description = await(descriptions.get(spec.name()), spec.name(), "describe");
            int partitions = description.partitions().size();
            int replicas = description.partitions().get(0).replicas().size();
            if (partitions != spec.partitions() || replicas != spec.replicationFactor()) {
                LOG.warn(
                        "Topic '{}' has {} partitions and replication factor {}, the spec asks for {} and {};"
                                + " left unchanged (change it by hand if intended)",
                        spec.name(),
                        partitions,
                        replicas,
                        spec.partitions(),
                        spec.replicationFactor());
            }
        }
    }

    private static Map<String, Config> describeConfigs(Admin admin, List<TopicSpec> specs) {
        Map<ConfigResource, KafkaFuture<Config>> futures = admin.describeConfigs(
                        specs.stream().map(spec -> topicResource(spec.name())).toList())
                .values();
        Map<String, Config> configs = new LinkedHashMap<>();
        futures.forEach((resource, future) ->
                configs.put(resource.name(), await(future, resource.name(), "describe the configs of")));
        return configs;
    }

    /** The spec's configs whose current values differ; list values are compared without spaces. */
    private static Map<String, String> differences(TopicSpec spec, Config actual) {
        Map<String, String> differences = new LinkedHashMap<>();
        spec.configs().forEach((key, wanted) -> {
            ConfigEntry entry = actual.get(key);
            String current = entry == null ? null : entry.value();
            if (current == null || !normalize(current).equals(normalize(wanted))) {
                LOG.warn("Topic '{}' has {}={}, the spec asks for {}; updating it", spec.name(), key, current, wanted);
                differences.put(key, wanted);
            }
        });
        return differences;
    }

    private static String normalize(String value) {
        return value.replaceAll("\\s*,\\s*", ",").strip();
    }

    private static void alterConfigs(Admin admin, String topic, Map<String, String> configs) {
        List<AlterConfigOp> ops = configs.entrySet().stream()
                .map(e -> new AlterConfigOp(new ConfigEntry(e.getKey(), e.getValue()), AlterConfigOp.OpType.SET))
                .toList();
        ConfigResource resource = topicResource(topic);
        await(
                admin.incrementalAlterConfigs(Map.of(resource, ops)).values().get(resource),
                topic,
                "update the configs " + configs + " of");
    }

    private static ConfigResource topicResource(String topic) {
        return new ConfigResource(ConfigResource.Type.TOPIC, topic);
    }

    private static <T> T await(KafkaFuture<T> future, String topic, String action) {
        try {
            return future.get(OPERATION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Optional<ClusterAccess.ClusterAccessException> denied =
                    ClusterAccess.explain(e.getCause(), action + " topic '" + topic + "'");
            if (denied.isPresent()) {
                throw new TopicAdminException(topic, denied.get().getMessage(), e.getCause());
            }
            throw new TopicAdminException(
                    topic,
                    "Cannot " + action + " topic '" + topic + "': "
                            + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new TopicAdminException(
                    topic,
                    "Timed out after " + OPERATION_TIMEOUT + " trying to " + action + " topic '" + topic + "'",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TopicAdminException(topic, "Interrupted while trying to " + action + " topic '" + topic + "'", e);
        }
    }
}
