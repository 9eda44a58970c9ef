/**
 * The CCD trainer (DESIGN.md "trainer", ALGORITHM.md sections 3 and 5): {@link
 * io.ccdstream.trainer.TrainerService} reads the labels and images topics into a bounded local
 * training set, warms the classifier up on the initial labels, retrains it on the CAM-refined labels
 * with the consistency loss and the label-free early-stopping rule, fine-tunes it as new labels arrive,
 * and stores and announces every kept result as a versioned checkpoint, served over HTTP for scorers
 * on other hosts. Configured by {@link io.ccdstream.trainer.TrainerConfig}; observed through {@link
 * io.ccdstream.trainer.TrainerStatus}. See the module's README for the store layout and the route.
 */
package io.ccdstream.trainer;
