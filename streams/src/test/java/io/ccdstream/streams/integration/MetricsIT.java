package io.ccdstream.streams.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ccdstream.data.ImageRecords;
import io.ccdstream.data.synth.SynthClass;
import io.ccdstream.data.synth.SynthScene;
import io.ccdstream.data.synth.SynthScenes;
import io.ccdstream.models.BundledModels;
import io.ccdstream.models.classifier.Classifier;
import io.ccdstream.models.classifier.ClassifierConfig;
import io.ccdstream.models.clip.ClassSet;
import io.ccdstream.models.clip.ClipModel;
import io.ccdstream.schemas.Bias;
import io.ccdstream.schemas.Checkpoint;
import io.ccdstream.schemas.CheckpointMetrics;
import io.ccdstream.schemas.CheckpointPhase;
import io.ccdstream.schemas.ClassSetKey;
import io.ccdstream.schemas.Image;
import io.ccdstream.schemas.ImageKey;
import io.ccdstream.streams.bias.BiasSettings;
import io.ccdstream.streams.labeler.LabelerSettings;
import io.ccdstream.streams.labeler.LabelerTopology;
import io.ccdstream.streams.pipeline.Pipeline;
import io.ccdstream.streams.pipeline.PipelineSettings;
import io.ccdstream.streams.query.QueryServer;
import io.ccdstream.testsupport.PrometheusText;
import io.ccdstream.testsupport.TestCluster;
import io.ccdstream.topics.CcdTopics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline on the in-process broker with the bundled model, scraped on {@code GET /metrics}:
 * every line is in the exposition format, and the counters and gauges tell what the run did (images
 * scored and refined, labels by stage, the corrupt image's dead letter, the bias in use, the checkpoint
 * installed and the one refused).
 */
class MetricsIT {

    private static final int IMAGES = 12;

    @TempDir
    Path dataDir;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void shouldExposeWhatThePipelineDidOnMetrics() throws Exception {
        try (TestCluster cluster = TestCluster.start(dataDir, 2);
                ClipModel clip =
                        ClipModel.load(BundledModels.extract(BundledModels.DEFAULT, dataDir.resolve("models")))) {
            ClassSet classSet = clip.classSet(SynthClass.names());
            PipelineSettings settings = PipelineSettings.defaults(
                            dataDir.resolve("models").resolve(BundledModels.DEFAULT), classSet)
                    // a bias after a few images, whatever their entropy
                    .withBias(new BiasSettings(10, 2, 4, 1000.0))
                    .withLabeler(new LabelerSettings(Duration.ofSeconds(1), 0.05f));
            SynthScenes scenes = new SynthScenes(7, 64, 0.0);
            try (Pipeline pipeline = Pipeline.start(
                            StreamsTestConfig.of(cluster, "metrics"), settings, List.of(Pipeline.Service.values()));
                    QueryServer queries = QueryServer.start(
                            "127.0.0.1",
                            0,
                            pipeline.streams(Pipeline.Service.labeler).orElseThrow(),
                            pipeline.checkpoints()::current,
                            pipeline.metrics())) {
                String cs = classSet.id();
                // Given good images and a corrupt one (valid Avro, a PNG cut in half)
                try (KafkaProducer<ImageKey, Image> producer = cluster.producer(
                        CcdTopics.IMAGES.keySerde(cluster.serdes()).serializer(),
                        CcdTopics.IMAGES.valueSerde(cluster.serdes()).serializer())) {
                    for (int i = 0; i < IMAGES; i++) {
                        SynthScene scene = scenes.generate(i);
                        producer.send(new ProducerRecord<>(
                                CcdTopics.IMAGES.name(), new ImageKey(cs, scene.id()), ImageRecords.synth(scene, cs)));
                    }
                    byte[] png = scenes.generate(IMAGES).png();
                    producer.send(new ProducerRecord<>(
                            CcdTopics.IMAGES.name(),
                            new ImageKey(cs, "corrupt"),
                            ImageRecords.inline(
                                    cs, "corrupt", Arrays.copyOf(png, png.length / 2), "image/png", null, Map.of())));
                }
                AtomicReference<PrometheusText> text = new AtomicReference<>();
                await().atMost(Duration.ofSeconds(120))
                        .pollInterval(Duration.ofMillis(500))
                        .untilAsserted(() -> {
                            text.set(scrape(queries));
                            assertThat(text.get().value("ccd_images_scored_total", "kind", "global"))
                                    .hasValueSatisfying(v -> assertThat(v).isGreaterThanOrEqualTo(IMAGES));
                            assertThat(text.get().value("ccd_labels_total", "stage", "initial"))
                                    .hasValueSatisfying(v -> assertThat(v).isGreaterThanOrEqualTo(IMAGES));
                            assertThat(text.get()
                                            .value(
                                                    "ccd_dead_letters_total",
                                                    "service",
                                                    "scorer",
                                                    "reason",
                                                    "IMAGE_CORRUPT"))
                                    .contains(1.0);
                        });
                assertThat(text.get().value("ccd_checkpoint_version", "class_set", cs))
                        .contains(0.0);
                assertThat(text.get().value("ccd_checkpoints_refused_total", "class_set", cs))
                        .contains(0.0);

                // When a checkpoint is published, then a newer one whose bytes do not match its digest
                Path file = dataDir.resolve("checkpoint-v1.ckpt");
                Classifier classifier = Classifier.create(ClassifierConfig.builder()
                        .setClassNames(classSet.classNames())
                        .optInputSize(64)
                        .optSeed(5)
                        .build());
                String sha = classifier.save(file);
                classifier.close();
                try (KafkaProducer<ClassSetKey, Checkpoint> producer = cluster.producer(
                        CcdTopics.CHECKPOINTS.keySerde(cluster.serdes()).serializer(),
                        CcdTopics.CHECKPOINTS.valueSerde(cluster.serdes()).serializer())) {
                    producer.send(new ProducerRecord<>(
                                    CcdTopics.CHECKPOINTS.name(), new ClassSetKey(cs), checkpoint(cs, 1, file, sha)))
                            .get();
                    await().atMost(Duration.ofSeconds(60))
                            .until(() -> pipeline.checkpoints().current(cs).isPresent());
                    producer.send(new ProducerRecord<>(
                                    CcdTopics.CHECKPOINTS.name(),
                                    new ClassSetKey(cs),
                                    checkpoint(cs, 2, file, "f".repeat(64))))
                            .get();
                }

                // Then the scrape shows the refinement, the checkpoint in use, the refusal and the bias in use
                KafkaStreams labeler =
                        pipeline.streams(Pipeline.Service.labeler).orElseThrow();
                await().atMost(Duration.ofSeconds(120))
                        .pollInterval(Duration.ofMillis(500))
                        .untilAsserted(() -> {
                            text.set(scrape(queries));
                            assertThat(text.get().value("ccd_images_scored_total", "kind", "refined"))
                                    .hasValueSatisfying(v -> assertThat(v).isGreaterThanOrEqualTo(IMAGES));
                            assertThat(text.get().value("ccd_labels_total", "stage", "refined"))
                                    .hasValueSatisfying(v -> assertThat(v).isGreaterThanOrEqualTo(IMAGES));
                            assertThat(text.get().value("ccd_checkpoint_version", "class_set", cs))
                                    .contains(1.0);
                            assertThat(text.get().value("ccd_checkpoints_refused_total", "class_set", cs))
                                    .contains(1.0);
                            Bias bias = currentBias(labeler, cs);
                            assertThat(bias).isNotNull();
                            assertThat(text.get().value("ccd_bias_version", "class_set", cs))
                                    .contains((double) bias.getVersion());
                            for (int c = 0; c < classSet.classNames().size(); c++) {
                                assertThat(text.get()
                                                .value(
                                                        "ccd_bias_value",
                                                        "class_set",
                                                        cs,
                                                        "class",
                                                        classSet.classNames().get(c)))
                                        .contains((double) bias.getBias().get(c));
                            }
                        });
                PrometheusText last = text.get();
                assertThat(last.value("ccd_scoring_batch_latency_seconds_count"))
                        .hasValueSatisfying(v -> assertThat(v).isPositive());
                assertThat(last.find("ccd_scoring_batch_latency_seconds_bucket"))
                        .isNotEmpty();
                assertThat(last.value("ccd_clip_inferences_per_image_count"))
                        .hasValueSatisfying(v -> assertThat(v).isGreaterThanOrEqualTo(2 * IMAGES));
                assertThat(last.find("jvm_memory_used_bytes")).isNotEmpty();
                assertThat(last.find("process_uptime_seconds")).isNotEmpty();
                assertThat(last.samples()).anySatisfy(s -> assertThat(s.name()).startsWith("kafka_stream_"));
                assertThat(last.samples())
                        .filteredOn(s -> s.name().startsWith("kafka_"))
                        .extracting(s -> s.labels().get("service"))
                        .contains("scorer", "bias", "labeler");
                assertThat(pipeline.isAlive()).isTrue();
            }
        }
    }

    private PrometheusText scrape(QueryServer queries) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(queries.url() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return PrometheusText.parse(response.body());
    }

    private static Bias currentBias(KafkaStreams labeler, String classSetId) {
        ValueAndTimestamp<Bias> bias = labeler.store(StoreQueryParameters.fromNameAndType(
                        LabelerTopology.BIAS_STORE, QueryableStoreTypes.<ClassSetKey, Bias>timestampedKeyValueStore()))
                .get(new ClassSetKey(classSetId));
        return bias == null ? null : bias.value();
    }

    private static Checkpoint checkpoint(String classSetId, long version, Path file, String sha) throws Exception {
        return Checkpoint.newBuilder()
                .setClassSetId(classSetId)
                .setVersion(version)
                .setPhase(CheckpointPhase.WARMUP)
                .setArchitecture("small-cnn")
                .setLocation(file.toUri().toString())
                .setSha256(sha)
                .setSizeBytes(Files.size(file))
                .setCreatedAt(Instant.now())
                .setMetrics(new CheckpointMetrics(0.0, 0.0, 0L, 0, null, 0, 0))
                .build();
    }
}
