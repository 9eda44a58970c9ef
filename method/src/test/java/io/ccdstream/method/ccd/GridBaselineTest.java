package io.ccdstream.method.ccd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class GridBaselineTest {

    @Test
    void shouldTileTenByTenIntoThreeThreeAndFour() {
        // edges floor(i * 10 / 3) = 0, 3, 6, 10 -> tile sides 3, 3, 4
        List<CropBox> tiles = GridBaseline.DEFAULT.tiles(10, 10);

        assertThat(tiles).hasSize(9);
        assertThat(tiles.get(0)).isEqualTo(CropBox.tile(0, 0, 3, 3));
        assertThat(tiles.get(1)).isEqualTo(CropBox.tile(3, 0, 6, 3));
        assertThat(tiles.get(5)).isEqualTo(CropBox.tile(6, 3, 10, 6));
        assertThat(tiles.get(8)).isEqualTo(CropBox.tile(6, 6, 10, 10));
    }

    @Test
    void shouldCoverEveryPixelExactlyOnce() {
        int[][] covered = new int[11][17];
        for (CropBox tile : GridBaseline.DEFAULT.tiles(17, 11)) {
            for (int y = tile.y0(); y < tile.y1(); y++) {
                for (int x = tile.x0(); x < tile.x1(); x++) {
                    covered[y][x]++;
                }
            }
        }
        for (int[] row : covered) {
            assertThat(row).containsOnly(1);
        }
    }

    @Test
    void shouldAverageGlobalScoresWithTheTileMaximum() {
        // tile max = [max(0.4, 0.8), max(0.1, 0.3)] = [0.8, 0.3]
        // label = [(0.2 + 0.8) / 2, (0.6 + 0.3) / 2] = [0.5, 0.45]
        float[] label = GridBaseline.initialLabel(
                new float[] {0.2f, 0.6f}, List.of(new float[] {0.4f, 0.1f}, new float[] {0.8f, 0.3f}));
        assertThat(label).containsExactly(new float[] {0.5f, 0.45f}, within(1e-6f));
    }

    @Test
    void shouldCostNineInferencesPerImage() {
        assertThat(GridBaseline.DEFAULT.inferencesPerImage()).isEqualTo(9);
    }

    @Test
    void shouldRefuseAnImageSmallerThanTheGrid() {
        assertThatThrownBy(() -> GridBaseline.DEFAULT.tiles(2, 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2x10");
    }
}
