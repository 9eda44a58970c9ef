package io.ccdstream.data.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PASCAL VOC on the fixture written by make_dataset_fixtures.py: VOC2012 train = 2008_000008,
 * 2008_000015, 2009_000020; val = 2010_000030, 2011_000040; VOC2007 trainval = 000005, 000007 and
 * test = 000001. All images 48x32.
 */
class VocDatasetTest {

    @TempDir
    Path temp;

    @Test
    void shouldListTheTwentyClassesInTheDevkitOrder() {
        Dataset voc = Datasets.open("voc2012", DatasetFixtures.vocDevkit());
        assertThat(voc.classNames())
                .containsExactly(
                        "aeroplane",
                        "bicycle",
                        "bird",
                        "boat",
                        "bottle",
                        "bus",
                        "car",
                        "cat",
                        "chair",
                        "cow",
                        "diningtable",
                        "dog",
                        "horse",
                        "motorbike",
                        "person",
                        "pottedplant",
                        "sheep",
                        "sofa",
                        "train",
                        "tvmonitor");
    }

    @Test
    void shouldCountOnlyOneAsPositiveAndTheDifficultOnlyZeroAsNegative() {
        // cat_train.txt says "2008_000015  0": its only cat is difficult, so cat is not a label
        Map<String, LabelledImage> train =
                byId(Datasets.open("voc2012", DatasetFixtures.vocDevkit()).images(Split.TRAIN));
        assertThat(train.get("2008_000008").labels()).containsExactly("dog", "person");
        assertThat(train.get("2008_000015").labels()).containsExactly("chair");
        assertThat(train.get("2009_000020").labels()).containsExactly("bicycle");
    }

    @Test
    void shouldBuildThePositivesMatrixInClassOrder() {
        Dataset voc = Datasets.open("voc2012", DatasetFixtures.vocDevkit());
        List<LabelledImage> val = voc.images(Split.VAL);
        boolean[][] positives = voc.positives(val);
        // 2010_000030: bottle (4), dog (11; one difficult and one plain dog); 2011_000040: aeroplane (0), tvmonitor
        // (19)
        assertThat(positives[0]).containsExactly(expected(20, 4, 11));
        assertThat(positives[1]).containsExactly(expected(20, 0, 19));
        assertThat(val.get(0).labels()).containsExactly("bottle", "dog");
    }

    @Test
    void shouldSelectTheImagesOfEachSplitInListingOrder() {
        Dataset voc = Datasets.open("voc2012", DatasetFixtures.vocDevkit());
        assertThat(voc.splits()).containsExactlyInAnyOrder(Split.TRAIN, Split.VAL, Split.TRAINVAL);
        assertThat(voc.images(Split.TRAIN))
                .extracting(LabelledImage::id)
                .containsExactly("2008_000008", "2008_000015", "2009_000020");
        assertThat(voc.images(Split.VAL)).extracting(LabelledImage::id).containsExactly("2010_000030", "2011_000040");
        assertThat(voc.images(Split.TRAINVAL))
                .extracting(LabelledImage::id)
                .containsExactly("2008_000008", "2008_000015", "2009_000020", "2010_000030", "2011_000040");
    }

    @Test
    void shouldReadBoxesAsZeroBasedExclusiveWithTheDifficultFlagAndWithoutPersonParts() {
        Dataset voc = Datasets.open("voc2012", DatasetFixtures.vocDevkit());
        Map<String, LabelledImage> train = byId(voc.images(Split.TRAIN));
        // the XML says dog 5 7 20 24 and person 27 11 44 26 (1-based, inclusive); the person's head
        // and hand <part> boxes are not objects
        assertThat(train.get("2008_000008").boxes())
                .containsExactly(
                        new ObjectBox("dog", 4, 6, 20, 24, false, false),
                        new ObjectBox("person", 26, 10, 44, 26, false, false));
        // the difficult cat is kept as a box, flagged, although it is not a label
        assertThat(train.get("2008_000015").boxes())
                .extracting(ObjectBox::className, ObjectBox::difficult)
                .containsExactly(tuple("cat", true), tuple("chair", false));
        // 12.5 3.0 40.7 29.2 without a <difficult> element
        assertThat(train.get("2009_000020").boxes())
                .containsExactly(new ObjectBox("bicycle", 11, 2, 41, 30, false, false));
        LabelledImage image = train.get("2008_000008");
        assertThat(image.width()).isEqualTo(48);
        assertThat(image.height()).isEqualTo(32);
        assertThat(image.file())
                .isEqualTo(voc.root().resolve("JPEGImages/2008_000008.jpg"))
                .isRegularFile();
    }

    @Test
    void shouldAcceptARootAtVocDevkitAtTheYearFolderOrAboveVocDevkit() {
        Path devkit = DatasetFixtures.vocDevkit();
        Path expected = devkit.resolve("VOC2012");
        assertThat(Datasets.open("voc2012", devkit).root()).isEqualTo(expected);
        assertThat(Datasets.open("voc2012", expected).root()).isEqualTo(expected);
        assertThat(Datasets.open("voc2012", devkit.getParent()).root()).isEqualTo(expected);
        assertThat(Datasets.open("VOC2007", devkit).root()).isEqualTo(devkit.resolve("VOC2007"));
    }

    @Test
    void shouldOfferVoc2007TestOnlyWhereItsFilesArePresent() {
        Dataset voc2007 = Datasets.open("voc2007", DatasetFixtures.vocDevkit());
        assertThat(voc2007.splits()).containsExactlyInAnyOrder(Split.TRAINVAL, Split.TEST);
        List<LabelledImage> test = voc2007.images(Split.TEST);
        // the person of 000001 is difficult: person_test.txt says 0, a negative
        assertThat(test)
                .extracting(LabelledImage::id, LabelledImage::labels)
                .containsExactly(tuple("000001", List.of("dog")));
        assertThatThrownBy(() -> voc2007.images(Split.TRAIN))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(
                        voc2007.root().resolve("ImageSets/Main/train.txt").toString())
                .hasMessageContaining("present splits: trainval, test");
    }

    @Test
    void shouldRefuseVoc2012TestWhoseGroundTruthIsNotPublic() {
        assertThatThrownBy(() ->
                        Datasets.open("voc2012", DatasetFixtures.vocDevkit()).images(Split.TEST))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("no test split");
    }

    @Test
    void shouldNameTheMissingRoot() {
        Path missing = temp.resolve("nowhere");
        assertThatThrownBy(() -> Datasets.open("voc2012", missing))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist");
    }

    @Test
    void shouldListTheExpectedLayoutWhenTheRootHoldsNoDevkit() throws IOException {
        Files.createDirectories(temp.resolve("VOCdevkit"));
        assertThatThrownBy(() -> Datasets.open("voc2012", temp.resolve("VOCdevkit")))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(temp.resolve("VOCdevkit/VOC2012").toString())
                .hasMessageContaining("VOCdevkit/VOC2012/ImageSets/Main/{split}.txt")
                .hasMessageContaining("VOCdevkit/VOC2012/JPEGImages/{id}.jpg");
    }

    @Test
    void shouldNameAMissingLayoutFolder() throws IOException {
        Path devkit = DatasetFixtures.copy(DatasetFixtures.vocDevkit(), temp);
        deleteTree(devkit.resolve("VOC2012/JPEGImages"));
        assertThatThrownBy(() -> Datasets.open("voc2012", devkit))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("missing " + devkit.resolve("VOC2012/JPEGImages"));
    }

    @Test
    void shouldRefuseARootThatIsTheOtherYearsFolder() {
        Path voc2007 = DatasetFixtures.vocDevkit().resolve("VOC2007");
        assertThatThrownBy(() -> Datasets.open("voc2012", voc2007))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("is a VOC2007 folder");
    }

    @Test
    void shouldNameAMissingClassFile() throws IOException {
        Path devkit = DatasetFixtures.copy(DatasetFixtures.vocDevkit(), temp);
        Path sheep = devkit.resolve("VOC2012/ImageSets/Main/sheep_val.txt");
        Files.delete(sheep);
        Dataset voc = Datasets.open("voc2012", devkit);
        assertThat(voc.images(Split.TRAIN)).hasSize(3);
        assertThatThrownBy(() -> voc.images(Split.VAL))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("missing " + sheep);
    }

    @Test
    void shouldNameTheFileAndLineOfAMalformedLabel() throws IOException {
        Path devkit = DatasetFixtures.copy(DatasetFixtures.vocDevkit(), temp);
        Path dog = devkit.resolve("VOC2012/ImageSets/Main/dog_train.txt");
        Files.writeString(dog, "2008_000008  1\n2008_000015 yes\n2009_000020 -1\n");
        assertThatThrownBy(() -> Datasets.open("voc2012", devkit).images(Split.TRAIN))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(dog + " line 2: expected 'imageid 1|0|-1'");
    }

    @Test
    void shouldNameAClassFileThatMissesAnImageOfTheSplit() throws IOException {
        Path devkit = DatasetFixtures.copy(DatasetFixtures.vocDevkit(), temp);
        Path dog = devkit.resolve("VOC2012/ImageSets/Main/dog_train.txt");
        Files.writeString(dog, "2008_000008  1\n2009_000020 -1\n");
        assertThatThrownBy(() -> Datasets.open("voc2012", devkit).images(Split.TRAIN))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(dog.toString())
                .hasMessageContaining("2008_000015");
    }

    @Test
    void shouldNameMissingImagesAndAnnotations() throws IOException {
        Path devkit = DatasetFixtures.copy(DatasetFixtures.vocDevkit(), temp);
        Path jpeg = devkit.resolve("VOC2012/JPEGImages/2008_000015.jpg");
        Path xml = devkit.resolve("VOC2012/Annotations/2010_000030.xml");
        Files.delete(jpeg);
        Files.delete(xml);
        Dataset voc = Datasets.open("voc2012", devkit);
        assertThatThrownBy(() -> voc.images(Split.TRAIN))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("1 of the 3")
                .hasMessageContaining(jpeg.toString());
        assertThatThrownBy(() -> voc.images(Split.VAL))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("missing annotation file " + xml);
    }

    @Test
    void shouldNameAnAnnotationThatIsNotWellFormed() throws IOException {
        Path devkit = DatasetFixtures.copy(DatasetFixtures.vocDevkit(), temp);
        Path xml = devkit.resolve("VOC2012/Annotations/2011_000040.xml");
        Files.writeString(
                xml, "<annotation>\n<size><width>48</width><height>32</height></size>\n<object>\n</annotation>\n");
        assertThatThrownBy(() -> Datasets.open("voc2012", devkit).images(Split.VAL))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(xml + " line 4");
    }

    @Test
    void shouldRefuseAnUnknownDatasetNameListingTheKnownOnes() {
        assertThatThrownBy(() -> Datasets.open("voc2010", DatasetFixtures.vocDevkit()))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("voc2007, voc2012, coco2014");
    }

    private static Map<String, LabelledImage> byId(List<LabelledImage> images) {
        return images.stream().collect(Collectors.toMap(LabelledImage::id, Function.identity()));
    }

    private static boolean[] expected(int classes, int... positives) {
        boolean[] row = new boolean[classes];
        for (int c : positives) {
            row[c] = true;
        }
        return row;
    }

    private static void deleteTree(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
