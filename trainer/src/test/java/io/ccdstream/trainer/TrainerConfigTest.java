package io.ccdstream.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ccdstream.models.classifier.Backbone;
import io.ccdstream.models.classifier.ColorJitter;
import io.ccdstream.models.classifier.StrongView;
import io.ccdstream.models.classifier.TrainingTargets;
import io.ccdstream.models.clip.ClipModelDescriptor;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerConfigTest {

    private static TrainerConfig config(Map<String, Object> extra) {
        Map<String, Object> settings = new HashMap<>(Map.of(
                TrainerConfig.BOOTSTRAP_SERVERS,
                "localhost:9092",
                TrainerConfig.SCHEMA_REGISTRY_URL,
                "http://localhost:8081",
                TrainerConfig.CLASS_SET_ID,
                "cs",
                TrainerConfig.CLASS_NAMES,
                List.of("cat", "dog")));
        settings.putAll(extra);
        return new TrainerConfig(settings);
    }

    @Test
    void shouldJudgeRoundsOnTheHeldOutSliceAndReplayThreeOlderImagesPerNewOneByDefault() {
        TrainerConfig defaults = config(Map.of());

        assertThat(defaults.heldOutDecides()).isTrue();
        assertThat(defaults.heldOutSignal()).isEqualTo(HeldOutSignal.DEFAULT);
        assertThat(defaults.heldOutSignal().rule()).isEqualTo(HeldOutSignal.PositiveRule.quantile(0.2));
        assertThat(defaults.schedule().replayRatio()).isEqualTo(3.0);
        assertThat(defaults.schedule().replayBalanced()).isFalse();
        assertThat(config(Map.of(TrainerConfig.QUALITY_SIGNAL, TrainerConfig.SIGNAL_TRAIN_LABELS))
                        .heldOutDecides())
                .isFalse();
        assertThat(config(Map.of(TrainerConfig.HELD_OUT_EVERY, 0)).heldOutDecides())
                .isFalse();
        assertThatThrownBy(() -> config(Map.of(TrainerConfig.HELD_OUT_POSITIVES, "best:3")))
                .isInstanceOf(org.apache.kafka.common.config.ConfigException.class)
                .hasMessageContaining(TrainerConfig.HELD_OUT_POSITIVES);
    }

    @Test
    void shouldWaitForCamLabelsAndJitterHueByHalfByDefault() {
        TrainerConfig defaults = config(Map.of());

        assertThat(defaults.schedule().waitForCamLabels()).isTrue();
        assertThat(defaults.getDouble(TrainerConfig.STRONG_VIEW_HUE)).isEqualTo(0.5);
        assertThat(maxHue(defaults))
                .as("hue drawn in [-0.5, 0.5]")
                .isGreaterThan(0.4f)
                .isLessThanOrEqualTo(0.5f);
    }

    @Test
    void shouldTakeTheAblationSettings() {
        TrainerConfig asTheyAre = config(
                Map.of(TrainerConfig.REFINE_WAIT_FOR_CAM_LABELS, "false", TrainerConfig.STRONG_VIEW_HUE, "0.05"));

        assertThat(asTheyAre.schedule().waitForCamLabels()).isFalse();
        assertThat(asTheyAre.getDouble(TrainerConfig.STRONG_VIEW_HUE)).isEqualTo(0.05);
        assertThat(maxHue(asTheyAre))
                .as("the strong view's hue shift")
                .isPositive()
                .isLessThanOrEqualTo(0.05f);
    }

    /** The largest hue shift of 1000 draws of the optimiser's strong-view jitter. */
    private static float maxHue(TrainerConfig config) {
        ColorJitter jitter = config.optimiser().jitter();
        Random random = new Random(7);
        float max = 0;
        for (int i = 0; i < 1000; i++) {
            max = Math.max(max, Math.abs(jitter.draw(random).hue()));
        }
        return max;
    }

    @Test
    void shouldRefuseAHueJitterAboveHalf() {
        assertThatThrownBy(() -> config(Map.of(TrainerConfig.STRONG_VIEW_HUE, "0.6")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(TrainerConfig.STRONG_VIEW_HUE);
    }

    @Test
    void shouldNameTheClaimCheckKeysAsTheSharedDefinitionDoes() {
        assertThat(List.of(
                        TrainerConfig.CLAIM_CHECK_ALLOWED_ROOTS,
                        TrainerConfig.CLAIM_CHECK_ALLOWED_HOSTS,
                        TrainerConfig.CLAIM_CHECK_MAX_BYTES,
                        TrainerConfig.CLAIM_CHECK_TIMEOUT_MS))
                .containsExactly(
                        TrainerConfig.CLAIM_CHECKS.allowedRoots(),
                        TrainerConfig.CLAIM_CHECKS.allowedHosts(),
                        TrainerConfig.CLAIM_CHECKS.maxBytes(),
                        TrainerConfig.CLAIM_CHECKS.timeoutMs());
    }

    @Test
    void shouldDefaultToTheMeasuredStrongViewBackboneAndSoftTargets() {
        TrainerConfig defaults = config(Map.of());

        // the class-keeping strong view and the mini-CLIP trunk: README, departures from ALGORITHM.md
        assertThat(defaults.optimiser().strongView()).isEqualTo(StrongView.GEOMETRIC);
        assertThat(defaults.backbone()).isInstanceOf(Backbone.MiniClip.class);
        assertThat(defaults.optimiser().freezeBackbone()).isFalse();
        assertThat(defaults.trainingTargets()).isEqualTo(TrainingTargets.SOFT);
        assertThat(defaults.labelSmoothing()).isEqualTo(0.1f);
    }

    @Test
    void shouldTakeTheStrongViewLossAndFrozenBackboneSettings() {
        TrainerConfig config = config(Map.of(
                TrainerConfig.STRONG_VIEW, "geometric-cutout",
                TrainerConfig.LOSS, "label-smoothing",
                TrainerConfig.LABEL_SMOOTHING, "0.2",
                TrainerConfig.BACKBONE_FROZEN, "true"));

        assertThat(config.optimiser().strongView()).isEqualTo(StrongView.GEOMETRIC_CUTOUT);
        assertThat(config.optimiser().freezeBackbone()).isTrue();
        assertThat(config.trainingTargets()).isEqualTo(TrainingTargets.LABEL_SMOOTHING);
        assertThat(config.labelSmoothing()).isEqualTo(0.2f);
        assertThatThrownBy(() -> config(Map.of(TrainerConfig.STRONG_VIEW, "hue")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(TrainerConfig.STRONG_VIEW);
        assertThatThrownBy(() -> config(Map.of(TrainerConfig.LOSS, "focal")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(TrainerConfig.LOSS);
    }

    @Test
    void shouldNormaliseAMiniClipBackbonesInputsAsTheMiniClip() throws Exception {
        TrainerConfig config = config(Map.of(TrainerConfig.BACKBONE, "mini-clip"));

        Backbone.MiniClip backbone = (Backbone.MiniClip) config.backbone();
        ClipModelDescriptor descriptor = backbone.descriptor();
        assertThat(backbone.widths()).isEqualTo(descriptor.architecture().imageWidths());
        assertThat(config.classifierConfig().mean()).containsExactly(descriptor.mean());
        assertThat(config.classifierConfig().std()).containsExactly(descriptor.std());
        assertThat(config.architecture()).isEqualTo("mini-clip");
    }

    @Test
    void shouldRefuseAMiniClipDirectoryWithoutADescriptor(@TempDir Path empty) {
        assertThatThrownBy(() -> config(Map.of(TrainerConfig.BACKBONE, "mini-clip:" + empty)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(TrainerConfig.BACKBONE)
                .hasMessageContaining("clip.json");
    }
}
