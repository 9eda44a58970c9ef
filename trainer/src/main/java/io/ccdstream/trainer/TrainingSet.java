package io.ccdstream.trainer;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer's bounded local training set: the latest label and the encoded pixels of each image,
 * kept on disk across restarts.
 * <pre>
 * &lt;dir&gt;/pixels/&lt;hash of image id&gt;.img   encoded image bytes, as received
 * &lt;dir&gt;/index.json                      every example: label, pixel file, arrival order, label sequence
 * </pre>
 * Pixel files are written durably when they arrive; the index is written durably by {@link #flush()},
 * which the input calls before it commits its offsets, so after a crash the index and the committed
 * offsets agree and the records after them are read again (every update here is idempotent).
 *
 * <p>Bounded: past {@code maxImages} the example that arrived first is evicted with its pixels.
 * Thread-safe (the trainer thread writes; status readers count).
 *
 * <p>The held-out slice: an image that {@link HeldOutSlice#candidate} picks (one in {@code sliceEvery}
 * by a hash of its id) joins the slice when it first has both pixels and a label, while the slice holds
 * fewer than {@code sliceSize} images. Its label is frozen then (later labels of it are ignored), it is
 * never trainable, and eviction does not touch it: the slice scores every checkpoint on the same
 * images and labels ({@link HeldOutSignal}). It is kept in {@code index.json} beside the examples.
 */
final class TrainingSet {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingSet.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** 2: the held-out slice and whether the refinement round ran; format 1 files load with neither. */
    private static final int FORMAT = 2;

    /**
     * What {@code index.json} holds.
     *
     * @param heldOut  the held-out slice with the labels frozen when each joined; null in format 1
     * @param refineRan whether a refinement round ran (published or not); null in format 1
     */
    record Index(
            int format,
            String classSetId,
            List<String> classNames,
            long lastArrival,
            long lastSeq,
            long trainedThroughSeq,
            List<TrainingExample> examples,
            List<TrainingExample> heldOut,
            Boolean refineRan) {}

    private final Path dir;
    private final Path pixelDir;
    private final String classSetId;
    private final List<String> classNames;
    private final int maxImages;
    private final int sliceEvery;
    private final int sliceSize;
    private final Map<String, TrainingExample> examples = new LinkedHashMap<>();
    private final Map<String, TrainingExample> heldOut = new LinkedHashMap<>();
    /** Pixel files a running round reads: their deletion waits until {@link #unpin()}. */
    private final Set<String> pinned = new HashSet<>();

    private final Set<String> deletionDeferred = new HashSet<>();
    private long lastArrival;
    private long lastSeq;
    private long trainedThroughSeq;
    private boolean refineRan;
    private boolean dirty;

    private TrainingSet(
            Path dir, String classSetId, List<String> classNames, int maxImages, int sliceEvery, int sliceSize) {
        this.dir = dir;
        this.pixelDir = dir.resolve("pixels");
        this.classSetId = classSetId;
        this.classNames = List.copyOf(classNames);
        this.maxImages = maxImages;
        this.sliceEvery = sliceEvery;
        this.sliceSize = sliceSize;
    }

    /** Opens the training set in {@code dir} without a held-out slice, loading what a previous run made durable. */
    static TrainingSet open(Path dir, String classSetId, List<String> classNames, int maxImages) throws IOException {
        return open(dir, classSetId, classNames, maxImages, 0, 0);
    }

    /**
     * Opens the training set in {@code dir}, loading what a previous run made durable.
     *
     * @param sliceEvery one image in this many may join the held-out slice; 0: no slice
     * @param sliceSize  most images of the held-out slice
     */
    static TrainingSet open(
            Path dir, String classSetId, List<String> classNames, int maxImages, int sliceEvery, int sliceSize)
            throws IOException {
        TrainingSet set = new TrainingSet(dir, classSetId, classNames, maxImages, sliceEvery, sliceSize);
        Files.createDirectories(set.pixelDir);
        DurableFiles.deleteTemporaryFiles(dir);
        DurableFiles.deleteTemporaryFiles(set.pixelDir);
        set.load();
        return set;
    }

    private void load() throws IOException {
        Path index = dir.resolve("index.json");
        if (!Files.exists(index)) {
            return;
        }
        Index loaded = JSON.readValue(index.toFile(), Index.class);
        if (!loaded.classSetId().equals(classSetId) || !loaded.classNames().equals(classNames)) {
            LOG.warn(
                    "Ignoring the training set in {}: it is for class set {} {}, not {} {}",
                    dir,
                    loaded.classSetId(),
                    loaded.classNames(),
                    classSetId,
                    classNames);
            return;
        }
        lastArrival = loaded.lastArrival();
        lastSeq = loaded.lastSeq();
        trainedThroughSeq = loaded.trainedThroughSeq();
        refineRan = Boolean.TRUE.equals(loaded.refineRan());
        for (TrainingExample example : loaded.examples()) {
            boolean pixelsLost = example.pixelFile() != null && !Files.exists(pixelDir.resolve(example.pixelFile()));
            examples.put(example.imageId(), pixelsLost ? example.withPixels(null) : example);
        }
        for (TrainingExample example : loaded.heldOut() == null ? List.<TrainingExample>of() : loaded.heldOut()) {
            if (Files.exists(pixelDir.resolve(example.pixelFile()))) {
                heldOut.put(example.imageId(), example);
            }
        }
        LOG.info(
                "Loaded a training set of {} images ({} labelled) and a held-out slice of {} from {}",
                examples.size(),
                trainableCount(),
                heldOut.size(),
                dir);
    }

    /** Stores the encoded pixels of {@code imageId}. */
    synchronized void putImage(String imageId, byte[] encoded) throws IOException {
        if (heldOut.containsKey(imageId)) {
            return;
        }
        String file = pixelFileName(imageId);
        DurableFiles.write(pixelDir.resolve(file), encoded);
        TrainingExample existing = examples.get(imageId);
        TrainingExample updated = existing == null
                ? new TrainingExample(imageId, file, ++lastArrival, 0, null)
                : existing.withPixels(file);
        examples.put(imageId, updated);
        dirty = true;
        if (existing == null || existing.pixelFile() == null) {
            maybeJoinSlice(updated);
        }
        evictOverflow();
    }

    /**
     * Keeps {@code label} as the latest label of {@code imageId}, unless the kept label is VERIFIED and
     * {@code label} is not: a pseudo-label never replaces a person's verdicts (the labeler writes none
     * after a review; this holds if one arrives anyway, e.g. from a labeler that lost its review store).
     *
     * @return whether it changed anything (a label equal to the kept one is ignored)
     */
    synchronized boolean putLabel(String imageId, StoredLabel label) throws IOException {
        TrainingExample existing = examples.get(imageId);
        if (heldOut.containsKey(imageId) || (existing != null && label.equals(existing.label()))) {
            return false;
        }
        if (existing != null && existing.label() != null && existing.label().verified() && !label.verified()) {
            return false;
        }
        lastSeq++;
        TrainingExample updated = existing == null
                ? new TrainingExample(imageId, null, ++lastArrival, lastSeq, label)
                : existing.withLabel(label, lastSeq);
        examples.put(imageId, updated);
        dirty = true;
        if (existing == null || existing.labelSeq() == 0) {
            maybeJoinSlice(updated);
        }
        evictOverflow();
        return true;
    }

    /**
     * Moves {@code example} into the held-out slice if it is a candidate, has just become trainable for
     * the first time (so no round has trained on it) and the slice has room; its label is frozen.
     */
    private void maybeJoinSlice(TrainingExample example) {
        if (example.trainable()
                && heldOut.size() < sliceSize
                && HeldOutSlice.candidate(example.imageId(), sliceEvery)) {
            examples.remove(example.imageId());
            heldOut.put(example.imageId(), example);
        }
    }

    /**
     * Forgets the label of {@code imageId} but keeps its pixels: the image is not trained on until a
     * new label arrives (a "none" label: no class of the set in it, which a later bias may change).
     */
    synchronized void dropLabel(String imageId) {
        TrainingExample existing = examples.get(imageId);
        if (existing != null && existing.label() != null && !existing.label().verified()) {
            examples.put(imageId, existing.withLabel(null, ++lastSeq));
            dirty = true;
        }
    }

    /** Forgets {@code imageId} (its label was deleted). */
    synchronized void remove(String imageId) throws IOException {
        TrainingExample removed = examples.remove(imageId);
        if (removed == null) {
            removed = heldOut.remove(imageId);
        }
        if (removed != null) {
            deletePixels(removed);
            dirty = true;
        }
    }

    /** Records that the labels up to sequence {@code seq} have been through a training round. */
    synchronized void markTrained(long seq) {
        trainedThroughSeq = Math.max(trainedThroughSeq, seq);
        dirty = true;
    }

    /** Records that a refinement round ran, published or not: the schedule moves on to continuous rounds. */
    synchronized void markRefineRan() {
        refineRan = true;
        dirty = true;
    }

    /** Whether a refinement round ran. */
    synchronized boolean refineRan() {
        return refineRan;
    }

    /** The held-out slice: images with pixels and the label frozen when they joined, in joining order. */
    synchronized List<TrainingExample> heldOut() {
        return List.copyOf(heldOut.values());
    }

    /** Number of images in the held-out slice. */
    synchronized int heldOutCount() {
        return heldOut.size();
    }

    /** Writes the index durably if anything changed since the last flush. */
    synchronized void flush() throws IOException {
        if (!dirty) {
            return;
        }
        Index index = new Index(
                FORMAT,
                classSetId,
                classNames,
                lastArrival,
                lastSeq,
                trainedThroughSeq,
                new ArrayList<>(examples.values()),
                new ArrayList<>(heldOut.values()),
                refineRan);
        DurableFiles.write(dir.resolve("index.json"), JSON.writeValueAsBytes(index));
        dirty = false;
    }

    /** The examples with pixels and a label, oldest first. */
    synchronized List<TrainingExample> trainable() {
        return examples.values().stream().filter(TrainingExample::trainable).toList();
    }

    /** Number of examples with pixels and a label. */
    synchronized int trainableCount() {
        return (int)
                examples.values().stream().filter(TrainingExample::trainable).count();
    }

    /** Number of images or labels kept. */
    synchronized int size() {
        return examples.size();
    }

    /** The sequence number of the latest label change. */
    synchronized long lastSeq() {
        return lastSeq;
    }

    /** The sequence number up to which labels have been trained on. */
    synchronized long trainedThroughSeq() {
        return trainedThroughSeq;
    }

    /**
     * Keeps the pixel files of {@code examples} on disk until {@link #unpin()}, even if their images are
     * evicted or removed meanwhile (a round that trains on them reads them after the input moved on).
     */
    synchronized void pin(List<TrainingExample> examples) {
        examples.stream()
                .map(TrainingExample::pixelFile)
                .filter(Objects::nonNull)
                .forEach(pinned::add);
    }

    /** Releases the pins and deletes the pinned files whose images left the training set meanwhile. */
    synchronized void unpin() throws IOException {
        pinned.clear();
        Set<String> inUse = new HashSet<>();
        heldOut.values().stream().map(TrainingExample::pixelFile).forEach(inUse::add);
        examples.values().stream()
                .map(TrainingExample::pixelFile)
                .filter(Objects::nonNull)
                .forEach(inUse::add);
        for (String file : deletionDeferred) {
            if (!inUse.contains(file)) {
                Files.deleteIfExists(pixelDir.resolve(file));
            }
        }
        deletionDeferred.clear();
    }

    /** The encoded pixels of {@code example}. */
    byte[] pixels(TrainingExample example) throws IOException {
        return Files.readAllBytes(pixelDir.resolve(example.pixelFile()));
    }

    private void evictOverflow() throws IOException {
        Iterator<TrainingExample> oldestFirst = examples.values().iterator();
        while (examples.size() > maxImages && oldestFirst.hasNext()) {
            TrainingExample oldest = oldestFirst.next();
            oldestFirst.remove();
            deletePixels(oldest);
        }
    }

    private void deletePixels(TrainingExample example) throws IOException {
        if (heldOut.containsKey(example.imageId())) {
            return;
        }
        if (example.pixelFile() == null) {
            return;
        }
        if (pinned.contains(example.pixelFile())) {
            deletionDeferred.add(example.pixelFile());
        } else {
            Files.deleteIfExists(pixelDir.resolve(example.pixelFile()));
        }
    }

    private static String pixelFileName(String imageId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(imageId.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 20) + ".img";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
    }
}
