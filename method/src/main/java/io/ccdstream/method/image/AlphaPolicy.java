package io.ccdstream.method.image;

/** What {@link ImageDecoder} does with an alpha channel when it flattens an image to RGB. */
public enum AlphaPolicy {
    /**
     * Blend each pixel over an opaque white background: {@code c' = c * a + 255 * (1 - a)}. This is
     * what a viewer shows on a white page, and transparent areas become white rather than whatever
     * colour happens to be stored under alpha 0. The default.
     */
    COMPOSITE_ON_WHITE,
    /**
     * Ignore alpha and keep the stored colour, as PIL's {@code Image.convert("RGB")} does in the
     * reference CLIP preprocessing; use it to reproduce Python numbers bit for bit.
     */
    DROP
}
