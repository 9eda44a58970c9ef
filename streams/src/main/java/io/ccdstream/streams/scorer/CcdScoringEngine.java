package io.ccdstream.streams.scorer;

import io.ccdstream.method.ccd.CropBox;
import io.ccdstream.method.ccd.GridBaseline;
import io.ccdstream.method.image.DecodedImage;
import io.ccdstream.method.image.ImageDecoder;
import io.ccdstream.method.image.ImageInputException;
import io.ccdstream.method.image.RgbImage;
import io.ccdstream.models.clip.ClassSet;
import io.ccdstream.models.scoring.CcdImageScorer;
import io.ccdstream.models.scoring.LocalViews;
import io.ccdstream.models.scoring.ScoredImage;
import io.ccdstream.schemas.CamBox;
import io.ccdstream.schemas.Checkpoint;
import io.ccdstream.schemas.Image;
import io.ccdstream.schemas.ImageKey;
import io.ccdstream.schemas.Scores;
import io.ccdstream.topics.FloatLists;
import io.ccdstream.topics.ImageBytes;
import io.ccdstream.topics.PoisonRecordException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The scorer's models and rules: validates and decodes image records within limits, and scores
 * batches with CLIP, guided by the class set's current classifier checkpoint when there is one.
 * With {@link LocalViews#GRID} every image gets the 3x3 grid baseline's tiles instead and checkpoints
 * are ignored; with {@link LocalViews#NONE} the global view only.
 */
public final class CcdScoringEngine implements ScoringEngine {

    private static final String CONTROL_IMAGE_ID = "ccd-control-image";
    /** CLIP's input side: the control image needs no resizing. */
    private static final int CONTROL_SIDE = 224;
    /** CLIP's mean colour, about: a plain image every model can score. */
    private static final int CONTROL_RGB = 0x7B7468;

    private final CcdImageScorer scorer;
    private final String modelId;
    private final Map<String, ClassSet> classSets;
    private final CheckpointHolder checkpoints;
    private final ImageBytes bytes;
    private final ImageDecoder decoder;
    private final Clock clock;

    /**
     * @param scorer      CLIP scoring, global and refined
     * @param modelId     id of the CLIP model, written into every result
     * @param classSets   the class sets served
     * @param checkpoints the classifier checkpoints in use
     */
    public CcdScoringEngine(
            CcdImageScorer scorer,
            String modelId,
            Collection<ClassSet> classSets,
            CheckpointHolder checkpoints,
            ImageBytes bytes,
            ImageDecoder decoder,
            Clock clock) {
        this.scorer = scorer;
        this.modelId = modelId;
        this.classSets = classSets.stream().collect(Collectors.toUnmodifiableMap(ClassSet::id, Function.identity()));
        this.checkpoints = checkpoints;
        this.bytes = bytes;
        this.decoder = decoder;
        this.clock = clock;
    }

    @Override
    public RgbImage prepare(ImageKey key, Image image) {
        if (image.getImageId().isEmpty()) {
            throw new PoisonRecordException(
                    "EMPTY_IMAGE_ID", "an image of class set " + image.getClassSetId() + " has an empty image id");
        }
        if (key == null
                || !key.getImageId().equals(image.getImageId())
                || !key.getClassSetId().equals(image.getClassSetId())) {
            throw new PoisonRecordException(
                    "KEY_MISMATCH",
                    "key " + key + " does not match image " + image.getImageId() + " of class set "
                            + image.getClassSetId());
        }
        classSet(image.getImageId(), image.getClassSetId());
        try {
            DecodedImage decoded = decoder.decode(bytes.of(image), image.getContentType());
            return decoded.image();
        } catch (ImageInputException e) {
            throw new PoisonRecordException(
                    "IMAGE_" + e.reason().name(),
                    "image " + image.getImageId() + " cannot be decoded: " + e.getMessage(),
                    e);
        }
    }

    @Override
    public boolean canRefine(String classSetId) {
        return refinesLater() && checkpoints.has(classSetId);
    }

    @Override
    public java.util.Optional<Checkpoint> checkpoint(String classSetId) {
        return refinesLater() ? checkpoints.current(classSetId) : java.util.Optional.empty();
    }

    @Override
    public boolean refinesLater() {
        return scorer.settings().localViews() == LocalViews.CAM;
    }

    @Override
    public List<Scores> score(List<Prepared> batch) {
        Map<String, List<Integer>> byClassSet = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            byClassSet
                    .computeIfAbsent(batch.get(i).key().getClassSetId(), id -> new ArrayList<>())
                    .add(i);
        }
        Scores[] results = new Scores[batch.size()];
        byClassSet.forEach((classSetId, indexes) -> {
            ClassSet classSet = classSets.get(classSetId);
            List<RgbImage> images =
                    indexes.stream().map(i -> batch.get(i).pixels()).toList();
            checkpoints.withCheckpoint(classSetId, (event, classifier) -> {
                LocalViews views = scorer.settings().localViews();
                List<ScoredImage> scored = switch (views) {
                    case CAM ->
                        classifier == null
                                ? scorer.scoreGlobal(classSet, images)
                                : scorer.scoreRefined(classSet, images, classifier);
                    case GRID -> scorer.scoreGrid(classSet, images, GridBaseline.DEFAULT);
                    case NONE -> scorer.scoreGlobal(classSet, images);
                };
                Checkpoint used = views == LocalViews.CAM ? event : null;
                for (int j = 0; j < indexes.size(); j++) {
                    Prepared prepared = batch.get(indexes.get(j));
                    results[indexes.get(j)] = scores(prepared, scored.get(j), used);
                }
                return null;
            });
        });
        return List.of(results);
    }

    @Override
    public void checkModel(String classSetId) {
        ImageKey key = new ImageKey(classSetId, CONTROL_IMAGE_ID);
        score(List.of(new Prepared(key, null, RgbImage.filled(CONTROL_SIDE, CONTROL_SIDE, CONTROL_RGB))));
    }

    private ClassSet classSet(String imageId, String classSetId) {
        ClassSet classSet = classSets.get(classSetId);
        if (classSet == null) {
            throw new PoisonRecordException(
                    "UNKNOWN_CLASS_SET",
                    "image " + imageId + ": class set " + classSetId + " is not served by this scorer (known: "
                            + classSets.keySet() + ")");
        }
        return classSet;
    }

    private Scores scores(Prepared prepared, ScoredImage scored, Checkpoint checkpoint) {
        return Scores.newBuilder()
                .setImageId(prepared.key().getImageId())
                .setClassSetId(prepared.key().getClassSetId())
                .setModelId(modelId)
                .setImageWidth(prepared.pixels().width())
                .setImageHeight(prepared.pixels().height())
                .setGlobal(FloatLists.toList(scored.global()))
                .setLocal(scored.local() == null ? null : FloatLists.toList(scored.local()))
                .setBoxes(scored.boxes().stream().map(CcdScoringEngine::camBox).toList())
                .setCheckpointVersion(checkpoint == null ? null : checkpoint.getVersion())
                .setClipInferences(scored.clipInferences())
                .setScoredAt(clock.instant())
                .build();
    }

    private static CamBox camBox(CropBox box) {
        return new CamBox(box.classIndex(), box.classifierScore(), box.x0(), box.y0(), box.x1(), box.y1());
    }
}
