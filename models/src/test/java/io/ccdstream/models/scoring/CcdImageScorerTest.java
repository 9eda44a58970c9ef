package io.ccdstream.models.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ccdstream.data.synth.SynthScenes;
import io.ccdstream.method.ccd.CamBoxConfig;
import io.ccdstream.method.ccd.ClassSelection;
import io.ccdstream.method.ccd.CropBox;
import io.ccdstream.method.ccd.CropResize;
import io.ccdstream.method.ccd.GridBaseline;
import io.ccdstream.method.ccd.LocalLabel;
import io.ccdstream.method.image.ImageDecoder;
import io.ccdstream.method.image.RgbImage;
import io.ccdstream.models.classifier.Classifier;
import io.ccdstream.models.classifier.ClassifierConfig;
import io.ccdstream.models.clip.ClassSet;
import io.ccdstream.models.clip.ClipModel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CcdImageScorerTest {

    private static final List<String> CLASSES = List.of("tomato", "lime", "ball", "coin");

    private static ClipModel clip;
    private static Classifier classifier;
    private static ClassSet classSet;
    private static List<RgbImage> images;

    @BeforeAll
    static void load() throws Exception {
        clip = ClipModel.load(io.ccdstream.testsupport.TinyClip.modelDir()
                .resolve("clip.json")
                .getParent());
        classSet = clip.classSet(CLASSES);
        classifier = Classifier.create(ClassifierConfig.builder()
                .setClassNames(CLASSES)
                .optInputSize(64)
                .build());
        SynthScenes scenes = new SynthScenes(3, 80, 0);
        ImageDecoder decoder = ImageDecoder.builder().build();
        images = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            images.add(decoder.decode(scenes.generate(i).png()).image());
        }
    }

    @AfterAll
    static void close() {
        classifier.close();
        clip.close();
    }

    @Test
    void shouldScoreTheGlobalViewOnlyBeforeAClassifierExists() {
        List<ScoredImage> scored = new CcdImageScorer(clip, RefinementSettings.DEFAULTS).scoreGlobal(classSet, images);

        assertThat(scored).hasSize(3).allSatisfy(s -> {
            assertThat(s.local()).isNull();
            assertThat(s.boxes()).isEmpty();
            assertThat(s.clipInferences()).isEqualTo(1);
        });
        assertThat(scored.get(0).global())
                .containsExactly(clip.scoreImages(classSet, images.subList(0, 1))[0], within(1e-6f));
    }

    @Test
    void shouldTakeTheMaxOverTheClassifierGuidedCropsOfEachImage() {
        // threshold 0 selects every class, so every image gets one crop per class with an activation
        RefinementSettings everyClass =
                new RefinementSettings(new ClassSelection.Fixed(0f), CamBoxConfig.DEFAULTS, true);
        List<ScoredImage> scored = new CcdImageScorer(clip, everyClass).scoreRefined(classSet, images, classifier);

        CropResize resize = CropResize.of(clip.descriptor().imageSize());
        for (int i = 0; i < images.size(); i++) {
            ScoredImage s = scored.get(i);
            assertThat(s.boxes()).isNotEmpty();
            assertThat(s.clipInferences()).isEqualTo(1 + s.boxes().size());
            float[] expected = new float[CLASSES.size()];
            for (CropBox box : s.boxes()) {
                assertThat(box.x0()).isBetween(0, images.get(i).width() - 1);
                assertThat(box.x1()).isBetween(box.x0() + 1, images.get(i).width());
                float[] p = clip.scoreImages(classSet, List.of(resize.apply(images.get(i), box)))[0];
                for (int c = 0; c < p.length; c++) {
                    expected[c] = Math.max(expected[c], p[c]);
                }
            }
            assertThat(s.local()).containsExactly(expected, within(1e-5f));
        }
    }

    @Test
    void shouldGiveZerosWhenNoClassIsSelected() {
        RefinementSettings none = new RefinementSettings(new ClassSelection.Fixed(1f), CamBoxConfig.DEFAULTS, true);
        ScoredImage scored = new CcdImageScorer(clip, none)
                .scoreRefined(classSet, images, classifier)
                .get(0);

        assertThat(scored.local()).containsOnly(0f);
        assertThat(scored.clipInferences()).isEqualTo(1);
    }

    @Test
    void shouldScoreEveryTileOfTheGridAndTakeTheMaxPerImage() {
        GridBaseline grid = GridBaseline.DEFAULT;
        List<ScoredImage> scored =
                new CcdImageScorer(clip, RefinementSettings.DEFAULTS).scoreGrid(classSet, images, grid);

        CropResize resize = CropResize.of(clip.descriptor().imageSize());
        for (int i = 0; i < images.size(); i++) {
            ScoredImage s = scored.get(i);
            RgbImage image = images.get(i);
            assertThat(s.boxes()).containsExactlyElementsOf(grid.tiles(image.width(), image.height()));
            assertThat(s.clipInferences()).isEqualTo(10);
            List<float[]> tiles = new ArrayList<>();
            for (CropBox tile : s.boxes()) {
                tiles.add(clip.scoreImages(classSet, List.of(resize.apply(image, tile)))[0]);
            }
            assertThat(s.local()).containsExactly(LocalLabel.maxOver(tiles, CLASSES.size()), within(1e-5f));
            assertThat(s.global()).containsExactly(clip.scoreImages(classSet, List.of(image))[0], within(1e-5f));
        }
    }
}
