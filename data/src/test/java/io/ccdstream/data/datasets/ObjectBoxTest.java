package io.ccdstream.data.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ObjectBoxTest {

    @Test
    void shouldConvertVocOneBasedInclusiveCoordinatesToZeroBasedExclusive() {
        // VOC columns 5..20 (1-based, both ends in) are 0-based columns 4..19, i.e. [4, 20)
        ObjectBox box = ObjectBox.fromVoc("dog", 5, 7, 20, 24, 48, 32, false);
        assertThat(box).isEqualTo(new ObjectBox("dog", 4, 6, 20, 24, false, false));
        assertThat(box.width()).isEqualTo(16);
        assertThat(box.height()).isEqualTo(18);
    }

    @Test
    void shouldMapAWholeImageVocBoxOntoTheWholeImage() {
        // xmin 1, xmax 500 of a 500x375 image covers every pixel
        ObjectBox box = ObjectBox.fromVoc("cat", 1, 1, 500, 375, 500, 375, true);
        assertThat(box).isEqualTo(new ObjectBox("cat", 0, 0, 500, 375, true, false));
        assertThat(box.area()).isEqualTo(500L * 375);
    }

    @Test
    void shouldClipTheDevkitsOccasionalZeroAndWidenFractionalVocValues() {
        assertThat(ObjectBox.fromVoc("bottle", 0, 5, 6, 31, 48, 32, false))
                .isEqualTo(new ObjectBox("bottle", 0, 4, 6, 31, false, false));
        // 12.5 is 0-based 11.5 -> column 11; 40.7 -> up to 41 exclusive
        assertThat(ObjectBox.fromVoc("bicycle", 12.5, 3.0, 40.7, 29.2, 48, 32, false))
                .isEqualTo(new ObjectBox("bicycle", 11, 2, 41, 30, false, false));
    }

    @Test
    void shouldTakeTheSmallestEnclosingPixelBoxOfACocoBbox() {
        // [10.4, 5.6, 20.1, 10.2]: x in [10.4, 30.5) -> [10, 31); y in [5.6, 15.8) -> [5, 16)
        assertThat(ObjectBox.fromCoco("person", 10.4, 5.6, 20.1, 10.2, 48, 32, false))
                .isEqualTo(new ObjectBox("person", 10, 5, 31, 16, false, false));
        // whole-pixel boxes stay as they are
        assertThat(ObjectBox.fromCoco("dog", 1, 2, 3, 4, 48, 32, false))
                .isEqualTo(new ObjectBox("dog", 1, 2, 4, 6, false, false));
    }

    @Test
    void shouldClipACocoBboxThatRunsPastTheImage() {
        // x + w = 48.5 and y + h = 32.6 on a 48x32 image
        assertThat(ObjectBox.fromCoco("dog", 40.2, 20.7, 8.3, 11.9, 48, 32, true))
                .isEqualTo(new ObjectBox("dog", 40, 20, 48, 32, false, true));
    }

    @Test
    void shouldNotGrowABoxOnFloatingPointNoise() {
        // a width written with float noise: x + w = 30.000000000000004, whose ceiling is 31;
        // left edge 0.9999999999999999, whose floor is 0
        assertThat(10 + 20.000000000000004).isGreaterThan(30.0);
        ObjectBox box = ObjectBox.fromCoco("car", 10, 0.9999999999999999, 20.000000000000004, 5, 48, 32, false);
        assertThat(box.x1()).isEqualTo(30);
        assertThat(box.y0()).isEqualTo(1);
    }

    @Test
    void shouldCollapseADegenerateCocoBboxToAnEmptyBox() {
        ObjectBox box = ObjectBox.fromCoco("car", 7, 3, 0, 2, 48, 32, false);
        assertThat(box.width()).isZero();
        assertThat(box.area()).isZero();
    }

    @Test
    void shouldRefuseInvertedOrNegativeBoxes() {
        assertThatThrownBy(() -> new ObjectBox("dog", 5, 0, 4, 1, false, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dog");
        assertThatThrownBy(() -> new ObjectBox("dog", -1, 0, 4, 1, false, false))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
