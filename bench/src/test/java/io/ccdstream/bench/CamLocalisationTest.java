package io.ccdstream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.ccdstream.data.datasets.ObjectBox;
import io.ccdstream.schemas.CamBox;
import java.util.List;
import org.junit.jupiter.api.Test;

class CamLocalisationTest {

    private static final List<String> CLASSES = List.of("cat", "dog", "bird");

    @Test
    void shouldComputeTheIntersectionOverUnionOfTwoBoxes() {
        // 10x10 crop and 10x10 box sharing a 5x10 strip: 50 / (100 + 100 - 50)
        assertThat(CamLocalisation.iou(crop(0, 0, 0, 10, 10), box("cat", 5, 0, 15, 10)))
                .isCloseTo(1.0 / 3, within(1e-12));
        assertThat(CamLocalisation.iou(crop(0, 0, 0, 10, 10), box("cat", 0, 0, 10, 10)))
                .isEqualTo(1.0);
        // touching edges: x1 is exclusive, so no pixel is shared
        assertThat(CamLocalisation.iou(crop(0, 0, 0, 10, 10), box("cat", 10, 0, 20, 10)))
                .isZero();
        assertThat(CamLocalisation.iou(crop(0, 0, 0, 10, 10), box("cat", 3, 3, 3, 3)))
                .isZero();
    }

    @Test
    void shouldCountACropAsOnItsClassByOverlapOrByTheBoxCentre() {
        List<List<CamBox>> crops = List.of(
                List.of(
                        // cat crop on the cat: IoU 1/3 >= 0.3, holds its centre (10, 5)
                        crop(0, 0, 0, 10, 10),
                        // dog crop around a small dog: IoU 4/100, but holds its centre
                        crop(1, 20, 20, 30, 30),
                        // bird crop: no bird in the image
                        crop(2, 0, 0, 10, 10),
                        // a grid tile: not a CAM crop, not counted
                        crop(-1, 0, 0, 32, 32)),
                List.of(
                        // cat crop beside the cat: IoU 40 / 160 = 0.25 < 0.3, misses its centre (11, 5)
                        crop(0, 0, 0, 10, 10)),
                List.of());
        List<List<ObjectBox>> truth = List.of(
                List.of(box("cat", 5, 0, 15, 10), box("dog", 24, 24, 26, 26), box("dog", 40, 40, 60, 60)),
                List.of(box("cat", 6, 0, 16, 10), box("dog", 0, 0, 10, 10)),
                List.of(box("bird", 0, 0, 4, 4)));

        CamLocalisation cam = CamLocalisation.of(crops, truth, CLASSES);

        assertThat(cam.images()).isEqualTo(3);
        assertThat(cam.crops()).isEqualTo(4);
        assertThat(cam.cropsPerImage()).isCloseTo(4 / 3.0, within(1e-12));
        assertThat(cam.presentShare()).isEqualTo(0.75);
        assertThat(cam.overlapShare()).isEqualTo(0.25);
        assertThat(cam.centreShare()).isEqualTo(0.5);
        // best IoUs: 1/3 (cat), 4/100 (small dog, not the far one), 0 (no bird), 0.25 (cat beside)
        assertThat(cam.meanBestIou()).isCloseTo((1.0 / 3 + 0.04 + 0 + 0.25) / 4, within(1e-12));
    }

    @Test
    void shouldReportNoShareWithoutCrops() {
        CamLocalisation cam = CamLocalisation.of(
                List.of(List.of(crop(-1, 0, 0, 5, 5))), List.of(List.of(box("cat", 0, 0, 5, 5))), CLASSES);

        assertThat(cam.crops()).isZero();
        assertThat(cam.overlapShare()).isNaN();
        assertThat(cam.meanBestIou()).isNaN();
    }

    @Test
    void shouldRefuseCropsAndTruthOfDifferentImageCounts() {
        assertThatThrownBy(() -> CamLocalisation.of(List.of(List.of()), List.of(), CLASSES))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 images");
    }

    private static CamBox crop(int classIndex, int x0, int y0, int x1, int y1) {
        return new CamBox(classIndex, 0.9f, x0, y0, x1, y1);
    }

    private static ObjectBox box(String className, int x0, int y0, int x1, int y1) {
        return new ObjectBox(className, x0, y0, x1, y1, false, false);
    }
}
