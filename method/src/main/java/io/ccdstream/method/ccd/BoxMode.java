package io.ccdstream.method.ccd;

/** How {@link CamBoxer} turns the activated pixels of a thresholded CAM into one box. */
public enum BoxMode {
    /**
     * The smallest box covering every activated pixel: min and max column, min and max row over
     * all of them. What ALGORITHM.md section 4.2 describes; the default.
     */
    TRUE_MIN_MAX,
    /**
     * As the released script builds it: take the first and the last activated pixel in raster
     * (row-major) order; the rows are those two pixels' rows ({@code y0} = row of the first,
     * {@code y1} = row of the last, which are also the min and max rows), the columns are those
     * same two pixels' columns, sorted. Columns of activated pixels in between are ignored, so
     * the box can miss part of the activation: for a region shaped like a capital gamma (a bar
     * along the top running right from the top of a vertical bar), the first pixel is the top
     * bar's left end and the last is the vertical bar's bottom, so the box is one column wide
     * although the top bar runs further right.
     */
    RASTER_ORDER
}
