package io.ccdstream.trainer;

import io.ccdstream.schemas.CheckpointPhase;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * When the trainer trains and on what (ALGORITHM.md sections 3 and 5):
 * <ol>
 *   <li>no checkpoint yet: once {@code warmupMinImages} images are labelled (the held-out slice included,
 *       though it is not trained on), a WARMUP round of
 *       {@code warmupEpochs} epochs, BCE only, on the initial (debiased global) labels;</li>
 *   <li>after the warm-up checkpoint: once {@code refineMinRefinedShare} of the labelled images carry
 *       REFINED labels made with it (or a later checkpoint), a REFINE round from its weights on the
 *       final labels with the consistency loss, the early-stopping rule choosing among up to
 *       {@code refineMaxEpochs} epochs; it runs once, published or not ({@link PublishDecision});</li>
 *   <li>after that, CONTINUOUS rounds: once {@code continuousMinNewLabels} REFINED labels are new or
 *       changed since the last round, fine-tune from the latest checkpoint on them plus
 *       {@code replayRatio} times as many older images, up to {@code continuousMaxEpochs} epochs; the
 *       result is published only if its train-label mAP beats the latest checkpoint's on the same
 *       images by more than {@code continuousMinGain} points.</li>
 * </ol>
 *
 * @param warmupMinImages        labelled images needed for the warm-up
 * @param warmupEpochs           warm-up epochs
 * @param refineMinRefinedShare  share of REFINED labels needed for the refinement round
 * @param refineMaxEpochs        most refinement epochs
 * @param continuousMinNewLabels new or changed labels that trigger a continuous round
 * @param continuousMaxEpochs    most epochs of a continuous round
 * @param replayRatio            older images replayed per new image
 * @param replayBalanced         whether the older images are drawn with weights inverse to how many older images
 *                               share their label's top class (rare classes come back more often)
 * @param continuousMinGain      train-label mAP gain (points) a continuous round must exceed
 * @param beta                   weight of the consistency loss after warm-up
 * @param waitForCamLabels       whether refinement waits for labels refined with the warm-up checkpoint
 *                               (CCD); if not, warm-up and refinement train on the labels as they are and
 *                               the refinement follows the warm-up at once (grid or global-only labels)
 */
record TrainingSchedule(
        int warmupMinImages,
        int warmupEpochs,
        double refineMinRefinedShare,
        int refineMaxEpochs,
        int continuousMinNewLabels,
        int continuousMaxEpochs,
        double replayRatio,
        boolean replayBalanced,
        int continuousMaxNewLabels,
        double continuousMinGain,
        float beta,
        boolean waitForCamLabels) {

    /** The latest published checkpoint: its version and phase. */
    record Latest(long version, CheckpointPhase phase) {}

    /**
     * The round to run now, if any.
     *
     * @param latest            the latest published checkpoint, if any
     * @param trainable         the labelled images of the training set
     * @param heldOut           images in the held-out slice (labelled, never trained on)
     * @param lastSeq           the sequence number of the latest label change
     * @param trainedThroughSeq the sequence number the last round covered
     * @param refineRan         whether a refinement round ran (published or not)
     * @param seed              seed of the replay sample
     */
    Optional<TrainingRound> next(
            Optional<Latest> latest,
            List<TrainingExample> trainable,
            int heldOut,
            long lastSeq,
            long trainedThroughSeq,
            boolean refineRan,
            long seed) {
        if (latest.isEmpty()) {
            return trainable.isEmpty() || trainable.size() + heldOut < warmupMinImages
                    ? Optional.empty()
                    : warmup(trainable, lastSeq);
        }
        return refining(latest.get(), refineRan)
                ? refine(latest.get().version(), trainable, lastSeq)
                : continuous(latest.get().version(), trainable, lastSeq, trainedThroughSeq, seed);
    }

    private static boolean refining(Latest latest, boolean refineRan) {
        return latest.phase() == CheckpointPhase.WARMUP && !refineRan;
    }

    /** How far the training set is from the next round, for the status. */
    String waitingFor(
            Optional<Latest> latest,
            List<TrainingExample> trainable,
            int heldOut,
            long trainedThroughSeq,
            boolean refineRan) {
        if (latest.isEmpty()) {
            return (trainable.size() + heldOut) + "/" + warmupMinImages + " labelled images for the warm-up";
        }
        if (refining(latest.get(), refineRan) && !waitForCamLabels) {
            return "refinement on the labels as they are";
        }
        if (refining(latest.get(), refineRan)) {
            return refinedWith(latest.get().version(), trainable).size() + "/" + trainable.size()
                    + " labels refined with v" + latest.get().version() + " (" + Math.round(refineMinRefinedShare * 100)
                    + "% needed)";
        }
        return newSince(trainedThroughSeq, trainable).size() + "/" + continuousMinNewLabels
                + " new refined labels for a continuous round";
    }

    private Optional<TrainingRound> warmup(List<TrainingExample> trainable, long lastSeq) {
        return Optional.of(new TrainingRound(
                CheckpointPhase.WARMUP,
                0,
                trainable,
                waitForCamLabels,
                0f,
                warmupEpochs,
                false,
                Double.NEGATIVE_INFINITY,
                lastSeq));
    }

    private Optional<TrainingRound> refine(long warmupVersion, List<TrainingExample> trainable, long lastSeq) {
        List<TrainingExample> refined = waitForCamLabels ? refinedWith(warmupVersion, trainable) : trainable;
        if (refined.isEmpty() || refined.size() < refineMinRefinedShare * trainable.size()) {
            return Optional.empty();
        }
        return Optional.of(new TrainingRound(
                CheckpointPhase.REFINE,
                warmupVersion,
                refined,
                false,
                beta,
                refineMaxEpochs,
                true,
                Double.NEGATIVE_INFINITY,
                lastSeq));
    }

    private Optional<TrainingRound> continuous(
            long latestVersion, List<TrainingExample> trainable, long lastSeq, long trainedThroughSeq, long seed) {
        List<TrainingExample> fresh = newSince(trainedThroughSeq, trainable);
        if (fresh.size() < continuousMinNewLabels) {
            return Optional.empty();
        }
        if (fresh.size() > continuousMaxNewLabels) {
            // the latest changes; the rest are replayed like older images
            fresh = fresh.stream()
                    .sorted(Comparator.comparingLong(TrainingExample::labelSeq).reversed())
                    .limit(continuousMaxNewLabels)
                    .toList();
        }
        java.util.Set<String> taken = new java.util.HashSet<>();
        fresh.forEach(e -> taken.add(e.imageId()));
        List<TrainingExample> older = new ArrayList<>(refinedWith(1, trainable).stream()
                .filter(e -> !taken.contains(e.imageId()))
                .toList());
        Random random = new Random(seed ^ lastSeq);
        Collections.shuffle(older, random);
        int replayed = (int) Math.min(older.size(), Math.round(replayRatio * fresh.size()));
        List<TrainingExample> examples = new ArrayList<>(fresh);
        examples.addAll(replayBalanced ? balanced(older, replayed, random) : older.subList(0, replayed));
        return Optional.of(new TrainingRound(
                CheckpointPhase.CONTINUOUS,
                latestVersion,
                examples,
                false,
                beta,
                continuousMaxEpochs,
                true,
                continuousMinGain,
                lastSeq));
    }

    /**
     * {@code count} of {@code older} without replacement, each drawn with weight 1 / (older images whose label
     * has the same top class): weighted sampling by Efraimidis-Spirakis keys {@code u^(1/w)}.
     */
    static List<TrainingExample> balanced(List<TrainingExample> older, int count, Random random) {
        Map<Integer, Integer> perClass = new HashMap<>();
        int[] top = new int[older.size()];
        for (int i = 0; i < older.size(); i++) {
            top[i] = topClass(older.get(i).label().scores());
            perClass.merge(top[i], 1, Integer::sum);
        }
        double[] keys = new double[older.size()];
        for (int i = 0; i < older.size(); i++) {
            keys[i] = Math.pow(random.nextDouble(), perClass.get(top[i]));
        }
        return IntStream.range(0, older.size())
                .boxed()
                .sorted(Comparator.comparingDouble(i -> -keys[i]))
                .limit(count)
                .map(older::get)
                .toList();
    }

    private static int topClass(float[] scores) {
        int best = 0;
        for (int c = 1; c < scores.length; c++) {
            if (scores[c] > scores[best]) {
                best = c;
            }
        }
        return best;
    }

    private static List<TrainingExample> refinedWith(long version, List<TrainingExample> trainable) {
        return trainable.stream().filter(e -> e.label().refinedWith(version)).toList();
    }

    private static List<TrainingExample> newSince(long seq, List<TrainingExample> trainable) {
        return trainable.stream()
                .filter(e -> e.labelSeq() > seq && e.label().refinedWith(1))
                .toList();
    }
}
