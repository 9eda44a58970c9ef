package io.ccdstream.method.ccd;

/**
 * Operations on one class activation map, a {@code float[rows][columns]} array.
 */
public final class CamMaps {

    private CamMaps() {}

    /**
     * Bilinear resize with the semantics of PyTorch's
     * {@code F.interpolate(x, size=(height, width), mode='bilinear', align_corners=False)}:
     * output pixel {@code d} samples the source at {@code s = (d + 0.5) * in / out - 0.5}, clamped
     * below at 0; it mixes source pixels {@code floor(s)} and {@code floor(s) + 1} (the last pixel
     * is repeated at the far edge) with weights {@code 1 - frac(s)} and {@code frac(s)}, first
     * along rows then columns. Pixel centres, not corners, are aligned, so a 2x2 map becomes a
     * 4x4 map whose corner pixels keep the source corners' values. Computed in double precision.
     *
     * @param map a non-empty rectangular map
     * @param width output columns
     * @param height output rows
     * @return the resized map
     */
    public static float[][] upsample(float[][] map, int width, int height) {
        int inWidth = checkRectangular(map);
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("target size must be positive, got " + width + "x" + height);
        }
        Taps cols = Taps.of(inWidth, width);
        Taps rows = Taps.of(map.length, height);
        // each source row resized along its columns once, not once per output row that reads it
        double[][] alongRows = new double[map.length][width];
        for (int r = 0; r < map.length; r++) {
            float[] source = map[r];
            double[] resized = alongRows[r];
            for (int x = 0; x < width; x++) {
                resized[x] = lerp(source[cols.lo[x]], source[cols.hi[x]], cols.frac[x]);
            }
        }
        float[][] out = new float[height][width];
        for (int y = 0; y < height; y++) {
            double[] upper = alongRows[rows.lo[y]];
            double[] lower = alongRows[rows.hi[y]];
            double fy = rows.frac[y];
            float[] row = out[y];
            for (int x = 0; x < width; x++) {
                row[x] = (float) lerp(upper[x], lower[x], fy);
            }
        }
        return out;
    }

    /**
     * Min-max normalisation {@code (x - min) / (max - min + eps)} into [0, 1). A constant map
     * becomes all zeros.
     *
     * @param map a non-empty rectangular map
     * @param eps added to the range; 1e-5 in ALGORITHM.md
     * @return a new normalised map
     */
    public static float[][] normalise(float[][] map, float eps) {
        checkRectangular(map);
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float[] row : map) {
            for (float v : row) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        double range = (double) max - min + eps;
        float[][] out = new float[map.length][];
        for (int y = 0; y < map.length; y++) {
            out[y] = new float[map[y].length];
            for (int x = 0; x < out[y].length; x++) {
                out[y][x] = (float) ((map[y][x] - (double) min) / range);
            }
        }
        return out;
    }

    private static double lerp(double a, double b, double t) {
        return a + (b - a) * t;
    }

    private static int checkRectangular(float[][] map) {
        if (map.length == 0 || map[0].length == 0) {
            throw new IllegalArgumentException("the map is empty");
        }
        for (float[] row : map) {
            if (row.length != map[0].length) {
                throw new IllegalArgumentException(
                        "the map's rows differ in length: " + row.length + " and " + map[0].length);
            }
        }
        return map[0].length;
    }

    /** Per output index along one axis: the two source indices and the weight of the second. */
    private record Taps(int[] lo, int[] hi, double[] frac) {

        static Taps of(int in, int out) {
            int[] lo = new int[out];
            int[] hi = new int[out];
            double[] frac = new double[out];
            double scale = (double) in / out;
            for (int d = 0; d < out; d++) {
                double s = Math.max(0.0, (d + 0.5) * scale - 0.5);
                lo[d] = Math.min((int) s, in - 1);
                hi[d] = Math.min(lo[d] + 1, in - 1);
                frac[d] = s - lo[d];
            }
            return new Taps(lo, hi, frac);
        }
    }
}
