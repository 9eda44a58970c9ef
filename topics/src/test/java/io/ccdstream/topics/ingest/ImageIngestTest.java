package io.ccdstream.topics.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ccdstream.data.ImageRecords;
import io.ccdstream.data.files.IngestLedger;
import io.ccdstream.schemas.Image;
import io.ccdstream.topics.ImageProducer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageIngestTest {

    @TempDir
    Path dir;

    private final List<String> sent = new ArrayList<>();
    private final List<List<String>> batches = new ArrayList<>();

    private List<ImageProducer.Sent> acknowledgeAll(List<Image> images) {
        batches.add(images.stream().map(Image::getImageId).toList());
        List<ImageProducer.Sent> results = new ArrayList<>();
        for (Image image : images) {
            sent.add(image.getImageId());
            results.add(new ImageProducer.Sent(0, sent.size() - 1, null));
        }
        return results;
    }

    private static ImageIngest.Item item(String id) {
        return new ImageIngest.Item("/in/" + id, "/in/" + id + "|1|1", id, () -> image(id));
    }

    private static Image image(String id) {
        return ImageRecords.inlineTaken("cs", id, new byte[] {1, 2, 3}, "image/png", Instant.EPOCH, Map.of());
    }

    private static List<ImageIngest.Item> items(int count) {
        return IntStream.range(0, count).mapToObj(i -> item("img-" + i)).toList();
    }

    @Test
    void shouldSendInConfirmedBatchesAndNothingTwiceAcrossRuns() {
        List<ImageIngest.Counts> progress = new ArrayList<>();
        try (IngestLedger ledger = IngestLedger.open(dir, "cs")) {
            ImageIngest.Report first =
                    new ImageIngest(this::acknowledgeAll, ledger, 4, 1 << 20, progress::add).ingest(items(10));
            assertThat(first).isEqualTo(new ImageIngest.Report(10, 10, 0, List.of()));
        }
        assertThat(batches).extracting(List::size).containsExactly(4, 4, 2);
        assertThat(progress.get(progress.size() - 1)).isEqualTo(new ImageIngest.Counts(10, 10, 0, 0));
        try (IngestLedger ledger = IngestLedger.open(dir, "cs")) {
            ImageIngest.Report second =
                    new ImageIngest(this::acknowledgeAll, ledger, 4, 1 << 20, c -> {}).ingest(items(12));
            assertThat(second).isEqualTo(new ImageIngest.Report(12, 2, 10, List.of()));
        }
        assertThat(sent).hasSize(12).doesNotHaveDuplicates();
    }

    @Test
    void shouldResumeAfterAnInterruptionWithoutResendingWhatWasAcknowledged() {
        int[] calls = {0};
        ImageIngest.Sender crashing = images -> {
            if (++calls[0] == 3) {
                throw new IllegalStateException("killed");
            }
            return acknowledgeAll(images);
        };
        try (IngestLedger ledger = IngestLedger.open(dir, "cs")) {
            assertThatThrownBy(() -> new ImageIngest(crashing, ledger, 5, 1 << 20, c -> {}).ingest(items(20)))
                    .hasMessage("killed");
        }
        assertThat(sent).hasSize(10);
        try (IngestLedger ledger = IngestLedger.open(dir, "cs")) {
            assertThat(new ImageIngest(this::acknowledgeAll, ledger, 5, 1 << 20, c -> {}).ingest(items(20)))
                    .isEqualTo(new ImageIngest.Report(20, 10, 10, List.of()));
        }
        assertThat(sent).hasSize(20).doesNotHaveDuplicates();
    }

    @Test
    void shouldReportUnreadableAndUnacknowledgedImagesByOriginAndKeepThemOutOfTheLedger() {
        ImageIngest.Sender refusingB = images -> images.stream()
                .map(i -> i.getImageId().equals("b")
                        ? new ImageProducer.Sent(-1, -1, "RecordTooLargeException: too big")
                        : new ImageProducer.Sent(0, 1, null))
                .toList();
        List<ImageIngest.Item> items = List.of(item("a"), item("b"), new ImageIngest.Item("/in/c", null, "c", () -> {
            throw new IOException("permission denied");
        }));
        try (IngestLedger ledger = IngestLedger.open(dir, "cs")) {
            ImageIngest.Report report = new ImageIngest(refusingB, ledger, 10, 1 << 20, c -> {}).ingest(items);

            assertThat(report.sent()).isEqualTo(1);
            assertThat(report.succeeded()).isFalse();
            assertThat(report.failures())
                    .containsExactly(
                            new ImageIngest.Failure("/in/c", "cannot read: permission denied"),
                            new ImageIngest.Failure("/in/b", "not acknowledged: RecordTooLargeException: too big"));
            assertThat(ledger.hasId("a")).isTrue();
            assertThat(ledger.hasId("b")).isFalse();
            assertThat(ledger.hasId("c")).isFalse();
        }
    }

    @Test
    void shouldSkipASecondImageWithTheSameIdInOneRunAndCutBatchesByBytes() {
        List<ImageIngest.Item> items = List.of(
                new ImageIngest.Item("/in/x1", null, null, () -> image("same")),
                new ImageIngest.Item("/in/x2", null, null, () -> image("same")),
                item("other"));
        try (IngestLedger ledger = IngestLedger.open(dir, "cs")) {
            assertThat(new ImageIngest(this::acknowledgeAll, ledger, 10, 4, c -> {}).ingest(items))
                    .isEqualTo(new ImageIngest.Report(3, 2, 1, List.of()));
        }
        assertThat(batches).containsExactly(List.of("same"), List.of("other"));
    }
}
