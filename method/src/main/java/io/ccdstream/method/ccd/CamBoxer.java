package io.ccdstream.method.ccd;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns a class's CAM into the box of the original image to crop (ALGORITHM.md section 4.2):
 * upsample the CAM to the inference view ({@link CamMaps#upsample}, bilinear, PyTorch's
 * {@code align_corners=False}), min-max normalise it ({@link CamMaps#normalise}), keep pixels
 * above the activation threshold, box them ({@link BoxMode}), enlarge the box by the offset on
 * every side, clip it to the view and map it to original pixels ({@link ViewGeometry#toImage}).
 *
 * <p>Box edges: the activated pixels span columns {@code a..b} inclusive, which is the box
 * {@code [a, b + 1)}; the offset {@code round(offsetFraction * viewSide)} (80 at 640, 28 at 224)
 * is then added on both sides, {@code [a - offset, b + 1 + offset)}. The released script slices
 * {@code [a - offset, b + offset)}, one pixel less on the far side; we keep the margin symmetric.
 *
 * <p>A CAM without any activated pixel (a constant map, whose normalised values are all 0) gives
 * no box: it says nothing about where the object is, and cropping the whole image would repeat
 * the global view. (The released script fails on such a map.)
 *
 * <p>Immutable and thread-safe.
 */
public final class CamBoxer {

    private final CamBoxConfig config;

    /** @param config thresholds, offset and box mode */
    public CamBoxer(CamBoxConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** @return the configuration */
    public CamBoxConfig config() {
        return config;
    }

    /**
     * Boxes one class's activation.
     *
     * @param classIndex the class the CAM belongs to
     * @param classifierScore the classifier's sigmoid score for that class, carried into the box
     * @param cam the class's CAM at the classifier's feature-map resolution, {@code [rows][cols]}
     * @param view the inference view's size and the original image's size
     * @return the box in original image pixels, or empty when no pixel is activated
     */
    public Optional<CropBox> box(int classIndex, float classifierScore, float[][] cam, ViewGeometry view) {
        float[][] normalised =
                CamMaps.normalise(CamMaps.upsample(cam, view.width(), view.height()), config.normalisationEpsilon());
        return activatedBox(normalised, config.activationThreshold(), config.mode())
                .map(b -> toImage(b, classIndex, classifierScore, view));
    }

    /**
     * Boxes one class's activation into up to {@link CamBoxConfig#maxRegions()} boxes: with 1, the
     * {@link #box} (or none); with more, one box per separate activated region, largest first.
     *
     * @return the boxes in original image pixels; empty when no pixel is activated
     */
    public List<CropBox> regionBoxes(int classIndex, float classifierScore, float[][] cam, ViewGeometry view) {
        if (config.maxRegions() == 1) {
            return box(classIndex, classifierScore, cam, view).stream().toList();
        }
        float[][] normalised =
                CamMaps.normalise(CamMaps.upsample(cam, view.width(), view.height()), config.normalisationEpsilon());
        return regions(normalised, config.activationThreshold(), config.maxRegions()).stream()
                .map(b -> toImage(b, classIndex, classifierScore, view))
                .toList();
    }

    private CropBox toImage(CropBox viewBox, int classIndex, float classifierScore, ViewGeometry view) {
        CropBox box = new CropBox(classIndex, classifierScore, viewBox.x0(), viewBox.y0(), viewBox.x1(), viewBox.y1());
        return view.toImage(enlarge(box, view, config.offsetFraction()));
    }

    /**
     * The boxes of the 8-connected regions of pixels strictly above {@code threshold}, in the map's
     * own pixels: the {@code max} largest, largest first (ties: the region met first in raster
     * order), without regions smaller than {@link CamBoxConfig#MIN_REGION_SHARE} of the largest.
     */
    static List<CropBox> regions(float[][] map, float threshold, int max) {
        int height = map.length;
        int width = map[0].length;
        boolean[] seen = new boolean[height * width];
        List<int[]> found = new ArrayList<>(); // x0, y0, x1, y1 (exclusive), pixels
        int[] queue = new int[height * width];
        for (int start = 0; start < height * width; start++) {
            if (seen[start] || !(map[start / width][start % width] > threshold)) {
                continue;
            }
            int head = 0;
            int tail = 0;
            queue[tail++] = start;
            seen[start] = true;
            int[] region = {Integer.MAX_VALUE, Integer.MAX_VALUE, -1, -1, 0};
            while (head < tail) {
                int p = queue[head++];
                int x = p % width;
                int y = p / width;
                region[0] = Math.min(region[0], x);
                region[1] = Math.min(region[1], y);
                region[2] = Math.max(region[2], x + 1);
                region[3] = Math.max(region[3], y + 1);
                region[4]++;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int nx = x + dx;
                        int ny = y + dy;
                        if (nx >= 0 && ny >= 0 && nx < width && ny < height) {
                            int q = ny * width + nx;
                            if (!seen[q] && map[ny][nx] > threshold) {
                                seen[q] = true;
                                queue[tail++] = q;
                            }
                        }
                    }
                }
            }
            found.add(region);
        }
        found.sort((a, b) -> Integer.compare(b[4], a[4]));
        List<CropBox> boxes = new ArrayList<>();
        for (int[] r : found) {
            if (boxes.size() == max || r[4] < CamBoxConfig.MIN_REGION_SHARE * found.get(0)[4]) {
                break;
            }
            boxes.add(CropBox.tile(r[0], r[1], r[2], r[3]));
        }
        return boxes;
    }

    /**
     * Boxes every class whose classifier score is at least {@code threshold}, in class order.
     *
     * @param scores the classifier's sigmoid scores, one per class
     * @param cams the CAMs, {@code [class][rows][cols]}
     * @param threshold the class selection threshold ({@link ClassSelection})
     * @param view the inference view's size and the original image's size
     * @return per selected class that has an activated pixel, its boxes ({@link #regionBoxes})
     */
    public List<CropBox> boxes(float[] scores, float[][][] cams, float threshold, ViewGeometry view) {
        if (cams.length != scores.length) {
            throw new IllegalArgumentException("got " + cams.length + " CAMs for " + scores.length + " classes");
        }
        List<CropBox> boxes = new ArrayList<>();
        for (int c : ClassSelection.select(scores, threshold)) {
            boxes.addAll(regionBoxes(c, scores[c], cams[c], view));
        }
        return boxes;
    }

    /**
     * The box of the pixels whose value is strictly above {@code threshold}, in the map's own
     * pixels, exclusive ends; class -1 and score 0 as placeholders.
     */
    static Optional<CropBox> activatedBox(float[][] map, float threshold, BoxMode mode) {
        return mode == BoxMode.TRUE_MIN_MAX ? minMaxBox(map, threshold) : rasterOrderBox(map, threshold);
    }

    private static Optional<CropBox> minMaxBox(float[][] map, float threshold) {
        int x0 = Integer.MAX_VALUE;
        int y0 = Integer.MAX_VALUE;
        int x1 = -1;
        int y1 = -1;
        for (int y = 0; y < map.length; y++) {
            for (int x = 0; x < map[y].length; x++) {
                if (map[y][x] > threshold) {
                    x0 = Math.min(x0, x);
                    y0 = Math.min(y0, y);
                    x1 = Math.max(x1, x);
                    y1 = Math.max(y1, y);
                }
            }
        }
        return x1 < 0 ? Optional.empty() : Optional.of(CropBox.tile(x0, y0, x1 + 1, y1 + 1));
    }

    private static Optional<CropBox> rasterOrderBox(float[][] map, float threshold) {
        int first = -1;
        int last = -1;
        int width = map[0].length;
        for (int i = 0; i < map.length * width; i++) {
            if (map[i / width][i % width] > threshold) {
                first = first < 0 ? i : first;
                last = i;
            }
        }
        if (first < 0) {
            return Optional.empty();
        }
        int xa = first % width;
        int xb = last % width;
        return Optional.of(CropBox.tile(Math.min(xa, xb), first / width, Math.max(xa, xb) + 1, last / width + 1));
    }

    /** Adds {@code round(offsetFraction * side)} on every side and clips to the view. */
    static CropBox enlarge(CropBox box, ViewGeometry view, float offsetFraction) {
        int dx = Math.round(offsetFraction * view.width());
        int dy = Math.round(offsetFraction * view.height());
        return new CropBox(
                box.classIndex(),
                box.classifierScore(),
                Math.max(0, box.x0() - dx),
                Math.max(0, box.y0() - dy),
                Math.min(view.width(), box.x1() + dx),
                Math.min(view.height(), box.y1() + dy));
    }
}
