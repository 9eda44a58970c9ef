package io.ccdstream.method.image;

/**
 * Size limits applied to untrusted images before any pixel memory is allocated.
 *
 * <p>Defaults: {@value #DEFAULT_MAX_ENCODED_BYTES} encoded bytes (8 MiB, the largest
 * claim-check fetch), {@value #DEFAULT_MAX_PIXELS} pixels (40 megapixels) and {@value
 * #DEFAULT_MAX_SIDE} pixels per side.
 *
 * @param maxEncodedBytes the largest accepted encoded size in bytes
 * @param maxPixels the largest accepted {@code width * height} from the image header
 * @param maxSide the largest accepted width or height from the image header
 */
public record ImageLimits(long maxEncodedBytes, long maxPixels, int maxSide) {

    /** 8 MiB. */
    public static final long DEFAULT_MAX_ENCODED_BYTES = 8L * 1024 * 1024;
    /** 40 megapixels. */
    public static final long DEFAULT_MAX_PIXELS = 40_000_000L;
    /** 16384 pixels. */
    public static final int DEFAULT_MAX_SIDE = 16_384;

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
