package io.ccdstream.streams.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ccdstream.embedded.SecuredListener;
import io.ccdstream.models.clip.ClassSet;
import io.ccdstream.streams.CcdStreamsConfig;
import io.ccdstream.streams.pipeline.Pipeline;
import io.ccdstream.streams.pipeline.PipelineSettings;
import io.ccdstream.testsupport.TestCluster;
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
 * A Kafka Streams service of the pipeline on a SASL_PLAINTEXT listener: with the right credentials in the
 * {@code kafka.*} pass-through it runs (exactly-once: its transactional producer and its group are
 * authenticated), with wrong ones {@link Pipeline#start} fails fast naming the cause.
 */
class SecuredPipelineIT {

    private static final ClassSet CLASS_SET =
            ClassSet.of("test-model", List.of("cat", "dog", "bird"), List.of("a photo of the {class}"));

    @TempDir
    static Path dir;

    private static TestCluster cluster;

    @BeforeAll
    static void start() {
        cluster = TestCluster.start(
                dir.resolve("cluster"), 1, SecuredListener.saslPlaintext("SASL", Map.of("ccd", "ccd-secret")));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void shouldRunTheBiasServiceWithScramCredentials() throws Exception {
        try (Pipeline pipeline =
                Pipeline.start(config("run", "ccd-secret"), settings(), List.of(Pipeline.Service.bias))) {
            Thread.sleep(2_000);
            assertThat(pipeline.isAlive()).isTrue();
            assertThat(pipeline.failure()).isEmpty();
        }
    }

    @Test
    void shouldFailFastNamingSaslWhenThePasswordIsWrong() {
        long started = System.nanoTime();

        assertThatThrownBy(() -> Pipeline.start(config("wrong", "not-it"), settings(), List.of(Pipeline.Service.bias))
                        .close())
                .hasMessageContaining("SASL authentication with the cluster failed");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
    }

    private static CcdStreamsConfig config(String name, String password) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(CcdStreamsConfig.BOOTSTRAP_SERVERS, cluster.bootstrapServers("SASL"));
        settings.put(CcdStreamsConfig.SCHEMA_REGISTRY_URL, cluster.registryUrl());
        settings.put(CcdStreamsConfig.STATE_DIR, dir.resolve("streams-" + name).toString());
        settings.put(CcdStreamsConfig.APPLICATION_ID_PREFIX, "ccd-" + name);
        settings.put("kafka.security.protocol", "SASL_PLAINTEXT");
        settings.put("kafka.sasl.mechanism", "SCRAM-SHA-256");
        settings.put(
                "kafka.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"ccd\" password=\""
                        + password + "\";");
        return new CcdStreamsConfig(settings);
    }

    private static PipelineSettings settings() {
        return PipelineSettings.defaults(dir.resolve("no-model"), CLASS_SET);
    }
}
