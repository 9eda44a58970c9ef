package io.ccdstream.method.image;

/**
 * Size limits applied to untrusted images before any pixel memory is allocated.
 *
 * <p>Defaults: {@value #DEFAULT_MAX_ENCODED_BYTES} encoded bytes (8 MiB, the largest
 * claim-check fetch), {@value #DEFAULT_MAX_PIXELS} pixels (4096 x 4096, 16.7 megapixels) and
 * {@value #DEFAULT_MAX_SIDE} pixels per side. The models never look at more than 640 pixels per
 * side (CLIP sees 224, the classifier's CAM view 640), so 4096 px leaves six times the largest view
 * for crops and covers common camera and upload sizes; decoding such an image takes 64 MiB for the
 * RGB pixels plus the reader's raster (about 48 MiB more), where the 40-megapixel limit used before
 * let a 105 KB PNG of 6000 x 6000 cost 300 MB. Raise the limits for larger sources (the scorer's
 * {@code ccd.scorer.image.max.pixels} and {@code ccd.scorer.image.max.side}).
 *
 * @param maxEncodedBytes the largest accepted encoded size in bytes
 * @param maxPixels the largest accepted {@code width * height} from the image header
 * @param maxSide the largest accepted width or height from the image header
 */
public record ImageLimits(long maxEncodedBytes, long maxPixels, int maxSide) {

    /** 8 MiB. */
    public static final long DEFAULT_MAX_ENCODED_BYTES = 8L * 1024 * 1024;
    /** 4096 x 4096 = 16,777,216 pixels. */
    public static final long DEFAULT_MAX_PIXELS = 4096L * 4096;
    /** 8192 pixels: a panorama of 8192 x 2048 fits the pixel limit. */
    public static final int DEFAULT_MAX_SIDE = 8192;

    /** Validates that every limit is positive. */
    public ImageLimits {
        if (maxEncodedBytes < 1 || maxPixels < 1 || maxSide < 1) {
            throw new IllegalArgumentException("image limits must be positive: maxEncodedBytes=" + maxEncodedBytes
                    + ", maxPixels=" + maxPixels + ", maxSide=" + maxSide);
        }
    }

    /** @return the default limits */
    public static ImageLimits defaults() {
        return builder().build();
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** Builder for {@link ImageLimits}; every setting is optional. */
    public static final class Builder {
        private long maxEncodedBytes = DEFAULT_MAX_ENCODED_BYTES;
        private long maxPixels = DEFAULT_MAX_PIXELS;
        private int maxSide = DEFAULT_MAX_SIDE;

        private Builder() {}

        /**
         * @param maxEncodedBytes the largest accepted encoded size in bytes
         * @return this builder
         */
        public Builder optMaxEncodedBytes(long maxEncodedBytes) {
            this.maxEncodedBytes = maxEncodedBytes;
            return this;
        }

        /**
         * @param maxPixels the largest accepted {@code width * height}
         * @return this builder
         */
        public Builder optMaxPixels(long maxPixels) {
            this.maxPixels = maxPixels;
            return this;
        }

        /**
         * @param maxSide the largest accepted width or height
         * @return this builder
         */
        public Builder optMaxSide(int maxSide) {
            this.maxSide = maxSide;
            return this;
        }

        /** @return the limits */
        public ImageLimits build() {
            return new ImageLimits(maxEncodedBytes, maxPixels, maxSide);
        }
    }
}
