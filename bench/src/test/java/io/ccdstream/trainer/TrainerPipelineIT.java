package io.ccdstream.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ccdstream.data.ImageRecords;
import io.ccdstream.data.synth.SynthClass;
import io.ccdstream.data.synth.SynthScene;
import io.ccdstream.data.synth.SynthScenes;
import io.ccdstream.models.BundledModels;
import io.ccdstream.models.classifier.Classifier;
import io.ccdstream.models.clip.ClassSet;
import io.ccdstream.models.clip.ClipModelDescriptor;
import io.ccdstream.schemas.Checkpoint;
import io.ccdstream.schemas.CheckpointPhase;
import io.ccdstream.schemas.Image;
import io.ccdstream.schemas.ImageKey;
import io.ccdstream.streams.CcdStreamsConfig;
import io.ccdstream.streams.bias.BiasSettings;
import io.ccdstream.streams.labeler.LabelerSettings;
import io.ccdstream.streams.pipeline.Pipeline;
import io.ccdstream.streams.pipeline.PipelineSettings;
import io.ccdstream.streams.scorer.CheckpointFetcher;
import io.ccdstream.testsupport.TestCluster;
import io.ccdstream.topics.CcdTopics;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer with the real pipeline (scorer, bias, labeler) on the in-process broker: a small
 * SynthScenes stream is labelled, the trainer warms up on the initial labels, the scorer refines
 * every image with the warm-up checkpoint (fetched over HTTP), the trainer retrains on the refined
 * labels and publishes the REFINE checkpoint, which the scorer installs.
 */
class TrainerPipelineIT {

    private static final int IMAGES = 160;

    @TempDir
    Path dataDir;

    @Test
    void shouldWarmUpThenRefineAndPublishCheckpointsTheScorerInstalls() throws Exception {
        Path modelDir = BundledModels.extract(BundledModels.DEFAULT, dataDir.resolve("models"));
        ClipModelDescriptor descriptor = ClipModelDescriptor.read(modelDir);
        ClassSet classSet = ClassSet.of(descriptor.modelId(), SynthClass.names(), List.of(descriptor.promptTemplate()));
        try (TestCluster cluster = TestCluster.start(dataDir, 2);
                Pipeline pipeline = Pipeline.start(
                        streamsConfig(cluster),
                        pipelineSettings(modelDir, classSet),
                        List.of(Pipeline.Service.values()));
                TrainerService trainer = TrainerService.start(TrainerConfig.forClassSet(
                        classSet,
                        Map.ofEntries(
                                Map.entry(TrainerConfig.BOOTSTRAP_SERVERS, cluster.bootstrapServers()),
                                Map.entry(TrainerConfig.SCHEMA_REGISTRY_URL, cluster.registryUrl()),
                                Map.entry(
                                        TrainerConfig.DATA_DIR,
                                        dataDir.resolve("trainer").toString()),
                                Map.entry(TrainerConfig.HTTP_PORT, 0),
                                Map.entry(TrainerConfig.WARMUP_MIN_IMAGES, IMAGES * 9 / 10),
                                Map.entry(TrainerConfig.REFINE_MIN_REFINED_SHARE, 0.9),
                                Map.entry(TrainerConfig.INPUT_SIZE, 64),
                                Map.entry(TrainerConfig.CONTINUOUS_MIN_NEW_LABELS, 10_000))))) {
            // Given a stream of images, ground truth attached as a dataset producer would
            SynthScenes scenes = new SynthScenes(11, 64, 0.05);
            Map<ImageKey, Image> images = new LinkedHashMap<>();
            for (int i = 0; i < IMAGES; i++) {
                SynthScene scene = scenes.generate(i);
                Image image = ImageRecords.synth(scene, classSet.id());
                images.put(ImageRecords.key(image), image);
            }
            cluster.send(CcdTopics.IMAGES, images);

            // When the pipeline and the trainer run, then a WARMUP and a REFINE checkpoint are published in order
            List<Checkpoint> published = cluster
                    .read(
                            CcdTopics.CHECKPOINTS,
                            records -> records.stream().anyMatch(r -> r.value().getPhase() == CheckpointPhase.REFINE),
                            Duration.ofMinutes(3))
                    .stream()
                    .map(ConsumerRecord::value)
                    .toList();
            assertThat(published)
                    .extracting(Checkpoint::getPhase)
                    .containsExactly(CheckpointPhase.WARMUP, CheckpointPhase.REFINE);
            assertThat(published).extracting(Checkpoint::getVersion).containsExactly(1L, 2L);
            assertThat(published).allSatisfy(c -> {
                assertThat(c.getClassSetId()).isEqualTo(classSet.id());
                assertThat(URI.create(c.getLocation()).getScheme()).isEqualTo("http");
                assertThat(c.getArchitecture()).isEqualTo("mini-clip");
                assertThat(c.getMetrics().getImagesSeen()).isPositive();
            });
            assertThat(published.get(0).getMetrics().getEpochs()).isEqualTo(2);
            assertThat(published.get(1).getMetrics().getEpochs()).isBetween(1, 10);

            // and each verifies by SHA-256 and loads as a classifier of the class set
            for (Checkpoint checkpoint : published) {
                Path copy = new CheckpointFetcher(dataDir.resolve("verify"), Duration.ofSeconds(30)).fetch(checkpoint);
                try (Classifier loaded = Classifier.load(copy, checkpoint.getSha256(), classSet.classNames())) {
                    assertThat(loaded.config().inputSize()).isEqualTo(64);
                }
            }
            // and the scorer installs the REFINE checkpoint
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(pipeline.checkpoints().current(classSet.id()))
                            .hasValueSatisfying(c -> assertThat(c.getVersion()).isEqualTo(2L)));
            assertThat(pipeline.refusedCheckpoints()).isEmpty();
            assertThat(trainer.status().published().version()).isEqualTo(2L);
            assertThat(trainer.status().skippedRecords()).isZero();
        }
    }

    private static CcdStreamsConfig streamsConfig(TestCluster cluster) {
        return CcdStreamsConfig.of(
                cluster.bootstrapServers(),
                cluster.registryUrl(),
                cluster.dataDir().resolve("streams"));
    }

    private static PipelineSettings pipelineSettings(Path modelDir, ClassSet classSet) {
        return PipelineSettings.defaults(modelDir, classSet)
                .withBias(new BiasSettings(100, 5, 20, BiasSettings.DEFAULTS.entropyThreshold()))
                .withLabeler(new LabelerSettings(Duration.ofSeconds(1), 0.05f));
    }
}
