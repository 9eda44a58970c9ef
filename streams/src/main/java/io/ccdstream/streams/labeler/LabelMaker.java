package io.ccdstream.streams.labeler;

import io.ccdstream.method.ccd.Debias;
import io.ccdstream.method.ccd.Mix;
import io.ccdstream.schemas.Bias;
import io.ccdstream.schemas.ClassVerdict;
import io.ccdstream.schemas.ImageKey;
import io.ccdstream.schemas.Label;
import io.ccdstream.schemas.LabelStage;
import io.ccdstream.schemas.Review;
import io.ccdstream.schemas.Scores;
import io.ccdstream.topics.FloatLists;
import io.ccdstream.topics.PoisonRecordException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Turns raw scores and the current bias into a label (ALGORITHM.md sections 2 and 4.5): debias
 * global and local scores with the same bias and floor, mix them with alpha. A label is REFINED
 * only when at least one local view (CAM crop or grid tile) was scored for its image; an image the
 * classifier examined without selecting any crop keeps the global view's label, stage INITIAL,
 * with the checkpoint version that examined it (the released script instead mixes the global
 * label with debiased zeros, which lowers every class of such an image by the same rule and adds
 * no information). A maker made
 * {@link #withoutDebias without debiasing} mixes the raw probabilities and ignores the bias.
 */
public final class LabelMaker {

    private final ClassNames classNames;
    private final Debias debias;
    private final Mix mix;
    private final float noneThreshold;

    /** A label maker for the class sets {@code classNames} knows, without "none" detection. */
    public LabelMaker(ClassNames classNames, Debias debias, Mix mix) {
        this(classNames, Objects.requireNonNull(debias, "debias"), mix, 0f);
    }

    private LabelMaker(ClassNames classNames, Debias debias, Mix mix, float noneThreshold) {
        if (!(noneThreshold >= 0f && noneThreshold <= 1f)) {
            throw new IllegalArgumentException("none threshold must be in [0, 1], got " + noneThreshold);
        }
        this.classNames = classNames;
        this.debias = debias;
        this.mix = mix;
        this.noneThreshold = noneThreshold;
    }

    /**
     * The same maker, marking an image "none" (no class of the set) when its highest debiased
     * global score is below {@code threshold}: under the bias, a score of 1 is a class's usual
     * top-1 probability over the window, so the rule reads "no class reaches {@code threshold}
     * of its usual confidence". 0 turns detection off.
     */
    public LabelMaker withNoneThreshold(float threshold) {
        return new LabelMaker(classNames, debias, mix, threshold);
    }

    /** A label maker that mixes raw CLIP probabilities: no bias correction, no floor. */
    public static LabelMaker withoutDebias(ClassNames classNames, Mix mix) {
        return new LabelMaker(classNames, null, mix, 0f);
    }

    /** Whether labels are corrected for the class bias. */
    public boolean debiases() {
        return debias != null;
    }

    /**
     * The label of {@code scores}; {@code bias} may be null (none published yet: no correction).
     *
     * @throws PoisonRecordException for an unknown class set or a class-count mismatch
     */
    public Label label(ImageKey key, Scores scores, Bias bias, Instant now) {
        List<String> names = classNames
                .of(scores.getClassSetId())
                .orElseThrow(() -> new PoisonRecordException(
                        "UNKNOWN_CLASS_SET",
                        "class set " + scores.getClassSetId() + " of image " + key.getImageId()
                                + " is not configured in the labeler"));
        float[] raw = FloatLists.toArray(scores.getGlobal());
        requireClasses(key, scores.getClassSetId(), raw.length, names.size());
        Bias applied = debias == null ? null : bias;
        float[] biasVector = null;
        if (applied != null) {
            biasVector = FloatLists.toArray(bias.getBias());
            requireClasses(key, scores.getClassSetId(), biasVector.length, names.size());
        }
        float[] global = correct(raw, biasVector);
        float[] local = null;
        int localViews = scores.getLocal() == null ? 0 : scores.getBoxes().size();
        if (localViews > 0) {
            float[] rawLocal = FloatLists.toArray(scores.getLocal());
            requireClasses(key, scores.getClassSetId(), rawLocal.length, names.size());
            local = correct(rawLocal, biasVector);
        }
        return Label.newBuilder()
                .setImageId(scores.getImageId())
                .setClassSetId(scores.getClassSetId())
                .setClassNames(names)
                .setStage(local == null ? LabelStage.INITIAL : LabelStage.REFINED)
                .setScores(FloatLists.toList(local == null ? global : mix.apply(global, local)))
                .setGlobal(FloatLists.toList(global))
                .setLocal(local == null ? null : FloatLists.toList(local))
                .setLocalViews(localViews)
                .setNone(noneThreshold > 0f && max(global) < noneThreshold)
                .setAlpha(mix.alpha())
                .setBiasVersion(applied == null ? null : applied.getVersion())
                .setCheckpointVersion(scores.getCheckpointVersion())
                .setModelId(scores.getModelId())
                .setClipInferences(scores.getClipInferences())
                .setLabeledAt(now)
                .build();
    }

    /**
     * Checks that {@code review} can apply to an image of its class set: the key matches, the class set
     * is configured, every class named is one of the set's, and none is named twice.
     *
     * @throws PoisonRecordException with reason {@code KEY_MISMATCH}, {@code UNKNOWN_CLASS_SET},
     *     {@code UNKNOWN_CLASS} or {@code DUPLICATE_CLASS}
     */
    public void validate(ImageKey key, Review review) {
        if (!key.getImageId().equals(review.getImageId())
                || !key.getClassSetId().equals(review.getClassSetId())) {
            throw new PoisonRecordException(
                    "KEY_MISMATCH",
                    "review of image " + review.getImageId() + " (class set " + review.getClassSetId()
                            + ") under the key of image " + key.getImageId() + " (class set " + key.getClassSetId()
                            + ")");
        }
        List<String> names = classNames
                .of(review.getClassSetId())
                .orElseThrow(() -> new PoisonRecordException(
                        "UNKNOWN_CLASS_SET",
                        "review of image " + review.getImageId() + ": class set " + review.getClassSetId()
                                + " is not configured in the labeler"));
        Set<String> seen = new HashSet<>();
        for (ClassVerdict verdict : review.getVerdicts()) {
            if (!names.contains(verdict.getClassName())) {
                throw new PoisonRecordException(
                        "UNKNOWN_CLASS",
                        "review of image " + review.getImageId() + ": class '" + verdict.getClassName()
                                + "' is not one of class set " + review.getClassSetId() + " " + names);
            }
            if (!seen.add(verdict.getClassName())) {
                throw new PoisonRecordException(
                        "DUPLICATE_CLASS",
                        "review of image " + review.getImageId() + ": class '" + verdict.getClassName()
                                + "' has two verdicts");
            }
        }
    }

    /**
     * {@code label} with the person's verdicts of {@code review}: a class judged PRESENT scores 1, one
     * judged ABSENT 0, and the others (UNSURE or not reviewed) keep their pseudo-label. The stage becomes
     * VERIFIED, stamped with the reviewer and time, when at least one verdict is PRESENT or ABSENT; a
     * review of only UNSURE verdicts leaves the label as it is. An image with a PRESENT verdict is not
     * "none". The global and local scores stay the pipeline's.
     */
    public static Label verify(Label label, Review review) {
        float[] scores = FloatLists.toArray(label.getScores());
        List<String> reviewed = new ArrayList<>();
        boolean present = false;
        for (ClassVerdict verdict : review.getVerdicts()) {
            int c = label.getClassNames().indexOf(verdict.getClassName());
            if (c < 0) {
                continue; // the class set's configuration changed since the review was accepted
            }
            switch (verdict.getVerdict()) {
                case PRESENT -> {
                    scores[c] = 1f;
                    present = true;
                    reviewed.add(verdict.getClassName());
                }
                case ABSENT -> {
                    scores[c] = 0f;
                    reviewed.add(verdict.getClassName());
                }
                default -> {
                    // UNSURE: the pseudo-label stays
                }
            }
        }
        if (reviewed.isEmpty()) {
            return label;
        }
        return Label.newBuilder(label)
                .setStage(LabelStage.VERIFIED)
                .setScores(FloatLists.toList(scores))
                .setNone(label.getNone() && !present)
                .setReviewedBy(review.getReviewer())
                .setReviewedAt(review.getReviewedAt())
                .setReviewedClasses(reviewed)
                .build();
    }

    private static float max(float[] values) {
        float max = Float.NEGATIVE_INFINITY;
        for (float v : values) {
            max = Math.max(max, v);
        }
        return max;
    }

    private float[] correct(float[] probabilities, float[] biasVector) {
        return debias == null ? probabilities.clone() : debias.apply(probabilities, biasVector);
    }

    private static void requireClasses(ImageKey key, String classSetId, int actual, int expected) {
        if (actual != expected) {
            throw new PoisonRecordException(
                    "CLASS_COUNT_MISMATCH",
                    "image " + key.getImageId() + ": " + actual + " values where class set " + classSetId + " has "
                            + expected + " classes");
        }
    }
}
