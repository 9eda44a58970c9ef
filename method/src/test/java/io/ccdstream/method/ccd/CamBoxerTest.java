package io.ccdstream.method.ccd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CamBoxerTest {

    private static final CamBoxConfig NO_OFFSET = CamBoxConfig.DEFAULTS.withOffsetFraction(0f);

    @Test
    void shouldBoxAHotRectangleInBothModes() {
        // hot columns 5..9 and rows 3..7 inclusive -> [5, 10) x [3, 8); view = image = 20x20, no offset
        float[][] cam = rectangle(20, 20, 5, 3, 10, 8);
        ViewGeometry view = ViewGeometry.square(20, 20, 20);

        for (BoxMode mode : BoxMode.values()) {
            Optional<CropBox> box = new CamBoxer(NO_OFFSET.withMode(mode)).box(4, 0.8f, cam, view);
            assertThat(box).as(mode.name()).contains(new CropBox(4, 0.8f, 5, 3, 10, 8));
        }
    }

    @Test
    void shouldBoxSeparateRegionsSeparatelyWhenAskedForSeveral() {
        // Given two hot rectangles, 5x5 = 25 px at [2, 7) x [2, 7) and 4x4 = 16 px at [12, 16) x
        // [10, 14), and a 2x2 = 4 px speck at [17, 19) x [1, 3) (below a quarter of the largest)
        float[][] cam = rectangle(20, 20, 2, 2, 7, 7);
        for (int y = 10; y < 14; y++) {
            for (int x = 12; x < 16; x++) {
                cam[y][x] = 1f;
            }
        }
        for (int y = 1; y < 3; y++) {
            for (int x = 17; x < 19; x++) {
                cam[y][x] = 1f;
            }
        }
        ViewGeometry view = ViewGeometry.square(20, 20, 20);

        // When
        List<CropBox> one = new CamBoxer(NO_OFFSET).regionBoxes(3, 0.7f, cam, view);
        List<CropBox> several = new CamBoxer(NO_OFFSET.withMaxRegions(3)).regionBoxes(3, 0.7f, cam, view);
        List<CropBox> largest = new CamBoxer(NO_OFFSET.withMaxRegions(1)).regionBoxes(3, 0.7f, cam, view);

        // Then one box covers all activated pixels; several: one per region, largest first, no speck
        assertThat(one).containsExactly(new CropBox(3, 0.7f, 2, 1, 19, 14));
        assertThat(largest).isEqualTo(one);
        assertThat(several).containsExactly(new CropBox(3, 0.7f, 2, 2, 7, 7), new CropBox(3, 0.7f, 12, 10, 16, 14));
    }

    @Test
    void shouldJoinDiagonalNeighboursIntoOneRegion() {
        // 8-connectivity: (2, 2) and (3, 3) touch at a corner
        float[][] map = new float[6][6];
        map[2][2] = 1f;
        map[3][3] = 1f;

        assertThat(CamBoxer.regions(map, 0.95f, 4)).containsExactly(CropBox.tile(2, 2, 4, 4));
    }

    @Test
    void shouldBoxThePeakOfAnUpsampledCam() {
        // 4x4 CAM, 1 at (row 1, col 1), upsampled to 16x16 (scale 0.25 per axis):
        // d=5: s=5.5*0.25-0.5=0.875 -> 0.875; d=6: s=1.125 -> 0.875; d=4 and d=7 -> 0.625.
        // 2D: 0.875^2 = 0.7656 at rows/cols 5..6 (the max), 0.875*0.625 = 0.5469 next to it;
        // normalised 0.5469/0.7656 = 0.714 < 0.95, so only [5, 7) x [5, 7) is activated.
        float[][] cam = new float[4][4];
        cam[1][1] = 1f;

        Optional<CropBox> box = new CamBoxer(NO_OFFSET).box(0, 1f, cam, ViewGeometry.square(16, 16, 16));

        assertThat(box).contains(new CropBox(0, 1f, 5, 5, 7, 7));
    }

    @Test
    void shouldDifferBetweenModesOnAGammaShapedActivation() {
        // top bar: row 2, columns 2..8; vertical bar: column 2, rows 2..9 (a capital gamma).
        // TRUE_MIN_MAX: columns 2..8, rows 2..9 -> [2, 9) x [2, 10).
        // RASTER_ORDER: first activated pixel (row 2, col 2), last (row 9, col 2) -> [2, 3) x [2, 10).
        float[][] cam = new float[12][12];
        for (int x = 2; x <= 8; x++) {
            cam[2][x] = 1f;
        }
        for (int y = 2; y <= 9; y++) {
            cam[y][2] = 1f;
        }
        ViewGeometry view = ViewGeometry.square(12, 12, 12);

        CropBox minMax = new CamBoxer(NO_OFFSET).box(1, 0.6f, cam, view).orElseThrow();
        CropBox raster = new CamBoxer(NO_OFFSET.withMode(BoxMode.RASTER_ORDER))
                .box(1, 0.6f, cam, view)
                .orElseThrow();

        assertThat(minMax).isEqualTo(new CropBox(1, 0.6f, 2, 2, 9, 10));
        assertThat(raster).isEqualTo(new CropBox(1, 0.6f, 2, 2, 3, 10));
    }

    @Test
    void shouldSortTheRasterOrderColumns() {
        // first activated pixel (row 2, col 8), last (row 5, col 3): columns sorted to 3..8 -> [3, 9) x [2, 6)
        float[][] cam = new float[8][10];
        cam[2][8] = 1f;
        cam[5][3] = 1f;
        Optional<CropBox> box = CamBoxer.activatedBox(cam, 0.95f, BoxMode.RASTER_ORDER);
        assertThat(box).contains(CropBox.tile(3, 2, 9, 6));
    }

    @Test
    void shouldScaleTheOffsetWithTheViewSide() {
        // 640 view: round(0.125 * 640) = 80 -> [300-80, 340+80) = [220, 420)
        // 224 view: round(0.125 * 224) = 28 -> [100-28, 120+28) = [72, 148)
        CropBox at640 = CamBoxer.enlarge(CropBox.tile(300, 300, 340, 340), ViewGeometry.square(640, 640, 640), 0.125f);
        CropBox at224 = CamBoxer.enlarge(CropBox.tile(100, 100, 120, 120), ViewGeometry.square(224, 224, 224), 0.125f);

        assertThat(at640).isEqualTo(CropBox.tile(220, 220, 420, 420));
        assertThat(at224).isEqualTo(CropBox.tile(72, 72, 148, 148));
    }

    @Test
    void shouldClipTheEnlargedBoxToTheView() {
        ViewGeometry view = ViewGeometry.square(224, 224, 224);
        // near the top-left corner: [10-28, 30+28) x [5-28, 20+28) -> [0, 58) x [0, 48)
        assertThat(CamBoxer.enlarge(CropBox.tile(10, 5, 30, 20), view, 0.125f)).isEqualTo(CropBox.tile(0, 0, 58, 48));
        // near the bottom-right corner: [200-28, 224) x [210-28, 224)
        assertThat(CamBoxer.enlarge(CropBox.tile(200, 210, 224, 224), view, 0.125f))
                .isEqualTo(CropBox.tile(172, 182, 224, 224));
    }

    @Test
    void shouldMapViewBoxesToOriginalPixelsCoveringThem() {
        // 448x336 image seen as 224x224: x * 2, y * 1.5 -> [144, 296) x [108, 222)
        assertThat(ViewGeometry.square(224, 448, 336).toImage(CropBox.tile(72, 72, 148, 148)))
                .isEqualTo(CropBox.tile(144, 108, 296, 222));
        // 300x100 image: x0 = floor(10*300/224 = 13.39) = 13, x1 = ceil(20*300/224 = 26.79) = 27,
        // y0 = floor(10*100/224 = 4.46) = 4, y1 = ceil(20*100/224 = 8.93) = 9
        assertThat(ViewGeometry.square(224, 300, 100).toImage(CropBox.tile(10, 10, 20, 20)))
                .isEqualTo(CropBox.tile(13, 4, 27, 9));
    }

    @Test
    void shouldRunTheWholeChainWithDefaults() {
        // 32x32 CAM = 32x32 view (no resampling); hot [10, 14) x [8, 12); offset round(0.125*32) = 4
        // -> [6, 18) x [4, 16) in the view; the 64x64 image doubles it -> [12, 36) x [8, 32)
        float[][] cam = rectangle(32, 32, 10, 8, 14, 12);
        Optional<CropBox> box = new CamBoxer(CamBoxConfig.DEFAULTS).box(7, 0.9f, cam, ViewGeometry.square(32, 64, 64));
        assertThat(box).contains(new CropBox(7, 0.9f, 12, 8, 36, 32));
    }

    @Test
    void shouldGiveNoBoxForAFlatCam() {
        float[][] flat = new float[7][7];
        assertThat(new CamBoxer(CamBoxConfig.DEFAULTS).box(0, 0.9f, flat, ViewGeometry.square(224, 500, 375)))
                .isEmpty();
    }

    @Test
    void shouldBoxOnlySelectedClassesWithAnActivation() {
        // scores 0.9 (selected, hot CAM), 0.2 (not selected), 0.6 (selected, flat CAM -> no box)
        float[][][] cams = {rectangle(8, 8, 2, 2, 4, 4), rectangle(8, 8, 0, 0, 8, 8), new float[8][8]};
        List<CropBox> boxes =
                new CamBoxer(NO_OFFSET).boxes(new float[] {0.9f, 0.2f, 0.6f}, cams, 0.5f, ViewGeometry.square(8, 8, 8));
        assertThat(boxes).containsExactly(new CropBox(0, 0.9f, 2, 2, 4, 4));
    }

    /** A map of zeros with ones in [x0, x1) x [y0, y1). */
    private static float[][] rectangle(int width, int height, int x0, int y0, int x1, int y1) {
        float[][] map = new float[height][width];
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                map[y][x] = 1f;
            }
        }
        return map;
    }
}
