package io.ccdstream.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ccdstream.topics.TopicSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TopicAdminIT {

    @TempDir
    static Path dataDir;

    private static EmbeddedKafkaBroker broker;
    private static Admin admin;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start(
                EmbeddedKafkaConfig.builder().setDataDir(dataDir).build());
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    @AfterAll
    static void stopBroker() {
        admin.close();
        broker.close();
    }

    @Test
    void shouldCreateCompactedAndLargeMessageTopicsWithTheirConfigs() throws Exception {
        // Given
        TopicSpec compacted = new TopicSpec("compacted", 3, (short) 1, Map.of("cleanup.policy", "compact"));
        TopicSpec large = new TopicSpec("large", 2, (short) 1, Map.of("max.message.bytes", "2097152"));
        // When
        EnsureTopicsResult result = TopicAdmin.ensureTopics(broker.bootstrapServers(), List.of(compacted, large));
        // Then
        assertThat(result.created()).containsExactly("compacted", "large");
        assertThat(describeConfig("compacted").get("cleanup.policy").value()).isEqualTo("compact");
        assertThat(describeConfig("large").get("max.message.bytes").value()).isEqualTo("2097152");
        assertThat(describeTopic("compacted").partitions()).hasSize(3);
        assertThat(describeTopic("large").partitions()).hasSize(2);
    }

    @Test
    void shouldLeaveMatchingExistingTopicUnchanged() {
        List<TopicSpec> specs = List.of(new TopicSpec("stable", 1, (short) 1, Map.of("retention.ms", "60000")));
        TopicAdmin.ensureTopics(admin, specs);

        EnsureTopicsResult again = TopicAdmin.ensureTopics(admin, specs);

        assertThat(again.created()).isEmpty();
        assertThat(again.reconfigured()).isEmpty();
        assertThat(again.unchanged()).containsExactly("stable");
    }

    @Test
    void shouldUpdateConfigOfExistingTopicThatDiffersFromSpec() throws Exception {
        // Given: created elsewhere with the broker defaults (delete policy)
        admin.createTopics(List.of(new NewTopic("drifted", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        // When
        EnsureTopicsResult result = TopicAdmin.ensureTopics(
                admin, List.of(new TopicSpec("drifted", 1, (short) 1, Map.of("cleanup.policy", "compact"))));
        // Then
        assertThat(result.reconfigured()).containsExactly("drifted");
        // the controller has committed the change; the broker answering describeConfigs applies it a moment later
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(
                                describeConfig("drifted").get("cleanup.policy").value())
                        .isEqualTo("compact"));
    }

    @Test
    void shouldNameTopicWhenCreationFails() {
        TopicSpec invalid = new TopicSpec("bad-config", 1, (short) 1, Map.of("cleanup.policy", "shred"));

        assertThatThrownBy(() -> TopicAdmin.ensureTopics(admin, List.of(invalid)))
                .isInstanceOf(TopicAdminException.class)
                .hasMessageContaining("'bad-config'")
                .extracting(e -> ((TopicAdminException) e).topic())
                .isEqualTo("bad-config");
    }

    @Test
    void shouldNameTopicWhenReplicationFactorExceedsBrokerCount() {
        TopicSpec tooManyReplicas = new TopicSpec("replicated", 1, (short) 3, Map.of());

        assertThatThrownBy(() -> TopicAdmin.ensureTopics(admin, List.of(tooManyReplicas)))
                .isInstanceOf(TopicAdminException.class)
                .hasMessageContaining("'replicated'");
    }

    @Test
    void shouldRejectTwoSpecsWithSameName() {
        TopicSpec spec = new TopicSpec("twice", 1, (short) 1, Map.of());

        assertThatThrownBy(() -> TopicAdmin.ensureTopics(admin, List.of(spec, spec)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'twice'");
    }

    @Test
    void shouldRejectSpecWithoutPartitions() {
        assertThatThrownBy(() -> new TopicSpec("empty", 0, (short) 1, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'empty'");
    }

    private static Config describeConfig(String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(resource))
                .all()
                .get(30, TimeUnit.SECONDS)
                .get(resource);
    }

    private static TopicDescription describeTopic(String topic) throws Exception {
        return admin.describeTopics(List.of(topic))
                .allTopicNames()
                .get(30, TimeUnit.SECONDS)
                .get(topic);
    }
}
