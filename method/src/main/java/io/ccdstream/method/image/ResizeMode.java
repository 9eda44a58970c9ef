package io.ccdstream.method.image;

/** How {@link ClipPreprocessor} brings an image of any shape to the model's square input. */
public enum ResizeMode {
    /**
     * Scale so that the shorter side equals the input size (aspect ratio kept), then cut the
     * centre square, as OpenAI CLIP's {@code Resize(n) + CenterCrop(n)}: the longer side becomes
     * {@code floor(n * long / short)} and the crop offset {@code round_half_even((side - n) / 2)},
     * both as torchvision computes them. The default.
     */
    SHORTER_SIDE_CENTER_CROP,
    /** Scale each side to the input size independently (aspect ratio not kept, nothing cut off). */
    SQUASH
}
