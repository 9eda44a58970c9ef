package io.ccdstream.streams.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ccdstream.method.ccd.ClassSelection;
import io.ccdstream.method.ccd.Debias;
import io.ccdstream.method.ccd.FloorMode;
import io.ccdstream.models.BundledModels;
import io.ccdstream.models.scoring.LocalViews;
import io.ccdstream.models.scoring.RefinementSettings;
import io.ccdstream.streams.bias.BiasSettings;
import io.ccdstream.streams.labeler.LabelerSettings;
import io.ccdstream.streams.scorer.ScorerSettings;
import io.ccdstream.topics.ImageBytes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineConfigTest {

    @Test
    void shouldDefaultToThePipelinesDefaults() {
        // When
        PipelineConfig config = new PipelineConfig(Map.of());

        // Then: the same values as PipelineSettings.defaults
        PipelineSettings defaults = PipelineSettings.defaults(Path.of("model"), null);
        assertThat(config.bias()).isEqualTo(BiasSettings.DEFAULTS);
        assertThat(config.labeler()).isEqualTo(LabelerSettings.DEFAULTS);
        assertThat(config.scorer()).isEqualTo(ScorerSettings.DEFAULTS);
        assertThat(config.refinement()).isEqualTo(RefinementSettings.DEFAULTS);
        assertThat(config.selection()).isEqualTo(ClassSelection.serviceDefault());
        assertThat(config.floorMode()).isEqualTo(defaults.floorMode());
        assertThat(config.localViews()).isEqualTo(LocalViews.CAM);
        assertThat((float) config.getDouble(PipelineConfig.DEBIAS_FLOOR).doubleValue())
                .isEqualTo(defaults.floor());
        assertThat((float) config.getDouble(PipelineConfig.ALPHA).doubleValue()).isEqualTo(defaults.alpha());
        ImageBytes claimChecks = config.claimChecks();
        assertThat(claimChecks.allowedFileRoots()).isEmpty();
        assertThat(claimChecks.allowedHosts()).isEmpty();
        assertThat(claimChecks.fetchTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.classNames(List.of("cat", "dog"))).containsExactly("cat", "dog");
    }

    @Test
    void shouldReadEverySetting() {
        // When
        PipelineConfig config = new PipelineConfig(Map.ofEntries(
                Map.entry(PipelineConfig.CLASSES, "cat, dog ,traffic light"),
                Map.entry(PipelineConfig.BIAS_WINDOW, "100"),
                Map.entry(PipelineConfig.BIAS_BUCKETS, "5"),
                Map.entry(PipelineConfig.BIAS_MIN_SAMPLES, "20"),
                Map.entry(PipelineConfig.BIAS_ENTROPY_THRESHOLD, "0.5"),
                Map.entry(PipelineConfig.LABELER_DEBIAS, "false"),
                Map.entry(PipelineConfig.LABELER_RELABEL_MIN_CHANGE, "0.1"),
                Map.entry(PipelineConfig.LABELER_RELABEL_INTERVAL_MS, "2000"),
                Map.entry(PipelineConfig.LABELER_RELABEL_BATCH_SIZE, "50"),
                Map.entry(PipelineConfig.LABELER_RELABEL_SETTLE_MS, "4000"),
                Map.entry(PipelineConfig.LABELER_NONE_THRESHOLD, "0.3"),
                Map.entry(PipelineConfig.SCORER_BATCH_SIZE, "4"),
                Map.entry(PipelineConfig.SCORER_MAX_WAIT_MS, "50"),
                Map.entry(PipelineConfig.SCORER_BACKFILL_INTERVAL_MS, "300"),
                Map.entry(PipelineConfig.SCORER_SELECTION_MEAN_CLASSES, "4,6"),
                Map.entry(PipelineConfig.SCORER_SELECTION_WINDOW, "64"),
                Map.entry(PipelineConfig.SCORER_CAM_REGIONS, "3"),
                Map.entry(PipelineConfig.SCORER_CAM_OFFSET, "0.25"),
                Map.entry(PipelineConfig.SCORER_LOCAL_VIEWS, "grid"),
                Map.entry(PipelineConfig.CLAIM_CHECK_ALLOWED_ROOTS, "/data/images"),
                Map.entry(PipelineConfig.CLAIM_CHECK_ALLOWED_HOSTS, "images.example.com,cdn:8080"),
                Map.entry(PipelineConfig.CLAIM_CHECK_MAX_BYTES, "1024"),
                Map.entry(PipelineConfig.CLAIM_CHECK_TIMEOUT_MS, "2500")));

        // Then
        assertThat(config.classNames(List.of("ignored"))).containsExactly("cat", "dog", "traffic light");
        assertThat(config.bias()).isEqualTo(new BiasSettings(100, 5, 20, 0.5));
        assertThat(config.labeler())
                .isEqualTo(new LabelerSettings(Duration.ofSeconds(2), 0.1f, false, 50, Duration.ofSeconds(4), 0.3f));
        assertThat(config.scorer()).isEqualTo(new ScorerSettings(4, Duration.ofMillis(50), Duration.ofMillis(300)));
        assertThat(config.selection()).isEqualTo(new ClassSelection.Calibrated(4, 6, 64));
        assertThat(config.refinement().boxes().maxRegions()).isEqualTo(3);
        assertThat(config.refinement().boxes().offsetFraction()).isEqualTo(0.25f);
        assertThat(config.localViews()).isEqualTo(LocalViews.GRID);
        assertThat(config.claimChecks())
                .isEqualTo(new ImageBytes(
                        List.of(Path.of("/data/images")),
                        List.of("images.example.com", "cdn:8080"),
                        1024,
                        Duration.ofMillis(2500)));
    }

    @Test
    void shouldRefuseInvalidSettingsNamingTheKey() {
        assertRefused(Map.of(PipelineConfig.ALPHA, "1.5"), PipelineConfig.ALPHA);
        assertRefused(Map.of(PipelineConfig.ALPHA, "much"), PipelineConfig.ALPHA);
        assertRefused(Map.of(PipelineConfig.DEBIAS_FLOOR, "1.0"), PipelineConfig.DEBIAS_FLOOR);
        assertRefused(Map.of(PipelineConfig.BIAS_WINDOW, "0"), PipelineConfig.BIAS_WINDOW);
        assertRefused(
                Map.of(PipelineConfig.BIAS_WINDOW, "5", PipelineConfig.BIAS_BUCKETS, "10"),
                PipelineConfig.BIAS_BUCKETS);
        assertRefused(Map.of(PipelineConfig.BIAS_ENTROPY_THRESHOLD, "0"), PipelineConfig.BIAS_ENTROPY_THRESHOLD);
        assertRefused(Map.of(PipelineConfig.SCORER_BATCH_SIZE, "0"), PipelineConfig.SCORER_BATCH_SIZE);
        assertRefused(
                Map.of(PipelineConfig.SCORER_SELECTION_THRESHOLD, "-0.1"), PipelineConfig.SCORER_SELECTION_THRESHOLD);
        assertRefused(
                Map.of(PipelineConfig.SCORER_SELECTION_MEAN_CLASSES, "4"),
                PipelineConfig.SCORER_SELECTION_MEAN_CLASSES);
        assertRefused(
                Map.of(PipelineConfig.SCORER_SELECTION_MEAN_CLASSES, "6,4"),
                PipelineConfig.SCORER_SELECTION_MEAN_CLASSES);
        assertRefused(Map.of(PipelineConfig.SCORER_LOCAL_VIEWS, "TILES"), PipelineConfig.SCORER_LOCAL_VIEWS);
        assertRefused(Map.of(PipelineConfig.DEBIAS_FLOOR_MODE, "SOFT"), PipelineConfig.DEBIAS_FLOOR_MODE);
        assertRefused(Map.of(PipelineConfig.LABELER_DEBIAS, "maybe"), PipelineConfig.LABELER_DEBIAS);
        assertRefused(Map.of(PipelineConfig.CLAIM_CHECK_TIMEOUT_MS, "0"), PipelineConfig.CLAIM_CHECK_TIMEOUT_MS);
        assertRefused(Map.of(PipelineConfig.CLASSES, "cat,,dog"), PipelineConfig.CLASSES);
    }

    @Test
    void shouldBuildThePipelineSettingsOfTheBundledModel(@TempDir Path workDir) throws Exception {
        // When
        PipelineSettings settings = new PipelineConfig(Map.of(
                        PipelineConfig.ALPHA,
                        "0.5",
                        PipelineConfig.DEBIAS_FLOOR,
                        "0.0125",
                        PipelineConfig.DEBIAS_FLOOR_MODE,
                        "rank"))
                .settings(workDir, List.of("cat", "dog"));

        // Then
        assertThat(settings.modelDir()).isEqualTo(workDir.resolve("models").resolve(BundledModels.DEFAULT));
        assertThat(settings.classSet().classNames()).containsExactly("cat", "dog");
        assertThat(settings.alpha()).isEqualTo(0.5f);
        assertThat(settings.floor()).isEqualTo(0.0125f);
        assertThat(settings.debias()).isEqualTo(new Debias(0.0125f, FloorMode.RANK));
        assertThat(settings.refinesWithCam()).isTrue();

        // and a configured model directory is used as it is
        PipelineSettings same = new PipelineConfig(Map.of(
                        PipelineConfig.CLIP_MODEL_DIR,
                        settings.modelDir().toString(),
                        PipelineConfig.CLASSES,
                        "cat,dog"))
                .settings(workDir.resolve("elsewhere"), List.of("ignored"));
        assertThat(same.modelDir()).isEqualTo(settings.modelDir());
        assertThat(same.classSet().id()).isEqualTo(settings.classSet().id());
    }

    private static void assertRefused(Map<String, String> settings, String key) {
        assertThatThrownBy(() -> new PipelineConfig(settings))
                .as("%s", settings)
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(key);
    }

    @Test
    void shouldNameTheClaimCheckKeysAsTheSharedDefinitionDoes() {
        assertThat(List.of(
                        PipelineConfig.CLAIM_CHECK_ALLOWED_ROOTS,
                        PipelineConfig.CLAIM_CHECK_ALLOWED_HOSTS,
                        PipelineConfig.CLAIM_CHECK_MAX_BYTES,
                        PipelineConfig.CLAIM_CHECK_TIMEOUT_MS))
                .containsExactly(
                        PipelineConfig.CLAIM_CHECKS.allowedRoots(),
                        PipelineConfig.CLAIM_CHECKS.allowedHosts(),
                        PipelineConfig.CLAIM_CHECKS.maxBytes(),
                        PipelineConfig.CLAIM_CHECKS.timeoutMs());
    }

    @Test
    void shouldLimitDecodedImagesTo4096SquaredByDefaultAndRaiseTheLimitOnRequest() {
        PipelineConfig defaults = new PipelineConfig(Map.of());
        assertThat(defaults.imageLimits().maxPixels()).isEqualTo(4096L * 4096);
        assertThat(defaults.imageLimits().maxSide()).isEqualTo(8192);

        PipelineConfig raised = new PipelineConfig(Map.of(
                PipelineConfig.SCORER_IMAGE_MAX_PIXELS, "40000000",
                PipelineConfig.SCORER_IMAGE_MAX_SIDE, "16384",
                PipelineConfig.SCORER_DECODE_BUDGET_PIXELS, "80000000"));
        assertThat(raised.imageLimits().maxPixels()).isEqualTo(40_000_000L);
        assertThat(raised.imageLimits().maxSide()).isEqualTo(16384);
        assertThat(raised.getLong(PipelineConfig.SCORER_DECODE_BUDGET_PIXELS)).isEqualTo(80_000_000L);

        assertThatThrownBy(() -> new PipelineConfig(Map.of(
                        PipelineConfig.SCORER_IMAGE_MAX_PIXELS, "40000000",
                        PipelineConfig.SCORER_DECODE_BUDGET_PIXELS, "1000")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("must be 0 or hold one image");
    }
}
