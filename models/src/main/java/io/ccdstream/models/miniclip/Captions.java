package io.ccdstream.models.miniclip;

import io.ccdstream.data.synth.SynthScene;
import io.ccdstream.models.clip.ClipModelDescriptor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * CLIP-like captions for SynthScenes images: a caption names one object, usually the most salient
 * (largest) one, in one of several wordings ({@link #TEMPLATES}); and across a training set the
 * named classes are long-tailed ({@link #zipfWeights(int, double, long)}), as web captions are.
 * Together these give a model CLIP's two failure modes that CCD corrects: small objects are seldom
 * named (view dependence) and rare classes are weakly learned (class bias).
 */
public final class Captions {

    /**
     * Caption wordings. The zero-shot prompt {@value ClipModelDescriptor#DEFAULT_PROMPT_TEMPLATE}
     * is one of them, as common phrasings are in web captions.
     */
    public static final List<String> TEMPLATES = List.of(
            "a photo of the {class}",
            "the {class}",
            "a {class} on a cluttered background",
            "a picture of a {class}",
            "a {class}",
            "there is a {class} in the scene",
            "a close up photo of a {class}",
            "my {class} on the table",
            "an image showing the {class}",
            "a {class} among the clutter");

    private Captions() {}

    /**
     * One caption.
     *
     * @param text the caption
     * @param className the class it names
     */
    public record Caption(String text, String className) {}

    /**
     * Picks the object a caption names: with probability {@code salientShare} the one with the
     * largest box, otherwise any object with equal chance.
     *
     * @param scene a scene with at least one object
     * @param salientShare in [0, 1]
     * @param random the source of randomness
     * @return the named object
     * @throws IllegalArgumentException for a scene without objects
     */
    public static SynthScene.SynthObject namedObject(SynthScene scene, double salientShare, SplittableRandom random) {
        List<SynthScene.SynthObject> objects = scene.objects();
        if (objects.isEmpty()) {
            throw new IllegalArgumentException("scene " + scene.id() + " has no object to name");
        }
        if (random.nextDouble() < salientShare) {
            return objects.stream()
                    .max(Comparator.comparingInt(SynthScene.SynthObject::area))
                    .orElseThrow();
        }
        return objects.get(random.nextInt(objects.size()));
    }

    /**
     * @param className the class to name
     * @param random picks the wording
     * @return a caption naming {@code className} in one of the {@link #TEMPLATES}
     */
    public static Caption caption(String className, SplittableRandom random) {
        String template = TEMPLATES.get(random.nextInt(TEMPLATES.size()));
        return new Caption(template.replace(ClipModelDescriptor.CLASS_PLACEHOLDER, className), className);
    }

    /**
     * Zipf-like class frequencies over a fixed random order of the classes: the class at rank r (1
     * = most frequent) gets weight {@code 1 / r^exponent}, and which class has which rank is a
     * permutation drawn from {@code permutationSeed}.
     *
     * @param classCount number of classes
     * @param exponent the Zipf exponent, at least 0 (0 is uniform)
     * @param permutationSeed seed of the rank permutation
     * @return one weight per class index, summing to 1
     */
    public static double[] zipfWeights(int classCount, double exponent, long permutationSeed) {
        if (classCount < 1 || !(exponent >= 0)) {
            throw new IllegalArgumentException(
                    "need classCount >= 1 and exponent >= 0, got " + classCount + " and " + exponent);
        }
        List<Integer> order = new ArrayList<>();
        for (int c = 0; c < classCount; c++) {
            order.add(c);
        }
        SplittableRandom random = new SplittableRandom(permutationSeed);
        for (int i = classCount - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            order.set(i, order.set(j, order.get(i)));
        }
        double[] weights = new double[classCount];
        double sum = 0;
        for (int rank = 1; rank <= classCount; rank++) {
            double w = 1 / Math.pow(rank, exponent);
            weights[order.get(rank - 1)] = w;
            sum += w;
        }
        for (int c = 0; c < classCount; c++) {
            weights[c] /= sum;
        }
        return weights;
    }
}
