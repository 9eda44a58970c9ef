package io.ccdstream.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.ccdstream.schemas.Label;
import io.ccdstream.schemas.LabelStage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingSetTest {

    private static final List<String> CLASSES = List.of("cat", "dog");

    @TempDir
    Path dir;

    @Test
    void shouldKeepOnlyTheLatestLabelOfAnImage() throws IOException {
        TrainingSet set = TrainingSet.open(dir, "cs", CLASSES, 10);
        set.putImage("a", new byte[] {1});
        set.putLabel("a", initial(0.2f, 0.9f));

        set.putLabel("a", refined(1, 0.7f, 0.1f));

        assertThat(set.trainable())
                .singleElement()
                .satisfies(e -> assertThat(e.label()).isEqualTo(refined(1, 0.7f, 0.1f)));
    }

    @Test
    void shouldNotTrainOnAnImageWhoseLabelWasDroppedUntilANewLabelArrives() throws IOException {
        // Given an image with pixels and a label
        TrainingSet set = TrainingSet.open(dir, "cs", CLASSES, 10);
        set.putImage("a", new byte[] {1});
        set.putLabel("a", initial(0.2f, 0.9f));

        // When its label is dropped (the labeler marked it "none")
        set.dropLabel("a");

        // Then it is not trainable, but keeps its pixels for a later label
        assertThat(set.trainable()).isEmpty();
        set.putLabel("a", initial(0.8f, 0.1f));
        assertThat(set.trainable())
                .singleElement()
                .satisfies(e -> assertThat(e.pixelFile()).isNotNull());
    }

    @Test
    void shouldNotCountAnUnchangedLabelAsNew() throws IOException {
        TrainingSet set = TrainingSet.open(dir, "cs", CLASSES, 10);
        assertThat(set.putLabel("a", initial(0.2f, 0.9f))).isTrue();
        long seq = set.lastSeq();

        assertThat(set.putLabel("a", initial(0.2f, 0.9f))).isFalse();

        assertThat(set.lastSeq()).isEqualTo(seq);
    }

    @Test
    void shouldEvictTheOldestImageWithItsPixelsPastTheBound() throws IOException {
        TrainingSet set = TrainingSet.open(dir, "cs", CLASSES, 2);
        for (String id : List.of("first", "second", "third")) {
            set.putImage(id, new byte[] {7});
            set.putLabel(id, initial(0.5f, 0.5f));
        }

        assertThat(set.trainable()).extracting(TrainingExample::imageId).containsExactly("second", "third");
        try (var pixels = Files.list(dir.resolve("pixels"))) {
            assertThat(pixels.count()).isEqualTo(2);
        }
    }

    @Test
    void shouldReloadWhatWasFlushedAndForgetWhatWasNot() throws IOException {
        TrainingSet set = TrainingSet.open(dir, "cs", CLASSES, 10);
        set.putImage("kept", new byte[] {1, 2});
        set.putLabel("kept", refined(3, 1f, 0f));
        set.markTrained(set.lastSeq());
        set.flush();
        set.putLabel("unflushed", initial(0.1f, 0.1f));

        TrainingSet reopened = TrainingSet.open(dir, "cs", CLASSES, 10);

        assertThat(reopened.trainable()).singleElement().satisfies(e -> {
            assertThat(e.imageId()).isEqualTo("kept");
            assertThat(e.label()).isEqualTo(refined(3, 1f, 0f));
        });
        assertThat(reopened.pixels(reopened.trainable().get(0))).containsExactly(1, 2);
        assertThat(reopened.size()).isEqualTo(1);
        assertThat(reopened.trainedThroughSeq())
                .isEqualTo(set.trainedThroughSeq())
                .isPositive();
    }

    @Test
    void shouldDropAnExampleWhosePixelFileIsGone() throws IOException {
        TrainingSet set = TrainingSet.open(dir, "cs", CLASSES, 10);
        set.putImage("a", new byte[] {1});
        set.putLabel("a", initial(0.5f, 0.5f));
        set.flush();
        try (var pixels = Files.list(dir.resolve("pixels"))) {
            Files.delete(pixels.findFirst().orElseThrow());
        }

        assertThat(TrainingSet.open(dir, "cs", CLASSES, 10).trainable()).isEmpty();
    }

    @Test
    void shouldChooseSliceCandidatesByAStableHashOfTheImageId() {
        List<String> ids = IntStream.range(0, 4000).mapToObj(i -> "image-" + i).toList();

        long candidates =
                ids.stream().filter(id -> HeldOutSlice.candidate(id, 8)).count();

        // the same answer every time, for about one image in eight, none when the slice is off
        assertThat(ids.stream().filter(id -> HeldOutSlice.candidate(id, 8)).toList())
                .isEqualTo(
                        ids.stream().filter(id -> HeldOutSlice.candidate(id, 8)).toList());
        assertThat(candidates).isBetween(400L, 600L);
        assertThat(ids.stream().noneMatch(id -> HeldOutSlice.candidate(id, 0))).isTrue();
        assertThat(ids.stream().allMatch(id -> HeldOutSlice.candidate(id, 1))).isTrue();
    }

    @Test
    void shouldHoldOutCandidatesWithTheirFirstLabelAndNeverTrainOnThem() throws IOException {
        // Given a slice of one image in two, at most 3 images
        TrainingSet set = TrainingSet.open(dir, "cs", CLASSES, 100, 2, 3);
        List<String> ids = IntStream.range(0, 40).mapToObj(i -> "img-" + i).toList();

        // When 40 images arrive with a label, then get a second label
        for (String id : ids) {
            set.putImage(id, new byte[] {1});
            set.putLabel(id, initial(0.9f, 0.1f));
        }
        for (String id : ids) {
            set.putLabel(id, refined(1, 0.2f, 0.8f));
        }

        // Then the first 3 candidates are held out with their first label, and are not trainable
        List<String> heldOut = ids.stream()
                .filter(id -> HeldOutSlice.candidate(id, 2))
                .limit(3)
                .toList();
        assertThat(set.heldOut()).extracting(TrainingExample::imageId).containsExactlyElementsOf(heldOut);
        assertThat(set.heldOut()).allSatisfy(e -> assertThat(e.label()).isEqualTo(initial(0.9f, 0.1f)));
        assertThat(set.trainable()).extracting(TrainingExample::imageId).doesNotContainAnyElementsOf(heldOut);
        assertThat(set.trainable()).hasSize(ids.size() - 3);
    }

    @Test
    void shouldNotHoldOutAnImageThatWasTrainableBefore() throws IOException {
        // Given a slice of one image, full with candidate a, and candidate b trainable meanwhile
        List<String> candidates = IntStream.range(0, 100)
                .mapToObj(i -> "c-" + i)
                .filter(id -> HeldOutSlice.candidate(id, 2))
                .limit(2)
                .toList();
        String a = candidates.get(0);
        String b = candidates.get(1);
        TrainingSet set = TrainingSet.open(dir, "cs", CLASSES, 100, 2, 1);
        set.putLabel(a, initial(0.9f, 0.1f));
        set.putImage(a, new byte[] {1});
        set.putImage(b, new byte[] {2});
        set.putLabel(b, initial(0.9f, 0.1f));
        assertThat(set.heldOut()).extracting(TrainingExample::imageId).containsExactly(a);

        // When a leaves the slice and b gets new labels (one after its label was dropped)
        set.remove(a);
        set.putLabel(b, refined(1, 0.3f, 0.7f));
        set.dropLabel(b);
        set.putLabel(b, refined(2, 0.4f, 0.6f));

        // Then b stays a training image: a round may have trained on it
        assertThat(set.heldOut()).isEmpty();
        assertThat(set.trainable()).extracting(TrainingExample::imageId).containsExactly(b);
    }

    @Test
    void shouldKeepTheSliceAcrossEvictionAndRestart() throws IOException {
        // Given a training set of 2 images and a slice of one image in two
        TrainingSet set = TrainingSet.open(dir, "cs", CLASSES, 2, 2, 2);
        List<String> ids = IntStream.range(0, 30).mapToObj(i -> "img-" + i).toList();
        for (String id : ids) {
            set.putImage(id, new byte[] {7});
            set.putLabel(id, initial(0.6f, 0.4f));
        }
        List<String> heldOut =
                set.heldOut().stream().map(TrainingExample::imageId).toList();

        // When many more images arrive than the bound, and the trainer restarts
        set.flush();
        TrainingSet reopened = TrainingSet.open(dir, "cs", CLASSES, 2, 2, 2);

        // Then the slice is intact, with its pixels, while training images were evicted
        assertThat(heldOut)
                .hasSize(2)
                .containsExactly(ids.stream()
                        .filter(id -> HeldOutSlice.candidate(id, 2))
                        .limit(2)
                        .toArray(String[]::new));
        assertThat(reopened.heldOut()).extracting(TrainingExample::imageId).containsExactlyElementsOf(heldOut);
        assertThat(reopened.trainable()).hasSize(2);
        for (TrainingExample example : reopened.heldOut()) {
            assertThat(reopened.pixels(example)).containsExactly(7);
        }
    }

    @Test
    void shouldLoadAnIndexWrittenBeforeTheSliceExisted() throws IOException {
        // the format-1 index.json: no heldOut, no refineRan
        Files.createDirectories(dir.resolve("pixels"));
        Files.write(dir.resolve("pixels").resolve("p.img"), new byte[] {1});
        Files.writeString(dir.resolve("index.json"), """
                {"format":1,"classSetId":"cs","classNames":["cat","dog"],"lastArrival":1,"lastSeq":1,
                 "trainedThroughSeq":0,"examples":[{"imageId":"a","pixelFile":"p.img","arrival":1,"labelSeq":1,
                 "label":{"stage":"INITIAL","checkpointVersion":null,"scores":[0.5,0.5],"global":[0.5,0.5]}}]}
                """);

        TrainingSet set = TrainingSet.open(dir, "cs", CLASSES, 10, 8, 256);

        assertThat(set.trainable()).extracting(TrainingExample::imageId).containsExactly("a");
        assertThat(set.heldOut()).isEmpty();
        assertThat(set.refineRan()).isFalse();
    }

    @Test
    void shouldRememberThatTheRefinementRan() throws IOException {
        TrainingSet set = TrainingSet.open(dir, "cs", CLASSES, 10);
        set.markRefineRan();
        set.flush();

        assertThat(TrainingSet.open(dir, "cs", CLASSES, 10).refineRan()).isTrue();
    }

    @Test
    void shouldNeverLetAPseudoLabelReplaceAVerifiedOne() throws IOException {
        // Given an image a person reviewed
        TrainingSet set = TrainingSet.open(dir, "cs", CLASSES, 10);
        set.putImage("a", new byte[] {1});
        set.putLabel("a", initial(0.2f, 0.9f));
        StoredLabel verified =
                new StoredLabel(LabelStage.VERIFIED, null, new float[] {1f, 0.9f}, new float[] {1f, 0.9f});
        assertThat(set.putLabel("a", verified)).isTrue();

        // When pseudo-labels of it arrive, or a "none" verdict of the labeler
        assertThat(set.putLabel("a", refined(3, 0.1f, 0.8f))).isFalse();
        set.dropLabel("a");

        // Then the verdict stays, and a later review replaces it
        assertThat(set.trainable())
                .singleElement()
                .satisfies(e -> assertThat(e.label()).isEqualTo(verified));
        StoredLabel again = new StoredLabel(LabelStage.VERIFIED, null, new float[] {0f, 0.9f}, new float[] {0f, 0.9f});
        assertThat(set.putLabel("a", again)).isTrue();
    }

    @Test
    void shouldPutTheVerdictsIntoTheWarmupTargetsOfAVerifiedLabel() {
        Label label = Label.newBuilder()
                .setImageId("a")
                .setClassSetId("cs")
                .setClassNames(CLASSES)
                .setStage(LabelStage.VERIFIED)
                .setScores(List.of(0f, 1f))
                .setGlobal(List.of(0.7f, 0.3f))
                .setReviewedClasses(List.of("dog"))
                .setAlpha(0.4f)
                .setModelId("m")
                .setClipInferences(1)
                .setLabeledAt(java.time.Instant.EPOCH)
                .build();

        StoredLabel stored = StoredLabel.of(label);

        // the reviewed class takes the verdict; "cat" was not reviewed and keeps its global score
        assertThat(stored.global()).containsExactly(0.7f, 1f);
        assertThat(stored.verified()).isTrue();
    }

    static StoredLabel initial(float... global) {
        return new StoredLabel(LabelStage.INITIAL, null, global, global);
    }

    static StoredLabel refined(long checkpoint, float... scores) {
        return new StoredLabel(LabelStage.REFINED, checkpoint, scores, scores);
    }
}
