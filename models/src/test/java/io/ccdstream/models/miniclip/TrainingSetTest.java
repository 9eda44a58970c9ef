package io.ccdstream.models.miniclip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ccdstream.data.synth.SynthScenes;
import io.ccdstream.data.synth.SynthWorld;
import io.ccdstream.method.image.ClipPreprocessor;
import io.ccdstream.method.image.ImageDecoder;
import io.ccdstream.method.image.RgbImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingSetTest {

    private static final ClipPreprocessor PREPROCESSOR =
            ClipPreprocessor.builder().setImageSize(32).build();

    @Test
    void shouldTrainOnBothWorldsByDefault() {
        MiniClipConfig config = MiniClipConfig.builder().setSeed(1).build();

        assertThat(config.worlds()).containsExactly(SynthWorld.SMALL_OBJECTS, SynthWorld.VOC_LIKE);
    }

    @Test
    void shouldTakeTheWorldsInTurn() {
        MiniClipConfig config = tiny(List.of(SynthWorld.SMALL_OBJECTS, SynthWorld.VOC_LIKE));

        TrainingSet set = TrainingSet.generate(config, PREPROCESSOR);

        assertThat(set.size()).isEqualTo(4);
        for (int i = 0; i < 4; i++) {
            SynthWorld world = i % 2 == 0 ? SynthWorld.SMALL_OBJECTS : SynthWorld.VOC_LIKE;
            assertThat(set.images().get(i)).as("image %d", i).isEqualTo(scene(config, world, i));
            assertThat(set.images().get(i))
                    .as("image %d is not the other world's", i)
                    .isNotEqualTo(scene(config, otherWorld(world), i));
        }
    }

    @Test
    void shouldRefuseNoWorldOrTheSameWorldTwice() {
        assertThatThrownBy(() -> tiny(List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("worlds");
        assertThatThrownBy(() -> tiny(List.of(SynthWorld.VOC_LIKE, SynthWorld.VOC_LIKE)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("distinct");
    }

    private static MiniClipConfig tiny(List<SynthWorld> worlds) {
        return MiniClipConfig.builder()
                .setSeed(5)
                .optSceneSize(64)
                .optImageSize(32)
                .optTrainImages(4)
                .optWorlds(worlds)
                .build();
    }

    /** Image {@code i} of {@code world} as a training scene of {@code config}, at the model input. */
    private static RgbImage scene(MiniClipConfig config, SynthWorld world, int i) {
        SynthScenes.Builder builder = SynthScenes.builder()
                .setSeed(config.seed())
                .optWorld(world)
                .optSize(config.sceneSize())
                .optNoneShare(0)
                .optClassWeights(TrainingSet.classWeights(config));
        if (world == SynthWorld.SMALL_OBJECTS) {
            builder.optSmallShare(config.smallShare());
        }
        byte[] png = builder.build().generate(i).png();
        return PREPROCESSOR.resize(ImageDecoder.builder().build().decode(png).image());
    }

    private static SynthWorld otherWorld(SynthWorld world) {
        return world == SynthWorld.SMALL_OBJECTS ? SynthWorld.VOC_LIKE : SynthWorld.SMALL_OBJECTS;
    }
}
