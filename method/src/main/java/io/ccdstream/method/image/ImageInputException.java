package io.ccdstream.method.image;

import java.util.Objects;

/**
 * An image that cannot be used as input: the record carrying it is poison and belongs in the
 * dead-letter topic with {@link #reason()} as its machine-readable cause and {@link
 * #getMessage()} as the human explanation.
 *
 * <p>Unchecked so that it can cross stream-processing lambdas; callers at the record boundary
 * are expected to catch it. It is never thrown for a bug in our code.
 */
public class ImageInputException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why an image was refused; stable names, safe to store in records and metrics tags. */
    public enum Reason {
        /** No bytes at all. */
        EMPTY,
        /** More encoded bytes than {@link ImageLimits#maxEncodedBytes()}. */
        TOO_LARGE_BYTES,
        /** The header declares more pixels than {@link ImageLimits#maxPixels()}. */
        TOO_MANY_PIXELS,
        /** The header declares a side longer than {@link ImageLimits#maxSide()}. */
        TOO_LARGE_SIDE,
        /** Not JPEG or PNG, or a JPEG/PNG variant Java cannot decode (e.g. CMYK JPEG). */
        UNSUPPORTED_FORMAT,
        /** Recognised as JPEG/PNG but truncated or malformed. */
        CORRUPT
    }

    private final Reason reason;

    /**
     * @param reason the machine-readable cause
     * @param message a sentence a user can act on
     */
    public ImageInputException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /**
     * @param reason the machine-readable cause
     * @param message a sentence a user can act on
     * @param cause the decoder's exception
     */
    public ImageInputException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** @return the machine-readable cause */
    public Reason reason() {
        return reason;
    }
}
