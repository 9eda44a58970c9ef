package io.ccdstream.streams.dashboard;

import io.ccdstream.method.active.ActiveSelection;
import io.ccdstream.method.active.SelectionStrategy;
import io.ccdstream.method.metrics.MeanAveragePrecision;
import io.ccdstream.schemas.Bias;
import io.ccdstream.schemas.Checkpoint;
import io.ccdstream.schemas.ClassVerdict;
import io.ccdstream.schemas.Image;
import io.ccdstream.schemas.Label;
import io.ccdstream.schemas.LabelStage;
import io.ccdstream.schemas.Review;
import io.ccdstream.schemas.Scores;
import io.ccdstream.schemas.Verdict;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * What the dashboard shows, built from the records the pipeline wrote: counts, a time series, the recent
 * images with their scores, boxes and labels, dead letters, the bias and checkpoint histories, and the mAP
 * of the labels against ground truth when images carry it.
 *
 * <p>Every collection is bounded (the oldest entry goes first), so memory does not grow with the run; every
 * method is synchronized, so the feed thread writes while the HTTP workers read. Views are immutable copies.
 */
public final class DashboardState {

    /**
     * Besides its top class, a class counts as present in a label when its score is at least this (as
     * {@code ccd export}'s default threshold).
     */
    public static final double POSITIVE_SCORE = 0.5;

    /** Points of the time series kept (one per sample, {@link DashboardFeed#SAMPLE_INTERVAL} apart). */
    public static final int SERIES_POINTS = 600;

    /** Recent images kept with their scores and labels. */
    public static final int RECENT_IMAGES = 200;

    /**
     * Images whose encoded bytes are kept for the gallery: the latest to arrive or be labelled (a labelled
     * image moves to the front, so that the gallery's images keep theirs while new ones wait for labels).
     */
    public static final int IMAGE_BYTES_KEPT = 48;

    /** Latest dead letters kept with their details. */
    public static final int LATEST_DEAD_LETTERS = 20;

    /** Bias versions and checkpoints kept. */
    public static final int HISTORY = 100;

    /** Latest labelled images over which the positives per class are counted. */
    public static final int POSITIVES_IMAGES = 20_000;

    /** Images with ground truth kept for the live mAP. */
    public static final int GROUND_TRUTH_IMAGES = 5000;

    private final String classSetId;
    private final List<String> classNames;
    private final Map<String, ImageEntry> recent = bounded(RECENT_IMAGES);
    private final Map<String, byte[]> bytes = bounded(IMAGE_BYTES_KEPT);
    private final Map<String, Evaluated> evaluated = bounded(GROUND_TRUTH_IMAGES);
    private final Map<String, boolean[]> positives = bounded(POSITIVES_IMAGES);
    private final Deque<Point> series = new ArrayDeque<>();
    private final Deque<DeadLetter> deadLetters = new ArrayDeque<>();
    private final Map<String, Long> deadLettersByReason = new TreeMap<>();
    private final Deque<BiasVersion> biasHistory = new ArrayDeque<>();
    private final Map<Long, CheckpointEntry> checkpoints = bounded(HISTORY);
    private long imagesSeen;
    private long scored;
    private long rescored;
    private long initialLabels;
    private long refinedLabels;
    private long verifiedLabels;
    private final ReviewQueue reviewQueue;
    private Consumer<Review> reviewSink;
    private long deadLetterCount;
    private Instant lastSample;
    private long scoredAtLastSample;
    private long labelsAtLastSample;

    /** Images the review queue holds by default. */
    public static final int DEFAULT_REVIEW_QUEUE = 64;

    /**
     * State of class set {@code classSetId}, whose classes are {@code classNames}; other class sets are
     * ignored. Its review queue ranks by uncertainty.
     */
    public DashboardState(String classSetId, List<String> classNames) {
        this(classSetId, classNames, new ActiveSelection(SelectionStrategy.UNCERTAINTY, 0), DEFAULT_REVIEW_QUEUE);
    }

    /** The same with a review queue of {@code reviewQueueSize} images ranked by {@code selection}. */
    public DashboardState(String classSetId, List<String> classNames, ActiveSelection selection, int reviewQueueSize) {
        this.classSetId = classSetId;
        this.classNames = List.copyOf(classNames);
        this.reviewQueue = new ReviewQueue(selection, reviewQueueSize, classNames.size(), Instant.now());
    }

    /** An image sent to the pipeline. */
    public synchronized void image(Image image) {
        if (!classSetId.equals(image.getClassSetId())) {
            return;
        }
        imagesSeen++;
        String id = image.getImageId();
        ImageEntry entry = entry(id);
        entry.contentType = image.getContentType();
        if (image.getData() != null) {
            byte[] data = new byte[image.getData().remaining()];
            image.getData().duplicate().get(data);
            bytes.put(id, data);
        }
        if (image.getGroundTruth() != null) {
            entry.groundTruth = List.copyOf(image.getGroundTruth().getLabels());
            boolean[] truth = new boolean[classNames.size()];
            for (String name : entry.groundTruth) {
                int c = classNames.indexOf(name);
                if (c >= 0) {
                    truth[c] = true;
                }
            }
            evaluated.computeIfAbsent(id, i -> new Evaluated()).truth = truth;
        }
    }

    /** Scores the scorer wrote. */
    public synchronized void scores(Scores scores) {
        if (!classSetId.equals(scores.getClassSetId())) {
            return;
        }
        if (scores.getRescoredFrom() != null) {
            rescored++;
        } else {
            scored++;
        }
        ImageEntry entry = entry(scores.getImageId());
        entry.width = scores.getImageWidth();
        entry.height = scores.getImageHeight();
        entry.boxes = scores.getBoxes().stream()
                .map(b -> new Box(
                        b.getClassIndex() >= 0 && b.getClassIndex() < classNames.size()
                                ? classNames.get(b.getClassIndex())
                                : null,
                        b.getClassifierScore(),
                        b.getX0(),
                        b.getY0(),
                        b.getX1(),
                        b.getY1()))
                .toList();
        entry.checkpointVersion = scores.getCheckpointVersion();
    }

    /** A label the labeler wrote. */
    public synchronized void label(Label label) {
        if (!classSetId.equals(label.getClassSetId())) {
            return;
        }
        boolean refined = label.getStage() == LabelStage.REFINED;
        boolean verified = label.getStage() == LabelStage.VERIFIED;
        if (refined) {
            refinedLabels++;
        } else if (verified) {
            verifiedLabels++;
        } else {
            initialLabels++;
        }
        String id = label.getImageId();
        ImageEntry entry = entry(id);
        byte[] data = bytes.remove(id);
        if (data != null) {
            bytes.put(id, data); // latest last, as in the gallery
        }
        entry.stage = label.getStage().name();
        entry.scores = floats(label.getScores());
        entry.global = floats(label.getGlobal());
        entry.local = label.getLocal() == null ? null : floats(label.getLocal());
        entry.biasVersion = label.getBiasVersion();
        entry.labeledAt = label.getLabeledAt();
        boolean[] present = present(entry.scores);
        positives.put(id, present);
        reviewQueue.label(
                id,
                present,
                entry.scores,
                entry.global,
                entry.local,
                verified,
                usefulness -> reviewView(id, entry, usefulness),
                imageBytes(id));
        Evaluated truth = evaluated.get(id);
        if (truth != null && !verified) {
            if (refined) {
                truth.refined = entry.scores;
            } else {
                truth.initial = entry.scores;
            }
        }
    }

    /** A bias the bias service published. */
    public synchronized void bias(Bias bias) {
        if (!classSetId.equals(bias.getClassSetId())) {
            return;
        }
        biasHistory.removeIf(b -> b.version() == bias.getVersion());
        biasHistory.addLast(new BiasVersion(
                bias.getVersion(), bias.getUpdatedAt().toEpochMilli(), bias.getSamples(), List.copyOf(bias.getBias())));
        while (biasHistory.size() > HISTORY) {
            biasHistory.removeFirst();
        }
    }

    /** A checkpoint the trainer published. */
    public synchronized void checkpoint(Checkpoint checkpoint) {
        if (!classSetId.equals(checkpoint.getClassSetId())) {
            return;
        }
        CheckpointEntry entry = checkpoints.computeIfAbsent(checkpoint.getVersion(), v -> new CheckpointEntry());
        entry.version = checkpoint.getVersion();
        entry.phase = checkpoint.getPhase().name();
        entry.trainLabelMap = checkpoint.getMetrics().getTrainLabelMap();
        entry.loss = checkpoint.getMetrics().getLoss();
        entry.epochs = checkpoint.getMetrics().getEpochs();
        entry.imagesSeen = checkpoint.getMetrics().getImagesSeen();
        entry.createdAt = checkpoint.getCreatedAt();
    }

    /** The checkpoint the scorer of this process uses, seen at {@code now}: its install time is the first sight. */
    public synchronized void installed(long version, Instant now) {
        CheckpointEntry entry = checkpoints.computeIfAbsent(version, v -> new CheckpointEntry());
        entry.version = version;
        if (entry.installedAt == null) {
            entry.installedAt = now;
        }
    }

    /** A record on the dead-letter topic. */
    public synchronized void deadLetter(DeadLetter letter) {
        deadLetterCount++;
        deadLettersByReason.merge(letter.reason(), 1L, Long::sum);
        deadLetters.addFirst(letter);
        while (deadLetters.size() > LATEST_DEAD_LETTERS) {
            deadLetters.removeLast();
        }
    }

    /**
     * Adds a point to the time series at {@code now}: scores and labels per second since the previous point,
     * and the consumer lag of the services (null entries when unknown).
     */
    public synchronized void sample(Instant now, Map<String, Long> lag) {
        double seconds = lastSample == null ? 0 : (now.toEpochMilli() - lastSample.toEpochMilli()) / 1000.0;
        double scoredRate = seconds > 0 ? (scored - scoredAtLastSample) / seconds : 0;
        long labels = initialLabels + refinedLabels;
        double labelRate = seconds > 0 ? (labels - labelsAtLastSample) / seconds : 0;
        series.addLast(new Point(now.toEpochMilli(), scoredRate, labelRate, new TreeMap<>(lag), positiveCounts()));
        while (series.size() > SERIES_POINTS) {
            series.removeFirst();
        }
        lastSample = now;
        scoredAtLastSample = scored;
        labelsAtLastSample = labels;
    }

    /** Headline figures. */
    public synchronized Summary summary() {
        BiasVersion bias = biasHistory.peekLast();
        CheckpointEntry checkpoint = checkpoints.values().stream()
                .filter(c -> c.installedAt != null)
                .max(Comparator.comparingLong(c -> c.version))
                .orElse(null);
        return new Summary(
                classSetId,
                classNames,
                imagesSeen,
                scored,
                rescored,
                initialLabels,
                refinedLabels,
                verifiedLabels,
                deadLetterCount,
                new TreeMap<>(deadLettersByReason),
                bias == null ? null : bias.version(),
                checkpoint == null ? null : checkpoint.version,
                positiveCounts(),
                accuracy());
    }

    /** A review on {@code ccd.reviews} (from this dashboard or any other source): the image leaves the queue. */
    public synchronized void review(Review review) {
        if (classSetId.equals(review.getClassSetId())) {
            reviewQueue.reviewed(review.getImageId(), review.getReviewedAt(), Instant.now());
        }
    }

    /** Where {@link #submit} sends reviews (the feed's producer to {@code ccd.reviews}). */
    public synchronized void reviewSink(Consumer<Review> sink) {
        this.reviewSink = sink;
    }

    /** The most useful image to review, if the queue holds any. */
    public synchronized Optional<ReviewQueue.ReviewView> nextReview() {
        return reviewQueue.next().map(ReviewQueue.Candidate::view);
    }

    /** The encoded bytes of a queued image. */
    public synchronized Optional<EncodedImage> reviewImage(String imageId) {
        return reviewQueue.get(imageId).map(ReviewQueue.Candidate::image);
    }

    /** The review queue's size and throughput. */
    public synchronized ReviewQueue.Stats reviewStats() {
        return reviewQueue.stats(Instant.now());
    }

    /** Takes {@code imageId} out of the queue until its next label; false when it was not queued. */
    public synchronized boolean skipReview(String imageId) {
        return reviewQueue.skip(imageId);
    }

    /**
     * Checks a person's answer and turns it into a review record: the image must be queued or among the
     * recent images, every class one of the set, every verdict PRESENT, ABSENT or UNSURE.
     *
     * @param verdicts verdict per class name
     * @throws IllegalArgumentException with a message for the person when something does not fit
     * @throws NoSuchElementException when the dashboard does not know the image
     */
    public synchronized Review review(String imageId, String reviewer, Map<String, String> verdicts) {
        if (imageId == null || imageId.isBlank()) {
            throw new IllegalArgumentException("a review needs the imageId");
        }
        if (reviewQueue.get(imageId).isEmpty() && !recent.containsKey(imageId)) {
            throw new NoSuchElementException(
                    "image " + imageId + " is neither queued for review nor among the recent images");
        }
        if (verdicts == null || verdicts.isEmpty()) {
            throw new IllegalArgumentException(
                    "a review needs at least one verdict (class: PRESENT, ABSENT or UNSURE)");
        }
        List<ClassVerdict> list = new ArrayList<>();
        for (Map.Entry<String, String> verdict : verdicts.entrySet()) {
            if (!classNames.contains(verdict.getKey())) {
                throw new IllegalArgumentException(
                        "class '" + verdict.getKey() + "' is not one of class set " + classSetId + " " + classNames);
            }
            Verdict value;
            try {
                value = Verdict.valueOf(String.valueOf(verdict.getValue()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the verdict on class '" + verdict.getKey() + "' must be PRESENT,"
                        + " ABSENT or UNSURE, not " + verdict.getValue());
            }
            list.add(new ClassVerdict(verdict.getKey(), value));
        }
        String who = reviewer == null || reviewer.isBlank() ? "dashboard" : reviewer.strip();
        if (who.length() > 100) {
            throw new IllegalArgumentException("the reviewer's name is longer than 100 characters");
        }
        return Review.newBuilder()
                .setImageId(imageId)
                .setClassSetId(classSetId)
                .setVerdicts(list)
                .setReviewer(who)
                .setReviewedAt(Instant.now())
                .setSource("dashboard")
                .build();
    }

    /**
     * Sends {@code review} (made by {@link #review(String, String, Map)}) to {@code ccd.reviews} and takes
     * its image out of the queue. Called without the state's lock held, since sending waits for the broker.
     *
     * @throws IllegalStateException when this dashboard has no way to send reviews
     */
    public void submit(Review review) {
        Consumer<Review> sink;
        synchronized (this) {
            sink = reviewSink;
        }
        if (sink == null) {
            throw new IllegalStateException("this dashboard cannot write reviews (no producer to ccd.reviews)");
        }
        sink.accept(review);
        review(review);
    }

    private ReviewQueue.ReviewView reviewView(String id, ImageEntry e, double usefulness) {
        List<ClassScore> classes = new ArrayList<>();
        List<String> suggested = new ArrayList<>();
        boolean[] present = present(e.scores);
        for (int c = 0; c < classNames.size(); c++) {
            classes.add(new ClassScore(
                    classNames.get(c),
                    c < e.scores.length ? e.scores[c] : 0f,
                    e.global == null || c >= e.global.length ? null : e.global[c],
                    e.local == null || c >= e.local.length ? null : e.local[c]));
            if (present[c]) {
                suggested.add(classNames.get(c));
            }
        }
        return new ReviewQueue.ReviewView(
                id, e.stage, e.width, e.height, usefulness, classes, suggested, e.boxes == null ? List.of() : e.boxes);
    }

    /** The time series, oldest first. */
    public synchronized List<Point> series() {
        return List.copyOf(series);
    }

    /** Dead letters by reason and the latest ones, newest first. */
    public synchronized DeadLetters deadLetters() {
        return new DeadLetters(deadLetterCount, new TreeMap<>(deadLettersByReason), List.copyOf(deadLetters));
    }

    /** The bias versions seen, oldest first. */
    public synchronized List<BiasVersion> biasHistory() {
        return List.copyOf(biasHistory);
    }

    /** The checkpoints seen, oldest first. */
    public synchronized List<CheckpointView> checkpoints() {
        return checkpoints.values().stream()
                .sorted(Comparator.comparingLong(c -> c.version))
                .map(CheckpointEntry::view)
                .toList();
    }

    /** The {@code limit} latest labelled images, newest first. */
    public synchronized List<ImageView> images(int limit) {
        List<ImageView> views = new ArrayList<>();
        List<String> ids = new ArrayList<>(recent.keySet());
        Collections.reverse(ids);
        for (String id : ids) {
            ImageEntry entry = recent.get(id);
            if (entry.stage != null) {
                views.add(view(id, entry));
                if (views.size() == limit) {
                    break;
                }
            }
        }
        return views;
    }

    /** One of the recent images. */
    public synchronized Optional<ImageView> image(String imageId) {
        ImageEntry entry = recent.get(imageId);
        return entry == null ? Optional.empty() : Optional.of(view(imageId, entry));
    }

    /** The encoded bytes and content type of one of the latest images, when it came inline. */
    public synchronized Optional<EncodedImage> imageBytes(String imageId) {
        byte[] data = bytes.get(imageId);
        ImageEntry entry = recent.get(imageId);
        return data == null || entry == null
                ? Optional.empty()
                : Optional.of(new EncodedImage(entry.contentType, data.clone()));
    }

    private ImageView view(String id, ImageEntry e) {
        return new ImageView(
                id,
                e.stage,
                e.width,
                e.height,
                bytes.containsKey(id),
                e.scores == null ? List.of() : top(e, 5),
                e.boxes,
                e.groundTruth,
                e.biasVersion,
                e.checkpointVersion,
                e.labeledAt == null ? null : e.labeledAt.toEpochMilli());
    }

    private List<ClassScore> top(ImageEntry e, int k) {
        return IntStream.range(0, e.scores.length)
                .boxed()
                .sorted(Comparator.comparingDouble((Integer c) -> e.scores[c]).reversed())
                .limit(k)
                .map(c -> new ClassScore(
                        classNames.get(c),
                        e.scores[c],
                        e.global == null || c >= e.global.length ? null : e.global[c],
                        e.local == null || c >= e.local.length ? null : e.local[c]))
                .toList();
    }

    /** The classes counted present in a label: its top class, and any other class scoring at least {@link #POSITIVE_SCORE}. */
    private boolean[] present(float[] scores) {
        boolean[] present = new boolean[classNames.size()];
        int top = -1;
        for (int c = 0; c < Math.min(present.length, scores.length); c++) {
            present[c] = scores[c] >= POSITIVE_SCORE;
            if (top < 0 || scores[c] > scores[top]) {
                top = c;
            }
        }
        if (top >= 0) {
            present[top] = true;
        }
        return present;
    }

    private List<Long> positiveCounts() {
        long[] counts = new long[classNames.size()];
        for (boolean[] present : positives.values()) {
            for (int c = 0; c < counts.length; c++) {
                if (present[c]) {
                    counts[c]++;
                }
            }
        }
        return Arrays.stream(counts).boxed().toList();
    }

    /** mAP of the initial and the refined labels of the images with ground truth; null without any. */
    private Accuracy accuracy() {
        List<Evaluated> initial = evaluated.values().stream()
                .filter(e -> e.truth != null && e.initial != null)
                .toList();
        List<Evaluated> refined = evaluated.values().stream()
                .filter(e -> e.truth != null && e.refined != null)
                .toList();
        if (initial.isEmpty() && refined.isEmpty()) {
            return null;
        }
        return new Accuracy(initial.size(), map(initial, e -> e.initial), refined.size(), map(refined, e -> e.refined));
    }

    /** mAP (%) over the classes present in at least one of {@code images}; null when none is. */
    private Double map(List<Evaluated> images, Function<Evaluated, float[]> scores) {
        int[] present = IntStream.range(0, classNames.size())
                .filter(c -> images.stream().anyMatch(e -> e.truth[c]))
                .toArray();
        if (images.isEmpty() || present.length == 0) {
            return null;
        }
        float[][] s = new float[images.size()][present.length];
        boolean[][] t = new boolean[images.size()][present.length];
        for (int i = 0; i < images.size(); i++) {
            for (int j = 0; j < present.length; j++) {
                float[] row = scores.apply(images.get(i));
                s[i][j] = present[j] < row.length ? row[present[j]] : 0f;
                t[i][j] = images.get(i).truth[present[j]];
            }
        }
        return MeanAveragePrecision.of(s, t).map();
    }

    private ImageEntry entry(String imageId) {
        ImageEntry entry = recent.remove(imageId);
        entry = entry == null ? new ImageEntry() : entry;
        recent.put(imageId, entry); // most recent last
        return entry;
    }

    private static float[] floats(List<Float> values) {
        float[] array = new float[values.size()];
        for (int i = 0; i < array.length; i++) {
            array[i] = values.get(i);
        }
        return array;
    }

    private static <K, V> Map<K, V> bounded(int capacity) {
        return new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        };
    }

    private static final class ImageEntry {
        String contentType;
        int width;
        int height;
        List<Box> boxes = List.of();
        Long checkpointVersion;
        String stage;
        float[] scores;
        float[] global;
        float[] local;
        Long biasVersion;
        Instant labeledAt;
        List<String> groundTruth;
    }

    private static final class Evaluated {
        boolean[] truth;
        float[] initial;
        float[] refined;
    }

    private static final class CheckpointEntry {
        long version;
        String phase;
        Double trainLabelMap;
        Double loss;
        Integer epochs;
        Long imagesSeen;
        Instant createdAt;
        Instant installedAt;

        CheckpointView view() {
            return new CheckpointView(
                    version,
                    phase,
                    trainLabelMap,
                    loss,
                    epochs,
                    imagesSeen,
                    createdAt == null ? null : createdAt.toEpochMilli(),
                    installedAt == null ? null : installedAt.toEpochMilli());
        }
    }

    /** Headline figures of the class set; {@code accuracy} is null without ground truth. */
    public record Summary(
            String classSetId,
            List<String> classNames,
            long imagesSeen,
            long imagesScored,
            long imagesRescored,
            long initialLabels,
            long refinedLabels,
            long verifiedLabels,
            long deadLetters,
            Map<String, Long> deadLettersByReason,
            Long biasVersion,
            Long checkpointVersion,
            List<Long> positivesPerClass,
            Accuracy accuracy) {}

    /** mAP (%) of the labels against ground truth, over the classes present, with the images counted. */
    public record Accuracy(int initialImages, Double initialMap, int refinedImages, Double refinedMap) {}

    /** One point of the time series: rates per second, lag per service, positives per class. */
    public record Point(
            long time,
            double scoredPerSecond,
            double labelsPerSecond,
            Map<String, Long> lag,
            List<Long> positivesPerClass) {}

    /** A dead letter: the image it was (when its key could be read), why, and where it came from. */
    public record DeadLetter(String imageId, String reason, String message, String source, String processor) {}

    /** Dead letters by reason, with the latest ones. */
    public record DeadLetters(long total, Map<String, Long> byReason, List<DeadLetter> latest) {}

    /** A bias version: when, over how many images, the value per class. */
    public record BiasVersion(long version, long updatedAt, long samples, List<Float> bias) {}

    /** A checkpoint: what the trainer published, and when this process's scorer installed it (null: not here). */
    public record CheckpointView(
            long version,
            String phase,
            Double trainLabelMap,
            Double loss,
            Integer epochs,
            Long imagesSeen,
            Long createdAt,
            Long installedAt) {}

    /** A CAM box of the refinement, in pixels of the original image. */
    public record Box(String className, float classifierScore, int x0, int y0, int x1, int y1) {}

    /** A class's final score beside its global and local (CAM crop) scores. */
    public record ClassScore(String className, float score, Float global, Float local) {}

    /** A recent image: its label's top classes, the CAM boxes, and ground truth if known. */
    public record ImageView(
            String imageId,
            String stage,
            int width,
            int height,
            boolean hasImage,
            List<ClassScore> top,
            List<Box> boxes,
            List<String> groundTruth,
            Long biasVersion,
            Long checkpointVersion,
            Long labeledAt) {}

    /** Encoded image bytes. */
    public record EncodedImage(String contentType, byte[] data) {}
}
