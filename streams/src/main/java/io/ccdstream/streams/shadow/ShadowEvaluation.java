package io.ccdstream.streams.shadow;

import io.ccdstream.schemas.CamBox;
import io.ccdstream.schemas.Scores;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a candidate checkpoint did on a sample, next to the checkpoint in use (or the global view
 * alone): label-free signals only, computed from both checkpoints' raw scores of the same images.
 *
 * @param sampleImages           images scored with both
 * @param selectingImages        images where the candidate chose at least one crop
 * @param classAgreement         per class, share of images with the same crop decision
 * @param candidateSelectionRate per class, share of images where the candidate chose a crop
 * @param currentSelectionRate   the same for the checkpoint in use
 * @param selectionShift         sum of |rate differences| over the sum of both rates (0 same mix, 1 disjoint)
 * @param meanBoxIou             mean IoU of crops both chose for the same class and image; null if none
 * @param candidateCropAgreement share of images whose strongest candidate crop is of a class CLIP sees; null if none
 * @param currentCropAgreement   the same for the checkpoint in use; null if it chose none or there is none
 */
public record ShadowEvaluation(
        int sampleImages,
        int selectingImages,
        float[] classAgreement,
        float[] candidateSelectionRate,
        float[] currentSelectionRate,
        double selectionShift,
        Double meanBoxIou,
        Double candidateCropAgreement,
        Double currentCropAgreement) {

    /** How many of the global view's highest classes a crop's class may be among to agree with it. */
    public static final int GLOBAL_TOP_K = 3;

    /**
     * Compares the candidate's scores with the current ones, image by image (the same order).
     *
     * @throws IllegalArgumentException when the lists differ in length or are empty
     */
    public static ShadowEvaluation of(List<Scores> candidate, List<Scores> current) {
        if (candidate.size() != current.size() || candidate.isEmpty()) {
            throw new IllegalArgumentException(
                    "need the same non-empty sample scored twice, got " + candidate.size() + " and " + current.size());
        }
        int classes = candidate.get(0).getGlobal().size();
        int n = candidate.size();
        float[] agree = new float[classes];
        float[] candRate = new float[classes];
        float[] curRate = new float[classes];
        double iouSum = 0;
        int iouCount = 0;
        int[] candCrops = new int[2];
        int[] curCrops = new int[2];
        int selecting = 0;
        for (int i = 0; i < n; i++) {
            Map<Integer, CamBox> a = boxes(candidate.get(i));
            Map<Integer, CamBox> b = boxes(current.get(i));
            selecting += a.isEmpty() ? 0 : 1;
            for (int c = 0; c < classes; c++) {
                boolean inA = a.containsKey(c);
                boolean inB = b.containsKey(c);
                agree[c] += inA == inB ? 1 : 0;
                candRate[c] += inA ? 1 : 0;
                curRate[c] += inB ? 1 : 0;
                if (inA && inB) {
                    iouSum += iou(a.get(c), b.get(c));
                    iouCount++;
                }
            }
            count(candidate.get(i), a, candCrops);
            count(current.get(i), b, curCrops);
        }
        double diff = 0;
        double sumA = 0;
        double sumB = 0;
        for (int c = 0; c < classes; c++) {
            agree[c] /= n;
            candRate[c] /= n;
            curRate[c] /= n;
            diff += Math.abs(candRate[c] - curRate[c]);
            sumA += candRate[c];
            sumB += curRate[c];
        }
        double total = sumA + sumB;
        return new ShadowEvaluation(
                n,
                selecting,
                agree,
                candRate,
                curRate,
                total == 0 ? 0 : diff / total,
                iouCount == 0 ? null : iouSum / iouCount,
                candCrops[1] == 0 ? null : (double) candCrops[0] / candCrops[1],
                curCrops[1] == 0 ? null : (double) curCrops[0] / curCrops[1]);
    }

    /** The first crop per class (a CAM crop per selected class). */
    private static Map<Integer, CamBox> boxes(Scores scores) {
        Map<Integer, CamBox> byClass = new HashMap<>();
        for (CamBox box : scores.getBoxes()) {
            if (box.getClassIndex() >= 0) {
                byClass.putIfAbsent(box.getClassIndex(), box);
            }
        }
        return byClass;
    }

    /**
     * Adds to {@code counts} [agreeing, judged] the image's strongest crop (the highest classifier
     * score): whether its class is among the global view's top classes or the crops' top class.
     * Only the strongest counts because the selection gives every image several crops, most of them
     * for classes the image does not hold, whatever the classifier.
     */
    private static void count(Scores scores, Map<Integer, CamBox> crops, int[] counts) {
        if (crops.isEmpty() || scores.getLocal() == null) {
            return;
        }
        CamBox strongest = crops.values().stream()
                .max((x, y) -> Float.compare(x.getClassifierScore(), y.getClassifierScore()))
                .orElseThrow();
        int c = strongest.getClassIndex();
        List<Integer> top = topK(scores.getGlobal(), GLOBAL_TOP_K);
        int localTop = topK(scores.getLocal(), 1).get(0);
        counts[1]++;
        if (top.contains(c) || c == localTop) {
            counts[0]++;
        }
    }

    private static List<Integer> topK(List<Float> values, int k) {
        List<Integer> indexes = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            indexes.add(i);
        }
        indexes.sort((x, y) -> Float.compare(values.get(y), values.get(x)));
        return indexes.subList(0, Math.min(k, indexes.size()));
    }

    private static double iou(CamBox a, CamBox b) {
        long ix = Math.max(0, Math.min(a.getX1(), b.getX1()) - Math.max(a.getX0(), b.getX0()));
        long iy = Math.max(0, Math.min(a.getY1(), b.getY1()) - Math.max(a.getY0(), b.getY0()));
        long inter = ix * iy;
        long union = area(a) + area(b) - inter;
        return union <= 0 ? 0 : (double) inter / union;
    }

    private static long area(CamBox box) {
        return (long) (box.getX1() - box.getX0()) * (box.getY1() - box.getY0());
    }

    @Override
    public String toString() {
        return "ShadowEvaluation[images=" + sampleImages + ", selectionShift=" + selectionShift + ", meanBoxIou="
                + meanBoxIou + ", candidateCropAgreement=" + candidateCropAgreement + ", currentCropAgreement="
                + currentCropAgreement + ", classAgreement=" + Arrays.toString(classAgreement) + "]";
    }
}
