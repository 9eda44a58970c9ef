/**
 * Loaders for the paper's benchmark datasets from a local copy (nothing is downloaded):
 * PASCAL VOC 2007 and 2012 and MS COCO 2014, opened with {@link
 * io.ccdstream.data.datasets.Datasets#open(String, java.nio.file.Path)}.
 *
 * <p>A {@link io.ccdstream.data.datasets.Dataset} gives the class names in the dataset's
 * canonical order and, per {@link io.ccdstream.data.datasets.Split}, the images with their
 * ground truth ({@link io.ccdstream.data.datasets.LabelledImage}: image-level labels as the
 * benchmark counts them, and {@link io.ccdstream.data.datasets.ObjectBox} boxes in the
 * project's 0-based, end-exclusive pixel convention). Ground truth is for evaluation only
 * (ALGORITHM.md section 6). A missing or malformed file fails with a {@link
 * io.ccdstream.data.datasets.DatasetException} that names it and the expected layout.
 *
 * <p>Plain Java (the JDK's XML parser, Jackson's streaming JSON parser); no DJL, no Kafka.
 */
package io.ccdstream.data.datasets;
