package io.ccdstream.streams.labeler;

import io.ccdstream.processors.ccd.Debias;
import io.ccdstream.processors.ccd.Mix;
import io.ccdstream.schemas.ImageKey;
import io.ccdstream.schemas.Label;
import io.ccdstream.schemas.LabelStage;
import io.ccdstream.schemas.Scores;
import io.ccdstream.streams.CcdTopics;
import io.ccdstream.streams.FloatLists;
import io.ccdstream.streams.SerdeFactory;
import io.ccdstream.streams.errors.PoisonRecordException;
import java.time.Clock;
import java.util.List;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Named;

/**
 * The labeler service: {@code ccd.scores -> debias, mix -> ccd.labels}, one label per image.
 * Until a bias vector is known every class has bias 1 (ALGORITHM.md section 2), so the label is
 * the floored, clamped raw score.
 */
public final class LabelerTopology {

    /** Service name, part of the application id. */
    public static final String SERVICE = "labeler";

    private LabelerTopology() {
    }

    /** Builds the topology; side-effect free. */
    public static Topology build(SerdeFactory serdes, ClassNames classNames, Debias debias, Mix mix, Clock clock) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(CcdTopics.SCORES.name(), CcdTopics.SCORES.consumed(serdes))
            .mapValues((key, scores) -> label(key, scores, classNames, debias, mix, clock), Named.as("label"))
            .to(CcdTopics.LABELS.name(), CcdTopics.LABELS.produced(serdes));
        return builder.build();
    }

    static Label label(ImageKey key, Scores scores, ClassNames classNames, Debias debias, Mix mix, Clock clock) {
        List<String> names = classNames.of(scores.getClassSetId()).orElseThrow(() -> new PoisonRecordException(
            "UNKNOWN_CLASS_SET", "class set " + scores.getClassSetId() + " of image " + key.getImageId()
                + " is not configured in the labeler"));
        float[] raw = FloatLists.toArray(scores.getGlobal());
        if (raw.length != names.size()) {
            throw new PoisonRecordException("CLASS_COUNT_MISMATCH", "image " + key.getImageId() + " has "
                + raw.length + " scores, class set " + scores.getClassSetId() + " has " + names.size() + " classes");
        }
        float[] global = debias.apply(raw, null);
        float[] local = scores.getLocal() == null ? null : debias.apply(FloatLists.toArray(scores.getLocal()), null);
        return Label.newBuilder()
            .setImageId(scores.getImageId())
            .setClassSetId(scores.getClassSetId())
            .setClassNames(names)
            .setStage(local == null ? LabelStage.INITIAL : LabelStage.REFINED)
            .setScores(FloatLists.toList(mix.apply(global, local)))
            .setGlobal(FloatLists.toList(global))
            .setLocal(local == null ? null : FloatLists.toList(local))
            .setAlpha(mix.alpha())
            .setBiasVersion(null)
            .setCheckpointVersion(scores.getCheckpointVersion())
            .setModelId(scores.getModelId())
            .setClipInferences(scores.getClipInferences())
            .setLabeledAt(clock.instant())
            .build();
    }
}
