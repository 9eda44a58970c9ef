/**
 * The multi-label classifier with class activation maps of ALGORITHM.md sections 3 and 5.
 *
 * <ul>
 *   <li>{@link io.ccdstream.models.classifier.Classifier}: the facade, a backbone ({@link
 *       io.ccdstream.models.classifier.Backbone}: small CNN, ResNet-50/101, or a TorchScript
 *       module to fine-tune), a per-class 1x1 head producing the CAM, global average pooling to
 *       logits; inference, checkpoints with SHA-256.
 *   <li>{@link io.ccdstream.models.classifier.ClassifierTrainer}: BCE with soft targets on
 *       weak views plus beta times the consistency term on strong views, Adam with a 10x head
 *       learning rate.
 *   <li>{@link io.ccdstream.models.classifier.Augmentations} and {@link
 *       io.ccdstream.models.classifier.ColorJitter}: the weak and strong views, plain Java.
 * </ul>
 *
 * <p>No Kafka here; DJL's PyTorch engine always through {@link
 * io.ccdstream.models.djl.DjlRuntime}, offline.
 */
package io.ccdstream.models.classifier;
