package io.ccdstream.trainer;

import io.ccdstream.schemas.Checkpoint;
import io.ccdstream.schemas.CheckpointMetrics;
import io.ccdstream.schemas.CheckpointPhase;
import java.time.Instant;

/**
 * A checkpoint in the {@link CheckpointStore}: what its sidecar file records, everything of the
 * checkpoint event except the location, which depends on how the store is served.
 *
 * @param classSetId    the class set
 * @param version       the version, monotonic per class set
 * @param phase         WARMUP, REFINE or CONTINUOUS
 * @param architecture  the classifier architecture, e.g. small-cnn
 * @param sha256        lower-case hex SHA-256 of the checkpoint file
 * @param sizeBytes     size of the checkpoint file
 * @param createdAtMs   creation time, epoch milliseconds
 * @param trainLabelMap train-label mAP (%) of the kept epoch
 * @param loss          mean training loss of the kept epoch
 * @param imagesSeen    images presented in the round up to the kept epoch (training images times epochs)
 * @param epochs        epochs trained up to the kept epoch
 * @param heldOutMap    the held-out signal (%) of the kept epoch, null without one (a slice too small, or a
 *                      sidecar written before the slice existed)
 * @param heldOutImages slice images it was measured on
 * @param heldOutClasses classes counted in it
 */
record StoredCheckpoint(
        String classSetId,
        long version,
        CheckpointPhase phase,
        String architecture,
        String sha256,
        long sizeBytes,
        long createdAtMs,
        double trainLabelMap,
        double loss,
        long imagesSeen,
        int epochs,
        Double heldOutMap,
        int heldOutImages,
        int heldOutClasses) {

    /** The checkpoint event announcing this checkpoint at {@code location}. */
    Checkpoint event(String location) {
        return Checkpoint.newBuilder()
                .setClassSetId(classSetId)
                .setVersion(version)
                .setPhase(phase)
                .setArchitecture(architecture)
                .setLocation(location)
                .setSha256(sha256)
                .setSizeBytes(sizeBytes)
                .setCreatedAt(Instant.ofEpochMilli(createdAtMs))
                .setMetrics(new CheckpointMetrics(
                        trainLabelMap, loss, imagesSeen, epochs, heldOutMap, heldOutImages, heldOutClasses))
                .build();
    }
}
