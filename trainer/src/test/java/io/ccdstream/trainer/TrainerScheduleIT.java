package io.ccdstream.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.ccdstream.data.synth.SynthClass;
import io.ccdstream.data.synth.SynthScene;
import io.ccdstream.data.synth.SynthScenes;
import io.ccdstream.schemas.Checkpoint;
import io.ccdstream.schemas.CheckpointPhase;
import io.ccdstream.schemas.Image;
import io.ccdstream.schemas.ImageKey;
import io.ccdstream.schemas.Label;
import io.ccdstream.testsupport.TestCluster;
import io.ccdstream.topics.CcdTopics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole schedule on labels a test writes: warm-up, refinement once the labels are refined, then a
 * continuous round on new labels plus replayed ones.
 */
class TrainerScheduleIT {

    private static final String CLASS_SET = "schedule-test";
    private static final List<String> CLASSES = SynthClass.names();
    private static final SynthScenes SCENES = new SynthScenes(8, 64, 0.05);

    @TempDir
    Path dataDir;

    @Test
    void shouldFineTuneOnNewLabelsWithReplayAndPublishAContinuousVersion() throws Exception {
        try (TestCluster cluster = TestCluster.start(dataDir, 1);
                TrainerService trainer = TrainerService.start(new TrainerConfig(TrainerTestSettings.of(
                        cluster,
                        dataDir.resolve("trainer"),
                        Map.of(
                                TrainerConfig.CLASS_SET_ID,
                                CLASS_SET,
                                TrainerConfig.CLASS_NAMES,
                                CLASSES,
                                TrainerConfig.WARMUP_MIN_IMAGES,
                                96,
                                TrainerConfig.REFINE_MIN_REFINED_SHARE,
                                1.0,
                                TrainerConfig.REFINE_MAX_EPOCHS,
                                3,
                                TrainerConfig.CONTINUOUS_MIN_NEW_LABELS,
                                32,
                                TrainerConfig.CONTINUOUS_MAX_EPOCHS,
                                2,
                                TrainerConfig.CONTINUOUS_REPLAY_RATIO,
                                1.0,
                                TrainerConfig.INPUT_SIZE,
                                64,
                                TrainerConfig.CHECKPOINT_LOCATION,
                                TrainerConfig.LOCATION_FILE))))) {
            // Given a warmed-up and refined classifier
            send(cluster, 0, 96, 0);
            assertThat(checkpoints(cluster, 1))
                    .extracting(Checkpoint::getPhase)
                    .containsExactly(CheckpointPhase.WARMUP);
            send(cluster, 0, 96, 1);
            assertThat(checkpoints(cluster, 2))
                    .extracting(Checkpoint::getPhase)
                    .containsExactly(CheckpointPhase.WARMUP, CheckpointPhase.REFINE);

            // When new images arrive with refined labels
            send(cluster, 96, 128, 2);

            // Then a continuous round trains on them plus as many replayed ones and publishes the next version
            List<Checkpoint> published = checkpoints(cluster, 3);
            assertThat(published).extracting(Checkpoint::getVersion).containsExactly(1L, 2L, 3L);
            Checkpoint continuous = published.get(2);
            assertThat(continuous.getPhase()).isEqualTo(CheckpointPhase.CONTINUOUS);
            assertThat(continuous.getMetrics().getEpochs()).isBetween(1, 2);
            assertThat(continuous.getMetrics().getImagesSeen())
                    .isEqualTo(64L * continuous.getMetrics().getEpochs());
            assertThat(continuous.getLocation()).startsWith("file:");
            assertThat(trainer.status().published().version()).isEqualTo(3L);
        }
    }

    /** Images {@code from..to-1} with INITIAL labels ({@code checkpoint} 0) or REFINED ones by {@code checkpoint}. */
    private static void send(TestCluster cluster, int from, int to, long checkpoint) {
        Map<ImageKey, Image> images = new LinkedHashMap<>();
        Map<ImageKey, Label> labels = new LinkedHashMap<>();
        IntStream.range(from, to).mapToObj(SCENES::generate).forEach((SynthScene s) -> {
            images.put(SynthImages.key(s, CLASS_SET), SynthImages.record(s, CLASS_SET));
            labels.put(
                    TestLabels.key(s, CLASS_SET),
                    checkpoint == 0
                            ? TestLabels.initial(s, CLASS_SET, CLASSES)
                            : TestLabels.refined(s, CLASS_SET, CLASSES, checkpoint));
        });
        cluster.send(CcdTopics.IMAGES, images);
        cluster.send(CcdTopics.LABELS, labels);
    }

    private static List<Checkpoint> checkpoints(TestCluster cluster, int count) {
        return cluster.read(CcdTopics.CHECKPOINTS, records -> records.size() >= count, Duration.ofSeconds(90)).stream()
                .map(ConsumerRecord::value)
                .toList();
    }
}
