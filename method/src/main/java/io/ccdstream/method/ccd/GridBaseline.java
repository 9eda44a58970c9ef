package io.ccdstream.method.ccd;

import java.util.ArrayList;
import java.util.List;

/**
 * The CDUL-style baseline CCD is measured against (ALGORITHM.md section 7): a uniform grid of
 * non-overlapping tiles (3x3 by default), every tile scored by CLIP, the tile scores max-aggregated
 * ({@link LocalLabel#maxOver}) and averaged with the global score. Every image costs
 * {@link #inferencesPerImage()} CLIP inferences besides the global view, simple or complex.
 *
 * <p>Sizes that do not divide: tile {@code i} of {@code n} along an axis of {@code L} pixels spans
 * {@code [floor(i * L / n), floor((i + 1) * L / n))}, so tiles cover every pixel exactly once and
 * differ by at most one pixel, the larger ones last (10 px in 3 tiles: 3, 3, 4). Tiles are cut
 * and resized for CLIP with {@link CropResize}, like CAM crops, so the two compare fairly.
 *
 * @param columns tiles across, at least 1; default 3
 * @param rows tiles down, at least 1; default 3
 */
public record GridBaseline(int columns, int rows) {

    /** CDUL's 3x3 grid. */
    public static final GridBaseline DEFAULT = new GridBaseline(3, 3);

    /** Validates the grid. */
    public GridBaseline {
        if (columns < 1 || rows < 1) {
            throw new IllegalArgumentException("grid must be at least 1x1, got " + columns + "x" + rows);
        }
    }

    /** @return the number of tiles, the CLIP crop inferences per image */
    public int inferencesPerImage() {
        return columns * rows;
    }

    /**
     * @param width image width, at least {@code columns}
     * @param height image height, at least {@code rows}
     * @return the tiles in raster order (left to right, then top to bottom), as class-less boxes
     */
    public List<CropBox> tiles(int width, int height) {
        if (width < columns || height < rows) {
            throw new IllegalArgumentException(
                    "image " + width + "x" + height + " is smaller than the " + columns + "x" + rows + " grid");
        }
        List<CropBox> tiles = new ArrayList<>(inferencesPerImage());
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                tiles.add(CropBox.tile(
                        edge(c, width, columns),
                        edge(r, height, rows),
                        edge(c + 1, width, columns),
                        edge(r + 1, height, rows)));
            }
        }
        return tiles;
    }

    /**
     * The baseline's initial label: {@code (global_c + max over tiles of p_c) / 2}.
     *
     * @param global the whole image's CLIP probabilities
     * @param tileScores each tile's CLIP probabilities
     * @return the initial label
     */
    public static float[] initialLabel(float[] global, List<float[]> tileScores) {
        float[] aggregate = LocalLabel.maxOver(tileScores, global.length);
        float[] label = new float[global.length];
        for (int c = 0; c < label.length; c++) {
            label[c] = (global[c] + aggregate[c]) / 2f;
        }
        return label;
    }

    private static int edge(int i, int length, int parts) {
        return (int) ((long) i * length / parts);
    }
}
