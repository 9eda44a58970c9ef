package io.ccdstream.streams.scorer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ccdstream.data.ImageRecords;
import io.ccdstream.data.synth.SynthClass;
import io.ccdstream.data.synth.SynthScenes;
import io.ccdstream.method.image.ImageDecoder;
import io.ccdstream.models.BundledModels;
import io.ccdstream.models.classifier.Classifier;
import io.ccdstream.models.classifier.ClassifierConfig;
import io.ccdstream.models.clip.ClassSet;
import io.ccdstream.models.clip.ClipModel;
import io.ccdstream.models.scoring.CcdImageScorer;
import io.ccdstream.models.scoring.LocalViews;
import io.ccdstream.models.scoring.RefinementSettings;
import io.ccdstream.schemas.Checkpoint;
import io.ccdstream.schemas.CheckpointMetrics;
import io.ccdstream.schemas.CheckpointPhase;
import io.ccdstream.schemas.Image;
import io.ccdstream.schemas.ImageKey;
import io.ccdstream.schemas.PendingImage;
import io.ccdstream.schemas.Scores;
import io.ccdstream.topics.ImageBytes;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scorer engine's three kinds of local views, with a checkpoint installed. */
class CcdScoringEngineTest {

    @TempDir
    static Path dir;

    private static ClipModel clip;
    private static ClassSet classSet;
    private static CheckpointHolder checkpoints;
    private static List<Prepared> batch;

    @BeforeAll
    static void load() throws Exception {
        clip = ClipModel.load(BundledModels.extract(BundledModels.DEFAULT, dir.resolve("models")));
        classSet = clip.classSet(SynthClass.names());
        checkpoints = new CheckpointHolder();
        Checkpoint event = Checkpoint.newBuilder()
                .setClassSetId(classSet.id())
                .setVersion(3)
                .setPhase(CheckpointPhase.WARMUP)
                .setArchitecture("small-cnn")
                .setLocation("file:/unused")
                .setSha256("0".repeat(64))
                .setSizeBytes(1)
                .setCreatedAt(Instant.EPOCH)
                .setMetrics(new CheckpointMetrics(0.0, 0.0, 0L, 0, null, 0, 0))
                .build();
        checkpoints.install(new CheckpointHolder.Loaded(
                event,
                Classifier.create(ClassifierConfig.builder()
                        .setClassNames(SynthClass.names())
                        .optInputSize(64)
                        .build())));
        SynthScenes scenes = new SynthScenes(5, 96, 0);
        ImageDecoder decoder = ImageDecoder.builder().build();
        batch = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            byte[] png = scenes.generate(i).png();
            ImageKey key = new ImageKey(classSet.id(), "img-" + i);
            Image image = ImageRecords.inline(classSet.id(), key.getImageId(), png, "image/png", null, Map.of());
            batch.add(new Prepared(
                    key,
                    new PendingImage(image, "ccd.images", 0, (long) i, Instant.EPOCH),
                    decoder.decode(png).image()));
        }
    }

    @AfterAll
    static void close() {
        checkpoints.close();
        clip.close();
    }

    private static CcdScoringEngine engine(LocalViews views) {
        return new CcdScoringEngine(
                new CcdImageScorer(clip, RefinementSettings.DEFAULTS.withLocalViews(views)),
                clip.descriptor().modelId(),
                List.of(classSet),
                checkpoints,
                ImageBytes.inlineOnly(),
                ImageDecoder.builder().build(),
                Clock.systemUTC());
    }

    @Test
    void shouldRefineWithTheCheckpointsCamCropsByDefault() {
        CcdScoringEngine engine = engine(LocalViews.CAM);

        assertThat(engine.canRefine(classSet.id())).isTrue();
        assertThat(engine.score(batch)).allSatisfy(s -> {
            assertThat(s.getLocal()).isNotNull();
            assertThat(s.getCheckpointVersion()).isEqualTo(3L);
            assertThat(s.getClipInferences()).isEqualTo(1 + s.getBoxes().size());
        });
    }

    @Test
    void shouldScoreTheNineGridTilesOfEveryImageAndIgnoreTheCheckpoint() {
        CcdScoringEngine engine = engine(LocalViews.GRID);

        assertThat(engine.canRefine(classSet.id())).isFalse();
        assertThat(engine.score(batch)).allSatisfy(s -> {
            assertThat(s.getLocal()).hasSize(classSet.size());
            assertThat(s.getBoxes())
                    .hasSize(9)
                    .allSatisfy(b -> assertThat(b.getClassIndex()).isEqualTo(-1));
            assertThat(s.getCheckpointVersion()).isNull();
            assertThat(s.getClipInferences()).isEqualTo(10);
        });
    }

    @Test
    void shouldKeepTheGlobalViewOnlyWithoutLocalViews() {
        CcdScoringEngine engine = engine(LocalViews.NONE);

        assertThat(engine.canRefine(classSet.id())).isFalse();
        List<Scores> scored = engine.score(batch);
        List<Scores> refined = engine(LocalViews.CAM).score(batch);
        for (int i = 0; i < scored.size(); i++) {
            Scores s = scored.get(i);
            assertThat(s.getLocal()).isNull();
            assertThat(s.getBoxes()).isEmpty();
            assertThat(s.getCheckpointVersion()).isNull();
            assertThat(s.getClipInferences()).isEqualTo(1);
            assertThat(s.getGlobal()).isEqualTo(refined.get(i).getGlobal());
        }
    }

    @Test
    void shouldScoreTheControlImageWithAWorkingModelInEveryKindOfLocalViews() {
        for (LocalViews views : LocalViews.values()) {
            assertThatCode(() -> engine(views).checkModel(classSet.id()))
                    .as(views.name())
                    .doesNotThrowAnyException();
        }
    }

    @Test
    void shouldRefuseAHugeCanvasAsPoisonBeforeDecodingIt() {
        java.awt.image.BufferedImage canvas =
                new java.awt.image.BufferedImage(6000, 6000, java.awt.image.BufferedImage.TYPE_BYTE_BINARY);
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        assertThatCode(() -> javax.imageio.ImageIO.write(canvas, "png", png)).doesNotThrowAnyException();
        ImageKey key = new ImageKey(classSet.id(), "huge");
        Image image = ImageRecords.inline(classSet.id(), "huge", png.toByteArray(), "image/png", null, Map.of());

        assertThatThrownBy(() -> engine(LocalViews.CAM).prepare(key, image))
                .isInstanceOfSatisfying(
                        io.ccdstream.topics.PoisonRecordException.class,
                        e -> assertThat(e.reason()).isEqualTo("IMAGE_TOO_MANY_PIXELS"))
                .hasMessageContaining("6000x6000");
    }
}
