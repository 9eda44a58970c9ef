package io.ccdstream.models.classifier;

/**
 * What one pass over a training set did.
 *
 * @param steps optimiser steps taken (batches)
 * @param images images seen
 * @param meanLoss loss averaged over the images (each batch's mean loss weighted by its size)
 */
public record EpochSummary(int steps, int images, double meanLoss) {}
