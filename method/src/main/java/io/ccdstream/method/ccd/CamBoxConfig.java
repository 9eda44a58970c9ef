package io.ccdstream.method.ccd;

import java.util.Objects;

/**
 * How {@link CamBoxer} turns a class activation map into a crop box (ALGORITHM.md section 4.2).
 *
 * @param activationThreshold a pixel is activated when its min-max normalised CAM value is
 *     strictly greater than this; default {@value #DEFAULT_ACTIVATION_THRESHOLD}
 * @param normalisationEpsilon added to {@code max - min} in the normalisation
 *     {@code (x - min) / (max - min + eps)}; default {@value #DEFAULT_NORMALISATION_EPSILON}
 * @param offsetFraction the margin added on every side, as a fraction of the view's side along
 *     that axis: 80 px at a 640 px view is {@value #DEFAULT_OFFSET_FRACTION}, the default
 * @param mode how the activated pixels become a box; default {@link BoxMode#TRUE_MIN_MAX}
 * @param maxRegions the most boxes per class: 1 (the paper) boxes the activated pixels as
 *     {@code mode} says; more gives one {@link BoxMode#TRUE_MIN_MAX} box per separate
 *     (8-connected) activated region, the largest regions first, ignoring regions of fewer pixels
 *     than {@value #MIN_REGION_SHARE} of the largest
 */
public record CamBoxConfig(
        float activationThreshold, float normalisationEpsilon, float offsetFraction, BoxMode mode, int maxRegions) {

    /** Paper and released script. */
    public static final float DEFAULT_ACTIVATION_THRESHOLD = 0.95f;
    /** Paper and released script. */
    public static final float DEFAULT_NORMALISATION_EPSILON = 1e-5f;
    /** 80 px at the paper's 640 px view. */
    public static final float DEFAULT_OFFSET_FRACTION = 0.125f;
    /** A region smaller than this share of the class's largest activated region gets no box of its own. */
    public static final double MIN_REGION_SHARE = 0.25;
    /** All defaults. */
    public static final CamBoxConfig DEFAULTS = new CamBoxConfig(
            DEFAULT_ACTIVATION_THRESHOLD, DEFAULT_NORMALISATION_EPSILON, DEFAULT_OFFSET_FRACTION, BoxMode.TRUE_MIN_MAX);

    /** One box per class. */
    public CamBoxConfig(float activationThreshold, float normalisationEpsilon, float offsetFraction, BoxMode mode) {
        this(activationThreshold, normalisationEpsilon, offsetFraction, mode, 1);
    }

    /** Validates the values. */
    public CamBoxConfig {
        if (!(activationThreshold >= 0f && activationThreshold < 1f)) {
            throw new IllegalArgumentException("activationThreshold must be in [0, 1), got " + activationThreshold);
        }
        if (!(normalisationEpsilon > 0f)) {
            throw new IllegalArgumentException("normalisationEpsilon must be positive, got " + normalisationEpsilon);
        }
        if (!(offsetFraction >= 0f && offsetFraction <= 1f)) {
            throw new IllegalArgumentException("offsetFraction must be in [0, 1], got " + offsetFraction);
        }
        Objects.requireNonNull(mode, "mode");
        if (maxRegions < 1) {
            throw new IllegalArgumentException("maxRegions must be at least 1, got " + maxRegions);
        }
    }

    /** @return this configuration with another box mode */
    public CamBoxConfig withMode(BoxMode newMode) {
        return new CamBoxConfig(activationThreshold, normalisationEpsilon, offsetFraction, newMode, maxRegions);
    }

    /** @return this configuration with another offset fraction */
    public CamBoxConfig withOffsetFraction(float newOffsetFraction) {
        return new CamBoxConfig(activationThreshold, normalisationEpsilon, newOffsetFraction, mode, maxRegions);
    }

    /** @return this configuration with another activation threshold */
    public CamBoxConfig withActivationThreshold(float newThreshold) {
        return new CamBoxConfig(newThreshold, normalisationEpsilon, offsetFraction, mode, maxRegions);
    }

    /** @return this configuration with up to {@code regions} boxes per class */
    public CamBoxConfig withMaxRegions(int regions) {
        return new CamBoxConfig(activationThreshold, normalisationEpsilon, offsetFraction, mode, regions);
    }
}
