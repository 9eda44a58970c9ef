package io.ccdstream.bench;

import io.ccdstream.data.datasets.ObjectBox;
import io.ccdstream.schemas.CamBox;
import java.util.List;
import java.util.Objects;

/**
 * How well the crops a classifier's CAM chose for the label update land on the objects of the
 * class they were chosen for (the paper's premise that CAM regions localise the class), against
 * the ground-truth boxes of the training images.
 *
 * <p>A crop is a {@link CamBox} of an image's last {@code Scores} record with a class index of 0
 * or more (grid tiles, index -1, are not counted). Against the ground-truth boxes of the crop's
 * class in the same image (none when the class is absent):
 *
 * <ul>
 *   <li><b>overlap</b>: the crop's intersection over union with one of the boxes is at least
 *       {@value #IOU_THRESHOLD};
 *   <li><b>centre</b>: the centre of one of the boxes lies inside the crop (a crop larger than a
 *       small object can hold it whole at a low IoU);
 *   <li><b>best IoU</b>: the largest IoU with one of the boxes, 0 when the class is absent.
 * </ul>
 *
 * Boxes follow the project's convention (x0/y0 inclusive, x1/y1 exclusive, pixels of the original
 * image); VOC "difficult" and COCO crowd boxes count as boxes of their class.
 *
 * @param images        images with a scored record
 * @param crops         CAM crops over those images
 * @param presentShare  share of crops whose class is present in the image
 * @param overlapShare  share of crops meeting the overlap rule
 * @param centreShare   share of crops meeting the centre rule
 * @param meanBestIou   mean best IoU over all crops (a crop of an absent class counts 0)
 */
public record CamLocalisation(
        int images, int crops, double presentShare, double overlapShare, double centreShare, double meanBestIou) {

    /** Least IoU with a ground-truth box of the crop's class for the crop to overlap it. */
    public static final double IOU_THRESHOLD = 0.3;

    /** @return CAM crops per image */
    public double cropsPerImage() {
        return images == 0 ? 0 : (double) crops / images;
    }

    /**
     * Measures the crops of a set of images.
     *
     * @param crops      per image, the local views of its last scores record
     * @param truth      per image (same order), its ground-truth boxes
     * @param classNames the class set, to name a crop's class index
     * @return the figures; shares are NaN when there is no crop
     */
    public static CamLocalisation of(List<List<CamBox>> crops, List<List<ObjectBox>> truth, List<String> classNames) {
        if (crops.size() != truth.size()) {
            throw new IllegalArgumentException(
                    "crops of " + crops.size() + " images but ground truth of " + truth.size());
        }
        int count = 0;
        int present = 0;
        int overlapping = 0;
        int centred = 0;
        double iouSum = 0;
        for (int i = 0; i < crops.size(); i++) {
            for (CamBox crop : crops.get(i)) {
                if (crop.getClassIndex() < 0) {
                    continue;
                }
                String className = classNames.get(crop.getClassIndex());
                List<ObjectBox> boxes = truth.get(i).stream()
                        .filter(b -> b.className().equals(className))
                        .toList();
                double best = 0;
                boolean centre = false;
                for (ObjectBox box : boxes) {
                    best = Math.max(best, iou(crop, box));
                    centre |= containsCentre(crop, box);
                }
                count++;
                present += boxes.isEmpty() ? 0 : 1;
                overlapping += best >= IOU_THRESHOLD ? 1 : 0;
                centred += centre ? 1 : 0;
                iouSum += best;
            }
        }
        return new CamLocalisation(
                crops.size(),
                count,
                share(present, count),
                share(overlapping, count),
                share(centred, count),
                count == 0 ? Double.NaN : iouSum / count);
    }

    /** @return intersection over union of two boxes, 0 when either is empty */
    static double iou(CamBox crop, ObjectBox box) {
        Objects.requireNonNull(box, "box");
        long ix = Math.max(0, Math.min(crop.getX1(), box.x1()) - Math.max(crop.getX0(), box.x0()));
        long iy = Math.max(0, Math.min(crop.getY1(), box.y1()) - Math.max(crop.getY0(), box.y0()));
        long intersection = ix * iy;
        long union = area(crop.getX0(), crop.getY0(), crop.getX1(), crop.getY1())
                + area(box.x0(), box.y0(), box.x1(), box.y1())
                - intersection;
        return union <= 0 ? 0 : (double) intersection / union;
    }

    /** Whether the centre of {@code box} (in continuous coordinates) lies inside {@code crop}. */
    static boolean containsCentre(CamBox crop, ObjectBox box) {
        double cx = (box.x0() + box.x1()) / 2.0;
        double cy = (box.y0() + box.y1()) / 2.0;
        return cx >= crop.getX0() && cx <= crop.getX1() && cy >= crop.getY0() && cy <= crop.getY1();
    }

    private static long area(int x0, int y0, int x1, int y1) {
        return (long) Math.max(0, x1 - x0) * Math.max(0, y1 - y0);
    }

    private static double share(int part, int whole) {
        return whole == 0 ? Double.NaN : (double) part / whole;
    }
}
