package io.ccdstream.streams.labeler;

import io.ccdstream.schemas.Bias;
import io.ccdstream.schemas.ClassSetKey;
import io.ccdstream.schemas.ImageKey;
import io.ccdstream.schemas.Label;
import io.ccdstream.schemas.Review;
import io.ccdstream.schemas.Scores;
import io.ccdstream.streams.metrics.PipelineMetrics;
import io.ccdstream.topics.PoisonRecordException;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * Turns a person's review of an image ({@code ccd.reviews}) into that image's VERIFIED label: the label
 * is made again from the image's stored raw scores and the current bias, then the verdicts replace the
 * reviewed classes ({@link LabelMaker#verify}). The review is kept per image, so that every later label
 * of the image (a re-score, a bias recomputation) keeps the verdicts; a later review of the image
 * replaces it, and a tombstone withdraws it (the image goes back to its pseudo-label).
 *
 * <p>A review the labeler cannot apply goes to the dead letters: for an image it has no scores of
 * ({@code UNKNOWN_IMAGE}), an unknown class set, a class not in the set, a class named twice, or a key
 * that is not the review's image.
 */
final class ReviewProcessor implements Processor<ImageKey, Review, ImageKey, Label> {

    private final LabelMaker maker;
    private final PipelineMetrics metrics;
    private ProcessorContext<ImageKey, Label> context;
    private TimestampedKeyValueStore<ClassSetKey, Bias> biasTable;
    private KeyValueStore<ImageKey, Scores> scoresStore;
    private KeyValueStore<ImageKey, Label> labelStore;
    private KeyValueStore<ImageKey, Review> reviews;

    ReviewProcessor(LabelMaker maker, PipelineMetrics metrics) {
        this.maker = maker;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<ImageKey, Label> context) {
        this.context = context;
        this.biasTable = context.getStateStore(LabelerTopology.BIAS_STORE);
        this.scoresStore = context.getStateStore(LabelerTopology.SCORES_STORE);
        this.labelStore = context.getStateStore(LabelerTopology.LABEL_STORE);
        this.reviews = context.getStateStore(LabelerTopology.REVIEW_STORE);
    }

    @Override
    public void process(Record<ImageKey, Review> record) {
        ImageKey key = record.key();
        Review review = record.value();
        if (key == null) {
            throw new PoisonRecordException("NO_KEY", "a review without a key (the key is the image's ImageKey)");
        }
        if (review != null) {
            maker.validate(key, review);
        }
        Scores scores = scoresStore.get(key);
        if (scores == null) {
            throw new PoisonRecordException(
                    "UNKNOWN_IMAGE",
                    "review of image " + key.getImageId() + " of class set " + key.getClassSetId()
                            + ": the labeler has labelled no such image");
        }
        if (review == null) {
            reviews.delete(key);
        } else {
            reviews.put(key, review);
        }
        ValueAndTimestamp<Bias> bias = biasTable.get(new ClassSetKey(key.getClassSetId()));
        Label label = maker.label(
                key, scores, bias == null ? null : bias.value(), Instant.ofEpochMilli(context.currentSystemTimeMs()));
        if (review != null) {
            label = LabelMaker.verify(label, review);
        }
        labelStore.put(key, label);
        context.forward(record.withValue(label));
        metrics.labelled(label);
        metrics.reviewed(review == null ? "withdrawn" : "applied");
    }
}
