package io.ccdstream.trainer;

import io.ccdstream.data.ImageRecords;
import io.ccdstream.data.synth.SynthScene;
import io.ccdstream.schemas.Image;
import io.ccdstream.schemas.ImageKey;
import java.util.List;

/** SynthScenes images as records of the images topic, and their ground truth for evaluation only. */
final class SynthImages {

    private SynthImages() {}

    static ImageKey key(SynthScene scene, String classSetId) {
        return new ImageKey(classSetId, scene.id());
    }

    /** An inline image record that carries the scene's ground truth, as a dataset producer would. */
    static Image record(SynthScene scene, String classSetId) {
        return ImageRecords.synth(scene, classSetId);
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
