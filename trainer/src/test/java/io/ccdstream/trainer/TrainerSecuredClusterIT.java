package io.ccdstream.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.ccdstream.embedded.SecuredListener;
import io.ccdstream.testsupport.TestCluster;
import io.ccdstream.topics.ClusterAccess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer on a SASL_PLAINTEXT listener: its consumers, its transactional checkpoint producer and its
 * dead-letter producer all take the {@code kafka.*} pass-through.
 */
class TrainerSecuredClusterIT {

    @TempDir
    static Path dir;

    private static TestCluster cluster;

    @BeforeAll
    static void start() {
        cluster = TestCluster.start(
                dir.resolve("cluster"), 1, SecuredListener.saslPlaintext("SASL", Map.of("trainer", "trainer-secret")));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void shouldStartAndKeepRunningWithPlainCredentials() throws Exception {
        try (TrainerService trainer = TrainerService.start(config("right", "trainer-secret"))) {
            Thread.sleep(2_000);
            assertThat(trainer.isAlive()).isTrue();
            assertThat(trainer.failure()).isEmpty();
        }
    }

    @Test
    void shouldFailFastWithAWrongPassword() {
        long started = System.nanoTime();

        Throwable failure = catchThrowable(
                () -> TrainerService.start(config("wrong", "not-it")).close());

        assertThat(failure).isNotNull();
        assertThat(ClusterAccess.explain(failure, "start the trainer"))
                .hasValueSatisfying(e -> assertThat(e.getMessage()).contains("SASL authentication"));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
    }

    private static TrainerConfig config(String name, String password) {
        Map<String, Object> overrides = new HashMap<>();
        overrides.put(TrainerConfig.BOOTSTRAP_SERVERS, cluster.bootstrapServers("SASL"));
        overrides.put(TrainerConfig.CLASS_SET_ID, "secured-" + name);
        overrides.put(TrainerConfig.CLASS_NAMES, List.of("cat", "dog"));
        overrides.put(TrainerConfig.WARMUP_MIN_IMAGES, 1_000_000);
        overrides.put("kafka.security.protocol", "SASL_PLAINTEXT");
        overrides.put("kafka.sasl.mechanism", "PLAIN");
        overrides.put(
                "kafka.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"trainer\" password=\""
                        + password + "\";");
        return new TrainerConfig(TrainerTestSettings.of(cluster, dir.resolve("trainer-" + name), overrides));
    }
}
