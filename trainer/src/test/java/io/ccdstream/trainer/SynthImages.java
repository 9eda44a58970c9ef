package io.ccdstream.trainer;

import io.ccdstream.processors.synth.SynthScene;
import io.ccdstream.schemas.GroundTruth;
import io.ccdstream.schemas.GroundTruthBox;
import io.ccdstream.schemas.Image;
import io.ccdstream.schemas.ImageKey;
import java.nio.ByteBuffer;
import java.util.List;

/** SynthScenes images as records of the images topic, and their ground truth for evaluation only. */
final class SynthImages {

    private SynthImages() {
    }

    static ImageKey key(SynthScene scene, String classSetId) {
        return new ImageKey(classSetId, scene.id());
    }

    /** An inline image record that carries the scene's ground truth, as a dataset producer would. */
    static Image record(SynthScene scene, String classSetId) {
        List<GroundTruthBox> boxes = scene.objects().stream()
            .map(o -> new GroundTruthBox(o.className(), o.x0(), o.y0(), o.x1(), o.y1())).toList();
        return Image.newBuilder().setImageId(scene.id()).setClassSetId(classSetId)
            .setData(ByteBuffer.wrap(scene.png())).setContentType("image/png").setByteSize(scene.png().length)
            .setGroundTruth(new GroundTruth(scene.labels(), boxes)).build();
    }

    /** Which classes the scene shows, in class order. */
    static boolean[] truth(SynthScene scene, List<String> classNames) {
        boolean[] present = new boolean[classNames.size()];
        for (String label : scene.labels()) {
            present[classNames.indexOf(label)] = true;
        }
        return present;
    }
}
