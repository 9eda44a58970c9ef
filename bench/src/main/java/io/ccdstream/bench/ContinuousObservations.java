package io.ccdstream.bench;

import io.ccdstream.schemas.Checkpoint;
import io.ccdstream.schemas.Label;
import java.util.List;
import java.util.Map;

/**
 * What a continuous run sent and read back.
 *
 * @param arrivals    the images sent, in send order
 * @param labels      per image, every label record of ccd.labels in the order read
 * @param scores      every scores record of ccd.scores
 * @param checkpoints every checkpoint record of ccd.checkpoints, in the order read
 */
public record ContinuousObservations(
        List<Arrival> arrivals,
        Map<String, List<Label>> labels,
        List<ScoresSeen> scores,
        List<Checkpoint> checkpoints) {

    /**
     * One image sent.
     *
     * @param imageId      its id
     * @param truth        per class, whether the image shows it
     * @param sentAtMillis its image record's timestamp
     */
    public record Arrival(String imageId, boolean[] truth, long sentAtMillis) {}

    /**
     * What the analysis needs of one scores record.
     *
     * @param imageId           the image
     * @param checkpointVersion the checkpoint that chose its crops, null for none
     * @param rescore           whether the scorer re-scored an image it had scored before
     * @param rescoredFrom      for a re-score with a better checkpoint, the version it replaced; null otherwise
     */
    public record ScoresSeen(String imageId, Long checkpointVersion, boolean rescore, Long rescoredFrom) {}
}
