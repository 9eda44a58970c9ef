package io.ccdstream.trainer;

/**
 * One image of the local training set.
 *
 * @param imageId   the producer's image id
 * @param pixelFile name of the file holding the encoded image, or null while only the label is known
 * @param arrival   order of first arrival; the smallest is evicted first
 * @param labelSeq  local sequence number of the last label change, for "labels new since the last round"
 * @param label     the latest label, or null while only the image is known
 */
record TrainingExample(String imageId, String pixelFile, long arrival, long labelSeq, StoredLabel label) {

    /** Whether the example has both pixels and a label. */
    boolean trainable() {
        return pixelFile != null && label != null;
    }

    /** The same with pixels in {@code file}. */
    TrainingExample withPixels(String file) {
        return new TrainingExample(imageId, file, arrival, labelSeq, label);
    }

    /** The same with {@code newLabel}, changed at {@code seq}. */
    TrainingExample withLabel(StoredLabel newLabel, long seq) {
        return new TrainingExample(imageId, pixelFile, arrival, seq, newLabel);
    }
}
