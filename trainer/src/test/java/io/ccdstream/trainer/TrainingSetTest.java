package io.ccdstream.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.ccdstream.schemas.LabelStage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

    static StoredLabel initial(float... global) {
        return new StoredLabel(LabelStage.INITIAL, null, global, global);
    }

    static StoredLabel refined(long checkpoint, float... scores) {
        return new StoredLabel(LabelStage.REFINED, checkpoint, scores, scores);
    }
}
