package io.ccdstream.trainer;

import io.ccdstream.data.synth.SynthScene;
import io.ccdstream.schemas.ImageKey;
import io.ccdstream.schemas.Label;
import io.ccdstream.schemas.LabelStage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Label records a test writes in place of the labeler, for tests about the trainer's mechanics (not
 * its label quality): 1 for the scene's classes, 0.05 (the debias floor) for the others.
 */
final class TestLabels {

    private TestLabels() {}

    static ImageKey key(SynthScene scene, String classSetId) {
        return new ImageKey(classSetId, scene.id());
    }

    static Label initial(SynthScene scene, String classSetId, List<String> classNames) {
        return label(scene, classSetId, classNames, LabelStage.INITIAL, null);
    }

    static Label refined(SynthScene scene, String classSetId, List<String> classNames, long checkpointVersion) {
        return label(scene, classSetId, classNames, LabelStage.REFINED, checkpointVersion);
    }

    private static Label label(
            SynthScene scene, String classSetId, List<String> classNames, LabelStage stage, Long checkpointVersion) {
        List<Float> scores = new ArrayList<>();
        for (String name : classNames) {
            scores.add(scene.labels().contains(name) ? 1f : 0.05f);
        }
        return Label.newBuilder()
                .setImageId(scene.id())
                .setClassSetId(classSetId)
                .setClassNames(classNames)
                .setStage(stage)
                .setScores(scores)
                .setGlobal(scores)
                .setLocal(stage == LabelStage.REFINED ? scores : null)
                .setAlpha(0.4f)
                .setBiasVersion(null)
                .setCheckpointVersion(checkpointVersion)
                .setModelId("test")
                .setClipInferences(1)
                .setLabeledAt(Instant.now())
                .build();
    }
}
