package io.ccdstream.models.miniclip;

import io.ccdstream.data.synth.SynthClass;
import io.ccdstream.data.synth.SynthScene;
import io.ccdstream.data.synth.SynthScenes;
import io.ccdstream.data.synth.SynthWorld;
import io.ccdstream.method.image.ClipPreprocessor;
import io.ccdstream.method.image.ImageDecoder;
import io.ccdstream.method.image.RgbImage;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The training pairs of a configuration: SynthScenes images of the configured worlds, in turn,
 * with long-tailed class frequencies,
 * already resized to the model input, and the class each image's caption names. The wording of a
 * caption is drawn per epoch ({@link #caption(int, int)}).
 *
 * @param config the configuration
 * @param images the images at the model's input size
 * @param namedClasses per image, the index in {@link SynthClass#ALL} of the class its caption names
 */
record TrainingSet(MiniClipConfig config, List<RgbImage> images, int[] namedClasses) {

    /** Generates the pairs (in parallel; the result does not depend on the number of threads). */
    static TrainingSet generate(MiniClipConfig config, ClipPreprocessor preprocessor) {
        List<SynthScenes> worlds =
                config.worlds().stream().map(world -> scenes(config, world)).toList();
        ImageDecoder decoder = ImageDecoder.builder().build();
        int n = config.trainImages();
        RgbImage[] images = new RgbImage[n];
        int[] named = new int[n];
        List<String> names = SynthClass.names();
        IntStream.range(0, n).parallel().forEach(i -> {
            SynthScene scene = worlds.get(i % worlds.size()).generate(i);
            SplittableRandom random = new SplittableRandom(mix(config.seed(), -1, i));
            named[i] = names.indexOf(
                    Captions.namedObject(scene, config.salientShare(), random).className());
            images[i] = preprocessor.resize(decoder.decode(scene.png()).image());
        });
        return new TrainingSet(config, List.of(images), named);
    }

    /** The training scenes of one world: no "none" images, long-tailed classes. */
    private static SynthScenes scenes(MiniClipConfig config, SynthWorld world) {
        SynthScenes.Builder builder = SynthScenes.builder()
                .setSeed(config.seed())
                .optWorld(world)
                .optSize(config.sceneSize())
                .optNoneShare(0)
                .optClassWeights(classWeights(config));
        if (world == SynthWorld.SMALL_OBJECTS) {
            builder.optSmallShare(config.smallShare());
        }
        return builder.build();
    }

    /** @return the class weights of the training scenes: Zipf over the configured class order */
    static double[] classWeights(MiniClipConfig config) {
        return Captions.zipfWeights(SynthClass.ALL.size(), config.zipfExponent(), config.classPermutationSeed());
    }

    int size() {
        return images.size();
    }

    /** The caption of image {@code i} in {@code epoch}: its named class in a wording drawn for that epoch. */
    String caption(int epoch, int i) {
        SplittableRandom random = new SplittableRandom(mix(config.seed(), epoch, i));
        return Captions.caption(SynthClass.ALL.get(namedClasses[i]).name(), random)
                .text();
    }

    /** A seed for (training seed, epoch, index) streams that do not overlap. */
    static long mix(long seed, long epoch, long index) {
        long h = seed * 0x9E3779B97F4A7C15L;
        h = (h ^ (epoch + 0x632BE59BD9B4E019L)) * 0xBF58476D1CE4E5B9L;
        h = (h ^ (index + 0x94D049BB133111EBL)) * 0x94D049BB133111EBL;
        return h ^ (h >>> 31);
    }
}
