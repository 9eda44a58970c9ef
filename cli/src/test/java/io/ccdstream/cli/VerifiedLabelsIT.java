package io.ccdstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ccdstream.data.ImageRecords;
import io.ccdstream.data.synth.SynthClass;
import io.ccdstream.data.synth.SynthScene;
import io.ccdstream.data.synth.SynthScenes;
import io.ccdstream.method.ccd.Debias;
import io.ccdstream.method.ccd.Mix;
import io.ccdstream.schemas.Checkpoint;
import io.ccdstream.schemas.CheckpointPhase;
import io.ccdstream.schemas.ClassVerdict;
import io.ccdstream.schemas.Image;
import io.ccdstream.schemas.ImageKey;
import io.ccdstream.schemas.Label;
import io.ccdstream.schemas.LabelStage;
import io.ccdstream.schemas.Review;
import io.ccdstream.schemas.Scores;
import io.ccdstream.schemas.Verdict;
import io.ccdstream.streams.CcdStreamsConfig;
import io.ccdstream.streams.StreamsRunner;
import io.ccdstream.streams.labeler.LabelMaker;
import io.ccdstream.streams.labeler.LabelerSettings;
import io.ccdstream.streams.labeler.LabelerTopology;
import io.ccdstream.streams.metrics.PipelineMetrics;
import io.ccdstream.testsupport.TestCluster;
import io.ccdstream.topics.CcdTopics;
import io.ccdstream.trainer.TrainerConfig;
import io.ccdstream.trainer.TrainerService;
import io.ccdstream.trainer.TrainerStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A person's verdicts flow back: with the labeler and the trainer running on a broker, scores of 64
 * SynthScenes images make pseudo-labels the trainer warms up and refines on; reviews of 16 of the images
 * on {@code ccd.reviews} become VERIFIED labels holding the verdicts, and the trainer's next round trains
 * on exactly those 16 verified images.
 */
class VerifiedLabelsIT {

    private static final String CLASS_SET = "verified-test";
    private static final List<String> CLASSES = SynthClass.names();
    private static final SynthScenes SCENES = new SynthScenes(19, 64, 0.05);
    private static final int IMAGES = 64;
    private static final int REVIEWED = 16;

    @TempDir
    Path dir;

    @Test
    void shouldTurnReviewsIntoVerifiedLabelsThatTheNextRoundTrainsOn() throws Exception {
        try (TestCluster cluster = TestCluster.start(dir.resolve("kafka"), 1)) {
            CcdStreamsConfig streams =
                    CcdStreamsConfig.of(cluster.bootstrapServers(), cluster.registryUrl(), dir.resolve("streams"));
            LabelMaker maker = new LabelMaker(
                    id -> id.equals(CLASS_SET) ? Optional.of(CLASSES) : Optional.empty(),
                    new Debias(0.05f),
                    new Mix(0.4f));
            try (StreamsRunner labeler = StreamsRunner.start(
                            LabelerTopology.SERVICE,
                            LabelerTopology.build(
                                    cluster.serdes(),
                                    maker,
                                    LabelerSettings.DEFAULTS,
                                    new PipelineMetrics(new SimpleMeterRegistry())),
                            streams.streamsProperties(LabelerTopology.SERVICE));
                    TrainerService trainer = TrainerService.start(new TrainerConfig(trainerSettings(cluster)))) {
                // Given pseudo-labels the trainer has warmed up and refined on
                List<SynthScene> scenes = new ArrayList<>();
                Map<ImageKey, Image> images = new LinkedHashMap<>();
                Map<ImageKey, Scores> scores = new LinkedHashMap<>();
                for (int i = 0; i < IMAGES; i++) {
                    SynthScene scene = SCENES.generate(i);
                    scenes.add(scene);
                    ImageKey key = new ImageKey(CLASS_SET, scene.id());
                    images.put(key, ImageRecords.synth(scene, CLASS_SET));
                    scores.put(key, scores(scene, i));
                }
                cluster.send(CcdTopics.IMAGES, images);
                cluster.send(CcdTopics.SCORES, scores);
                List<Checkpoint> refined = cluster.read(CcdTopics.CHECKPOINTS, 2, Duration.ofSeconds(120)).stream()
                        .map(ConsumerRecord::value)
                        .toList();
                assertThat(refined)
                        .extracting(Checkpoint::getPhase)
                        .containsExactly(CheckpointPhase.WARMUP, CheckpointPhase.REFINE);

                // When a person reviews 16 images: every class, from the scene's ground truth
                Map<ImageKey, Review> reviews = new LinkedHashMap<>();
                for (SynthScene scene : scenes.subList(0, REVIEWED)) {
                    reviews.put(new ImageKey(CLASS_SET, scene.id()), review(scene));
                }
                cluster.send(CcdTopics.REVIEWS, reviews);

                // Then their labels become VERIFIED with the verdicts
                List<Label> verified = cluster
                        .read(
                                CcdTopics.LABELS,
                                records -> records.stream()
                                                .filter(r -> r.value().getStage() == LabelStage.VERIFIED)
                                                .count()
                                        >= REVIEWED,
                                Duration.ofSeconds(60))
                        .stream()
                        .map(ConsumerRecord::value)
                        .filter(l -> l.getStage() == LabelStage.VERIFIED)
                        .toList();
                assertThat(verified).hasSize(REVIEWED);
                for (Label label : verified) {
                    SynthScene scene =
                            SCENES.generate(Integer.parseInt(label.getImageId().replaceAll(".*-", "")));
                    for (int c = 0; c < CLASSES.size(); c++) {
                        assertThat(label.getScores().get(c))
                                .as(label.getImageId() + " " + CLASSES.get(c))
                                .isEqualTo(scene.labels().contains(CLASSES.get(c)) ? 1f : 0f);
                    }
                    assertThat(label.getReviewedBy()).isEqualTo("sim");
                    assertThat(label.getReviewedClasses()).hasSize(CLASSES.size());
                }
                // and the trainer's next round trains on them
                await().atMost(Duration.ofSeconds(120))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> {
                            TrainerStatus.Round round = trainer.status().round();
                            return round != null && round.phase() == CheckpointPhase.CONTINUOUS;
                        });
                TrainerStatus.Round round = trainer.status().round();
                assertThat(round.verifiedImages()).isEqualTo(REVIEWED);
                assertThat(round.images()).isGreaterThan(REVIEWED);
            }
        }
    }

    /** Scores as the scorer would write them once checkpoint 1 examined the image: the scene's classes lead. */
    private static Scores scores(SynthScene scene, int i) {
        List<Float> global = new ArrayList<>();
        int present = scene.labels().size();
        for (String name : CLASSES) {
            // one class in four of each image is missed, so that the pseudo-labels are not the truth
            boolean shown = scene.labels().contains(name) && (i + CLASSES.indexOf(name)) % 4 != 0;
            global.add(shown ? 0.8f / present : 0.2f / (CLASSES.size() - present));
        }
        return Scores.newBuilder()
                .setImageId(scene.id())
                .setClassSetId(CLASS_SET)
                .setModelId("test")
                .setImageWidth(64)
                .setImageHeight(64)
                .setGlobal(global)
                .setCheckpointVersion(1L)
                .setClipInferences(1)
                .setScoredAt(Instant.now())
                .build();
    }

    private static Review review(SynthScene scene) {
        List<ClassVerdict> verdicts = new ArrayList<>();
        for (String name : CLASSES) {
            verdicts.add(new ClassVerdict(name, scene.labels().contains(name) ? Verdict.PRESENT : Verdict.ABSENT));
        }
        return Review.newBuilder()
                .setImageId(scene.id())
                .setClassSetId(CLASS_SET)
                .setVerdicts(verdicts)
                .setReviewer("sim")
                .setReviewedAt(Instant.now())
                .setSource("test")
                .build();
    }

    private Map<String, Object> trainerSettings(TestCluster cluster) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(TrainerConfig.BOOTSTRAP_SERVERS, cluster.bootstrapServers());
        settings.put(TrainerConfig.SCHEMA_REGISTRY_URL, cluster.registryUrl());
        settings.put(TrainerConfig.DATA_DIR, dir.resolve("trainer").toString());
        settings.put(TrainerConfig.HTTP_PORT, 0);
        settings.put(TrainerConfig.POLL_TIMEOUT_MS, 200L);
        settings.put(TrainerConfig.COMMIT_INTERVAL_MS, 200L);
        settings.put(TrainerConfig.HELD_OUT_EVERY, 0);
        settings.put(TrainerConfig.CLASS_SET_ID, CLASS_SET);
        settings.put(TrainerConfig.CLASS_NAMES, CLASSES);
        settings.put(TrainerConfig.WARMUP_MIN_IMAGES, IMAGES);
        settings.put(TrainerConfig.REFINE_MAX_EPOCHS, 1);
        settings.put(TrainerConfig.CONTINUOUS_MIN_NEW_LABELS, REVIEWED);
        settings.put(TrainerConfig.CONTINUOUS_MAX_EPOCHS, 1);
        settings.put(TrainerConfig.INPUT_SIZE, 32);
        settings.put(TrainerConfig.CHECKPOINT_LOCATION, TrainerConfig.LOCATION_FILE);
        return settings;
    }
}
