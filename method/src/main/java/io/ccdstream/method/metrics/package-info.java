/**
 * Evaluation metrics (ALGORITHM.md section 6): per-class average precision as scikit-learn's
 * {@code average_precision_score}, mAP, and the label-free "train mAP" used for early stopping.
 * Ground truth is used only here.
 */
package io.ccdstream.method.metrics;
