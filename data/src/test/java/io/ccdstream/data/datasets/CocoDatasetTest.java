package io.ccdstream.data.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * COCO 2014 on the fixture written by make_dataset_fixtures.py: categories dog (18), person (1),
 * car (3), listed in that order; train images 9, 25, 30, 42 (30 without annotations, 25 with a
 * crowd annotation only); val images 73, 74. All images 48x32.
 */
class CocoDatasetTest {

    @TempDir
    Path temp;

    @Test
    void shouldOrderClassesByCategoryIdNotByFileOrder() {
        Dataset coco = Datasets.open("coco2014", DatasetFixtures.coco());
        assertThat(coco.classNames()).containsExactly("person", "car", "dog");
        assertThat(coco.splits()).containsExactlyInAnyOrder(Split.TRAIN, Split.VAL);
    }

    @Test
    void shouldLabelEveryAnnotatedCategoryIncludingCrowdsAndKeepUnannotatedImages() {
        Dataset coco = Datasets.open("coco2014", DatasetFixtures.coco());
        List<LabelledImage> train = coco.images(Split.TRAIN);
        assertThat(train).extracting(LabelledImage::id).containsExactly("9", "25", "30", "42");
        assertThat(train.get(0).labels()).containsExactly("person", "dog");
        assertThat(train.get(1).labels()).containsExactly("car");
        assertThat(train.get(2).labels()).isEmpty();
        assertThat(train.get(2).boxes()).isEmpty();
        assertThat(train.get(3).labels()).containsExactly("dog");
        assertThat(coco.positives(train)).isDeepEqualTo(new boolean[][] {
            {true, false, true}, {false, true, false}, {false, false, false}, {false, false, true}
        });
    }

    @Test
    void shouldConvertBboxesInAnnotationOrder() {
        List<LabelledImage> train =
                Datasets.open("coco2014", DatasetFixtures.coco()).images(Split.TRAIN);
        // image 9: person [10.4, 5.6, 20.1, 10.2], dog [1, 2, 3, 4], dog [30.5, 14.25, 10, 12.5]
        assertThat(train.get(0).boxes())
                .containsExactly(
                        new ObjectBox("person", 10, 5, 31, 16, false, false),
                        new ObjectBox("dog", 1, 2, 4, 6, false, false),
                        new ObjectBox("dog", 30, 14, 41, 27, false, false));
        // image 25: crowd car over the whole image; image 42: dog [40.2, 20.7, 8.3, 11.9] clipped to 48x32
        assertThat(train.get(1).boxes()).containsExactly(new ObjectBox("car", 0, 0, 48, 32, false, true));
        assertThat(train.get(3).boxes()).containsExactly(new ObjectBox("dog", 40, 20, 48, 32, false, false));
    }

    @Test
    void shouldReadTheValSplitFromItsOwnFileAndFolder() {
        Dataset coco = Datasets.open("coco2014", DatasetFixtures.coco());
        List<LabelledImage> val = coco.images(Split.VAL);
        assertThat(val).extracting(LabelledImage::id).containsExactly("73", "74");
        assertThat(val.get(0).labels()).containsExactly("person");
        assertThat(val.get(0).file())
                .isEqualTo(coco.root().resolve("val2014/COCO_val2014_000000000073.jpg"))
                .isRegularFile();
        assertThat(val.get(0).width()).isEqualTo(48);
        assertThat(val.get(0).height()).isEqualTo(32);
    }

    @Test
    void shouldRefuseSplitsCocoDoesNotDefine() {
        Dataset coco = Datasets.open("coco2014", DatasetFixtures.coco());
        assertThatThrownBy(() -> coco.images(Split.TRAINVAL))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("splits: train, val");
    }

    @Test
    void shouldListTheExpectedLayoutWhenNoInstancesFileIsThere() throws IOException {
        Files.createDirectories(temp.resolve("annotations"));
        assertThatThrownBy(() -> Datasets.open("coco2014", temp))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(
                        temp.resolve("annotations/instances_train2014.json").toString())
                .hasMessageContaining("train2014/COCO_train2014_{id:012d}.jpg");
    }

    @Test
    void shouldNameTheMissingInstancesFileAndImageFolderOfASplit() throws IOException {
        Path root = DatasetFixtures.copy(DatasetFixtures.coco(), temp);
        Path valJson = root.resolve("annotations/instances_val2014.json");
        Files.delete(valJson);
        Path trainFolder = root.resolve("train2014");
        Files.move(trainFolder, root.resolve("elsewhere"));
        Dataset coco = Datasets.open("coco2014", root);
        assertThat(coco.splits()).containsExactly(Split.TRAIN);
        assertThatThrownBy(() -> coco.images(Split.VAL))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(valJson + " is missing");
        assertThatThrownBy(() -> coco.images(Split.TRAIN))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("image folder " + trainFolder + " is missing");
    }

    @Test
    void shouldNameAMissingImageFile() throws IOException {
        Path root = DatasetFixtures.copy(DatasetFixtures.coco(), temp);
        Path image = root.resolve("train2014/COCO_train2014_000000000030.jpg");
        Files.delete(image);
        assertThatThrownBy(() -> Datasets.open("coco2014", root).images(Split.TRAIN))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("1 of the 4")
                .hasMessageContaining(image.toString());
    }

    @Test
    void shouldNameTheAnnotationThatRefersToAnUndefinedCategory() throws IOException {
        Path root = DatasetFixtures.copy(DatasetFixtures.coco(), temp);
        Path json = root.resolve("annotations/instances_train2014.json");
        Files.writeString(json, Files.readString(json).replace("\"category_id\": 3,", "\"category_id\": 77,"));
        assertThatThrownBy(() -> Datasets.open("coco2014", root).images(Split.TRAIN))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(json + ": annotation id 103 refers to category id 77");
    }

    @Test
    void shouldNameTheLineOfAMalformedBbox() throws IOException {
        Path json = temp.resolve("instances.json");
        Files.writeString(json, """
            {"images": [{"id": 1, "file_name": "a.jpg", "width": 4, "height": 4}],
             "annotations": [
               {"id": 5, "image_id": 1, "category_id": 1, "bbox": [1, 2, 3]}
             ],
             "categories": [{"id": 1, "name": "person"}]}
            """);
        assertThatThrownBy(() -> CocoInstancesReader.read(json, false))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(json + " line 3")
                .hasMessageContaining("annotations[0].bbox must be four numbers");
    }

    @Test
    void shouldNameTheLocationOfInvalidJson() throws IOException {
        Path json = temp.resolve("instances.json");
        Files.writeString(json, "{\"images\": [\n{\"id\": 1,,}\n]}");
        assertThatThrownBy(() -> CocoInstancesReader.read(json, false))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(json + " line 2")
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void shouldRefuseTrainAndValFilesWithDifferentCategories() throws IOException {
        Path root = DatasetFixtures.copy(DatasetFixtures.coco(), temp);
        Path train = root.resolve("annotations/instances_train2014.json");
        Files.writeString(train, Files.readString(train).replace("\"name\": \"car\"", "\"name\": \"truck\""));
        Dataset coco = Datasets.open("coco2014", root);
        assertThat(coco.classNames()).containsExactly("person", "car", "dog");
        assertThatThrownBy(() -> coco.images(Split.TRAIN))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("the categories of " + train + " differ from those of "
                        + root.resolve("annotations/instances_val2014.json"));
    }

    @Test
    void shouldRefuseAFileNameThatLeavesTheImageFolder() throws IOException {
        Path root = DatasetFixtures.copy(DatasetFixtures.coco(), temp);
        Path json = root.resolve("annotations/instances_val2014.json");
        Files.writeString(json, Files.readString(json).replace("COCO_val2014_000000000074.jpg", "../secret.jpg"));
        assertThatThrownBy(() -> Datasets.open("coco2014", root).images(Split.VAL))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("'../secret.jpg'");
    }
}
