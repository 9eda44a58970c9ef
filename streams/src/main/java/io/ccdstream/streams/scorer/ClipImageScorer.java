package io.ccdstream.streams.scorer;

import io.ccdstream.processors.clip.ClassSet;
import io.ccdstream.processors.clip.ClipModel;
import io.ccdstream.processors.image.DecodedImage;
import io.ccdstream.processors.image.ImageDecoder;
import io.ccdstream.processors.image.ImageInputException;
import io.ccdstream.schemas.Image;
import io.ccdstream.schemas.ImageKey;
import io.ccdstream.schemas.Scores;
import io.ccdstream.streams.FloatLists;
import io.ccdstream.streams.errors.PoisonRecordException;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Global-view CLIP scoring of an image record (ALGORITHM.md section 1): fetch, decode within
 * limits, score with CLIP against the record's class set, emit the raw softmax probabilities.
 */
public final class ClipImageScorer implements ImageScorer {

    private final ClipModel model;
    private final Map<String, ClassSet> classSets;
    private final ImageBytes bytes;
    private final ImageDecoder decoder;
    private final Clock clock;

    /**
     * @param model     the CLIP model; not closed by this scorer
     * @param classSets the class sets this scorer serves, all of {@code model}
     */
    public ClipImageScorer(ClipModel model, Collection<ClassSet> classSets, ImageBytes bytes,
        ImageDecoder decoder, Clock clock) {
        this.model = model;
        this.classSets = classSets.stream().collect(Collectors.toUnmodifiableMap(ClassSet::id, Function.identity()));
        this.bytes = bytes;
        this.decoder = decoder;
        this.clock = clock;
    }

    @Override
    public Scores score(ImageKey key, Image image) {
        if (key == null || !key.getImageId().equals(image.getImageId())
            || !key.getClassSetId().equals(image.getClassSetId())) {
            throw new PoisonRecordException("KEY_MISMATCH", "key " + key + " does not match image "
                + image.getImageId() + " of class set " + image.getClassSetId());
        }
        ClassSet classSet = classSets.get(image.getClassSetId());
        if (classSet == null) {
            throw new PoisonRecordException("UNKNOWN_CLASS_SET", "image " + image.getImageId() + ": class set "
                + image.getClassSetId() + " is not served by this scorer (known: " + classSets.keySet() + ")");
        }
        DecodedImage decoded = decode(image);
        float[] probabilities = scoreGlobal(image, classSet, decoded);
        return Scores.newBuilder()
            .setImageId(image.getImageId())
            .setClassSetId(classSet.id())
            .setModelId(model.descriptor().modelId())
            .setImageWidth(decoded.image().width())
            .setImageHeight(decoded.image().height())
            .setGlobal(FloatLists.toList(probabilities))
            .setLocal(null)
            .setCheckpointVersion(null)
            .setClipInferences(1)
            .setScoredAt(clock.instant())
            .build();
    }

    private DecodedImage decode(Image image) {
        try {
            return decoder.decode(bytes.of(image), image.getContentType());
        } catch (ImageInputException e) {
            throw new PoisonRecordException("IMAGE_" + e.reason().name(), "image " + image.getImageId()
                + " cannot be decoded: " + e.getMessage(), e);
        }
    }

    private float[] scoreGlobal(Image image, ClassSet classSet, DecodedImage decoded) {
        try {
            return model.scoreImages(classSet, List.of(decoded.image()))[0];
        } catch (RuntimeException e) {
            throw new PoisonRecordException("MODEL_FAILURE", "CLIP failed on image " + image.getImageId()
                + " (" + decoded.image().width() + "x" + decoded.image().height() + ")", e);
        }
    }
}
