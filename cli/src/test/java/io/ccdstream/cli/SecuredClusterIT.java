package io.ccdstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ccdstream.embedded.SecuredListener;
import io.ccdstream.schemas.Image;
import io.ccdstream.schemas.ImageKey;
import io.ccdstream.testsupport.TestCertificates;
import io.ccdstream.testsupport.TestCluster;
import io.ccdstream.testsupport.TinyClip;
import io.ccdstream.topics.CcdTopics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands against a secured cluster: the test cluster's broker with a SASL_PLAINTEXT listener (PLAIN and
 * SCRAM users) and an SSL listener, settings given as {@code kafka.*} in a properties file or with
 * {@code --config}. Right credentials work end to end; wrong ones fail within 30 s naming the cause.
 */
class SecuredClusterIT {

    private static final String JAAS_PLAIN = "org.apache.kafka.common.security.plain.PlainLoginModule required"
            + " username=\"ingest\" password=\"%s\";";
    private static final String JAAS_SCRAM = "org.apache.kafka.common.security.scram.ScramLoginModule required"
            + " username=\"ingest\" password=\"%s\";";

    @TempDir
    static Path dir;

    private static TestCluster cluster;
    private static TestCertificates certificates;

    @BeforeAll
    static void start() {
        certificates = TestCertificates.generate(dir);
        cluster = TestCluster.start(
                dir.resolve("cluster"),
                2,
                SecuredListener.saslPlaintext("SASL", Map.of("ingest", "ingest-secret")),
                SecuredListener.ssl("TLS", certificates.brokerSsl()));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void shouldCreateTopicsAndIngestWithSaslPlainFromAPropertiesFile() throws IOException {
        Path settings = properties(
                "sasl-plain.properties",
                "kafka.security.protocol=SASL_PLAINTEXT",
                "kafka.sasl.mechanism=PLAIN",
                "kafka.sasl.jaas.config=" + JAAS_PLAIN.formatted("ingest-secret"));

        CommandRun topics = CommandRun.of(
                "topics",
                "--bootstrap-servers",
                cluster.bootstrapServers("SASL"),
                "--config-file",
                settings.toString(),
                "--dlq-topic",
                "ccd.secured.dead-letters");
        assertThat(topics.exit()).as(topics.output()).isZero();
        assertThat(topics.output()).contains("ccd.secured.dead-letters");

        CommandRun ingest = ingest(settings, "--first-index", "100");
        assertThat(ingest.exit()).as(ingest.output()).isZero();
        assertThat(ingest.output()).contains("Sent 2 SynthScenes images");

        List<ConsumerRecord<ImageKey, Image>> images = cluster.read(
                CcdTopics.IMAGES,
                records -> ids(records).containsAll(List.of("synth-1-000100", "synth-1-000101")),
                Duration.ofSeconds(30));
        assertThat(ids(images)).contains("synth-1-000100", "synth-1-000101");
    }

    @Test
    void shouldLogInWithScramFromConfigOptions() {
        CommandRun topics = CommandRun.of(
                "topics",
                "--bootstrap-servers",
                cluster.bootstrapServers("SASL"),
                "--config",
                "kafka.security.protocol=SASL_PLAINTEXT",
                "--config",
                "kafka.sasl.mechanism=SCRAM-SHA-512",
                "--config",
                "kafka.sasl.jaas.config=" + JAAS_SCRAM.formatted("ingest-secret"));

        assertThat(topics.exit()).as(topics.output()).isZero();
        assertThat(topics.output()).contains(CcdTopics.IMAGES.name());
    }

    @Test
    void shouldFailFastNamingTheCauseWhenThePasswordIsWrong() throws IOException {
        Path wrong = properties(
                "wrong.properties",
                "kafka.security.protocol=SASL_PLAINTEXT",
                "kafka.sasl.mechanism=SCRAM-SHA-256",
                "kafka.sasl.jaas.config=" + JAAS_SCRAM.formatted("not-the-password"));

        long started = System.nanoTime();
        CommandRun topics = CommandRun.of(
                "topics", "--bootstrap-servers", cluster.bootstrapServers("SASL"), "--config-file", wrong.toString());
        assertThat(topics.exit()).as(topics.output()).isEqualTo(1);
        assertThat(topics.output()).contains("SASL authentication with the cluster failed");

        CommandRun ingest = ingest(wrong);
        assertThat(ingest.exit()).as(ingest.output()).isEqualTo(1);
        assertThat(ingest.output()).contains("Cannot send images: SASL authentication with the cluster failed");
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).isLessThan(30);
    }

    @Test
    void shouldSpeakTlsToABrokerItTrustsAndFailFastOtherwise() throws IOException {
        Path tls = properties(
                "tls.properties",
                "kafka.security.protocol=SSL",
                "kafka.ssl.truststore.location=" + certificates.truststore(),
                "kafka.ssl.truststore.password=" + certificates.password(),
                "kafka.ssl.truststore.type=PKCS12");
        CommandRun topics = CommandRun.of(
                "topics", "--bootstrap-servers", cluster.bootstrapServers("TLS"), "--config-file", tls.toString());
        assertThat(topics.exit()).as(topics.output()).isZero();
        CommandRun ingest = ingest(tls, "--first-index", "200");
        assertThat(ingest.exit()).as(ingest.output()).isZero();

        long started = System.nanoTime();
        CommandRun untrusted = CommandRun.of(
                "topics",
                "--bootstrap-servers",
                cluster.bootstrapServers("TLS"),
                "--config",
                "kafka.security.protocol=SSL");
        assertThat(untrusted.exit()).as(untrusted.output()).isEqualTo(1);
        assertThat(untrusted.output()).contains("the TLS handshake with the cluster failed");
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).isLessThan(30);
    }

    private static CommandRun ingest(Path settings, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "ingest",
                "synth",
                "--images",
                "2",
                "--bootstrap-servers",
                settings.getFileName().toString().startsWith("tls")
                        ? cluster.bootstrapServers("TLS")
                        : cluster.bootstrapServers("SASL"),
                "--schema-registry-url",
                cluster.registryUrl(),
                "--work-dir",
                dir.resolve("work").toString(),
                "--config",
                "ccd.clip.model.dir=" + TinyClip.modelDir(),
                "--config-file",
                settings.toString()));
        args.addAll(List.of(more));
        return CommandRun.of(args.toArray(String[]::new));
    }

    private static Path properties(String name, String... lines) throws IOException {
        // a properties file reads backslashes as escapes; none of these values has one
        return Files.write(dir.resolve(name), List.of(lines), StandardCharsets.UTF_8);
    }

    private static List<String> ids(List<ConsumerRecord<ImageKey, Image>> records) {
        return records.stream().map(r -> r.key().getImageId()).toList();
    }
}
