package io.ccdstream.topics.ingest;

import io.ccdstream.data.files.IngestLedger;
import io.ccdstream.schemas.Image;
import io.ccdstream.topics.ImageProducer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Sends images to {@code ccd.images} in batches, each confirmed: a batch is sent, every
 * acknowledgement awaited, the acknowledged images appended to the ledger (forced to disk), and only
 * then is the next batch read. An image whose id (or, for files, whose path, size and modification
 * time) the ledger holds is skipped, so re-running an ingest sends nothing twice and an interrupted
 * one resumes where its ledger stops. Every image that could not be read or was not acknowledged is
 * reported with its origin and the reason.
 */
public final class ImageIngest {

    /** Sends a batch and reports, per image in order, where it was written or why not. */
    @FunctionalInterface
    public interface Sender {
        List<ImageProducer.Sent> send(List<Image> images);
    }

    /** Reads one image record, when its batch is built. */
    @FunctionalInterface
    public interface ImageReader {
        Image read() throws IOException;
    }

    /** Told how far an ingest is, after every image decided (sent, skipped or failed). */
    @FunctionalInterface
    public interface Listener {
        void progress(Counts counts);
    }

    /**
     * One image to send.
     *
     * @param origin      the file or URL it comes from, for reports and the ledger
     * @param fingerprint the version of its file (path, size, modification time), or null
     * @param knownId     its image id when known before reading (path ids, URL lists), or null
     * @param reader      reads its record
     */
    public record Item(String origin, String fingerprint, String knownId, ImageReader reader) {}

    /** An image that was not sent, and why. */
    public record Failure(String origin, String reason) {}

    /**
     * How far an ingest is.
     *
     * @param total   images to decide
     * @param sent    acknowledged in this run
     * @param skipped acknowledged before (in the ledger) or duplicates of an image of this run
     * @param failed  not sent, with a reason
     */
    public record Counts(int total, int sent, int skipped, int failed) {
        /** Images decided so far. */
        public int done() {
            return sent + skipped + failed;
        }
    }

    /**
     * What an ingest did.
     *
     * @param claimChecks how many of the images sent went by claim check (a URI) rather than inline
     */
    public record Report(int total, int sent, int skipped, List<Failure> failures, int claimChecks) {

        /** A report of inline images only. */
        public Report(int total, int sent, int skipped, List<Failure> failures) {
            this(total, sent, skipped, failures, 0);
        }

        /** Whether every image was sent or had been before. */
        public boolean succeeded() {
            return failures.isEmpty();
        }
    }

    private final Sender sender;
    private final IngestLedger ledger;
    private final int batchSize;
    private final long batchBytes;
    private final Listener listener;

    /**
     * @param batchSize  most images per batch
     * @param batchBytes most inline bytes per batch (a batch has at least one image)
     */
    public ImageIngest(Sender sender, IngestLedger ledger, int batchSize, long batchBytes, Listener listener) {
        if (batchSize < 1 || batchBytes < 1) {
            throw new IllegalArgumentException("batch size and bytes must be positive");
        }
        this.sender = sender;
        this.ledger = ledger;
        this.batchSize = batchSize;
        this.batchBytes = batchBytes;
        this.listener = listener;
    }

    /** Sends the items that the ledger does not hold, in order. */
    public Report ingest(List<Item> items) {
        Run run = new Run(items.size());
        List<Item> batchItems = new ArrayList<>();
        List<Image> batch = new ArrayList<>();
        long bytes = 0;
        for (Item item : items) {
            if (ledger.hasFingerprint(item.fingerprint())
                    || (item.knownId() != null && (ledger.hasId(item.knownId()) || run.ids.contains(item.knownId())))) {
                run.skipped++;
                run.report();
                continue;
            }
            Image image;
            try {
                image = item.reader().read();
            } catch (IOException | RuntimeException e) {
                run.failures.add(new Failure(item.origin(), "cannot read: " + e.getMessage()));
                run.report();
                continue;
            }
            if (ledger.hasId(image.getImageId()) || !run.ids.add(image.getImageId())) {
                run.skipped++;
                run.report();
                continue;
            }
            long size = image.getData() == null ? 0 : image.getData().remaining();
            if (!batch.isEmpty() && bytes + size > batchBytes) {
                send(run, batchItems, batch);
                bytes = 0;
            }
            batchItems.add(item);
            batch.add(image);
            bytes += size;
            if (batch.size() >= batchSize) {
                send(run, batchItems, batch);
                bytes = 0;
            }
        }
        if (!batch.isEmpty()) {
            send(run, batchItems, batch);
        }
        return new Report(run.total, run.sent, run.skipped, List.copyOf(run.failures), run.claimChecks);
    }

    private void send(Run run, List<Item> items, List<Image> images) {
        List<ImageProducer.Sent> results = sender.send(List.copyOf(images));
        List<IngestLedger.Entry> acked = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            ImageProducer.Sent result = results.get(i);
            Item item = items.get(i);
            if (result.acknowledged()) {
                if (images.get(i).getUri() != null) {
                    run.claimChecks++;
                }
                acked.add(new IngestLedger.Entry(
                        images.get(i).getImageId(),
                        item.origin(),
                        item.fingerprint(),
                        result.partition(),
                        result.offset()));
            } else {
                run.ids.remove(images.get(i).getImageId());
                run.failures.add(new Failure(item.origin(), "not acknowledged: " + result.failure()));
            }
        }
        ledger.append(acked);
        run.sent += acked.size();
        items.clear();
        images.clear();
        run.report();
    }

    private final class Run {
        final int total;
        final Set<String> ids = new HashSet<>();
        final List<Failure> failures = new ArrayList<>();
        int sent;
        int skipped;
        int claimChecks;

        Run(int total) {
            this.total = total;
        }

        void report() {
            listener.progress(new Counts(total, sent, skipped, failures.size()));
        }
    }
}
