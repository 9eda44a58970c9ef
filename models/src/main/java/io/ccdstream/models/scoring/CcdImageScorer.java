package io.ccdstream.models.scoring;

import io.ccdstream.method.ccd.CamBoxer;
import io.ccdstream.method.ccd.ClassSelection;
import io.ccdstream.method.ccd.CropBox;
import io.ccdstream.method.ccd.CropResize;
import io.ccdstream.method.ccd.GridBaseline;
import io.ccdstream.method.ccd.LocalLabel;
import io.ccdstream.method.ccd.SelectionWindow;
import io.ccdstream.method.ccd.ViewGeometry;
import io.ccdstream.method.image.RgbImage;
import io.ccdstream.models.classifier.Classifier;
import io.ccdstream.models.classifier.ClassifierOutput;
import io.ccdstream.models.clip.ClassSet;
import io.ccdstream.models.clip.ClipModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Scores a batch of images the CCD way (ALGORITHM.md sections 1 and 4): the global view with
 * CLIP; with a classifier, its CAMs pick a box per selected class, and every crop of the batch is
 * scored by CLIP in one batched call, then max-aggregated per image. Thread-safe as the models are.
 */
public final class CcdImageScorer {

    private final ClipModel clip;
    private final RefinementSettings settings;
    private final CamBoxer boxer;
    private final CropResize cropResize;
    /** Per class set, the window of a calibration over recent images; none when calibrating per batch. */
    private final Map<String, SelectionWindow> windows = new ConcurrentHashMap<>();

    private final int windowImages;

    /** A scorer over {@code clip}; the classifier is given per call, as it changes over time. */
    public CcdImageScorer(ClipModel clip, RefinementSettings settings) {
        this.clip = clip;
        this.settings = settings;
        this.windowImages =
                settings.selection() instanceof ClassSelection.Calibrated calibrated ? calibrated.window() : 0;
        this.boxer = new CamBoxer(settings.boxes());
        int side = clip.descriptor().imageSize();
        this.cropResize = settings.padCrops() ? CropResize.of(side) : CropResize.unpadded(side);
    }

    /** Global view only: the initial stage, before any classifier exists. */
    public List<ScoredImage> scoreGlobal(ClassSet classSet, List<RgbImage> images) {
        float[][] global = clip.scoreImages(classSet, images);
        List<ScoredImage> scored = new ArrayList<>(images.size());
        for (float[] p : global) {
            scored.add(new ScoredImage(p, null, List.of(), 1));
        }
        return scored;
    }

    /** The settings this scorer was made with. */
    public RefinementSettings settings() {
        return settings;
    }

    /**
     * Global view plus the tiles of {@code grid} (the CDUL-style baseline, ALGORITHM.md section 7):
     * every tile of every image of the batch is scored in one batched CLIP call; the local score is
     * the per-class max over the image's tiles, and the tiles are reported as class-less boxes.
     */
    public List<ScoredImage> scoreGrid(ClassSet classSet, List<RgbImage> images, GridBaseline grid) {
        float[][] global = clip.scoreImages(classSet, images);
        List<List<CropBox>> tiles = new ArrayList<>(images.size());
        List<RgbImage> crops = new ArrayList<>();
        for (RgbImage image : images) {
            List<CropBox> imageTiles = grid.tiles(image.width(), image.height());
            tiles.add(imageTiles);
            for (CropBox tile : imageTiles) {
                crops.add(cropResize.apply(image, tile));
            }
        }
        return assemble(classSet, global, tiles, clip.scoreImages(classSet, crops));
    }

    /** Global view plus the classifier-guided crops. */
    public List<ScoredImage> scoreRefined(ClassSet classSet, List<RgbImage> images, Classifier classifier) {
        if (classifier.config().numClasses() != classSet.size()) {
            throw new IllegalArgumentException(
                    "classifier has " + classifier.config().numClasses() + " classes, class set " + classSet.id()
                            + " has " + classSet.size());
        }
        float[][] global = clip.scoreImages(classSet, images);
        ClassifierOutput output = classifier.forwardWithCam(images);
        float threshold = threshold(classSet, output.scores(), classifier);
        List<List<CropBox>> boxes = new ArrayList<>(images.size());
        List<RgbImage> crops = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            RgbImage image = images.get(i);
            ViewGeometry view = ViewGeometry.square(classifier.config().inputSize(), image.width(), image.height());
            List<CropBox> imageBoxes = boxer.boxes(output.scores()[i], output.cams()[i], threshold, view);
            boxes.add(imageBoxes);
            for (CropBox box : imageBoxes) {
                crops.add(cropResize.apply(image, box));
            }
        }
        float[][] cropScores = crops.isEmpty() ? new float[0][] : clip.scoreImages(classSet, crops);
        return assemble(classSet, global, boxes, cropScores);
    }

    /** Per image: its global scores, the max over its boxes' scores (in batch order), 1 + boxes inferences. */
    private static List<ScoredImage> assemble(
            ClassSet classSet, float[][] global, List<List<CropBox>> boxes, float[][] cropScores) {
        List<ScoredImage> scored = new ArrayList<>(global.length);
        int next = 0;
        for (int i = 0; i < global.length; i++) {
            List<float[]> own = new ArrayList<>();
            for (int b = 0; b < boxes.get(i).size(); b++) {
                own.add(cropScores[next++]);
            }
            scored.add(
                    new ScoredImage(global[i], LocalLabel.maxOver(own, classSet.size()), boxes.get(i), 1 + own.size()));
        }
        return scored;
    }

    /** The batch's threshold: on the batch, or on the window of recent images of this classifier. */
    private float threshold(ClassSet classSet, float[][] classifierScores, Classifier classifier) {
        ClassSelection selection = settings.selection();
        if (windowImages == 0) {
            return selection.resolve(classifierScores).threshold();
        }
        return windows.computeIfAbsent(classSet.id(), id -> new SelectionWindow(windowImages))
                .resolve(classifier, selection, classifierScores)
                .threshold();
    }
}
