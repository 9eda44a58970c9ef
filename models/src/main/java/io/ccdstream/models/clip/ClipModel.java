package io.ccdstream.models.clip;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.EngineException;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.translate.TranslateException;
import io.ccdstream.method.image.RgbImage;
import io.ccdstream.models.djl.DjlRuntime;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A CLIP model behind domain methods: image and text embeddings, class-set embeddings and
 * zero-shot probabilities (ALGORITHM.md section 1). Loads a model directory (see {@link
 * ClipModelDescriptor}) offline with DJL's PyTorch engine ({@link DjlRuntime}), whatever its
 * {@link ClipModelFormat}: a TorchScript module, or the parameters of a {@link MiniClipBlock} that
 * is rebuilt from the descriptor. Both are driven by the same translators.
 *
 * <pre>{@code
 * try (ClipModel clip = ClipModel.load(Path.of("models/clip"))) {
 *     ClassSet classes = clip.classSet(List.of("cat", "dog"));
 *     float[][] p = clip.scoreImages(classes, List.of(image));
 * }
 * }</pre>
 *
 * <p>Thread-safe. DJL predictors are not, so every call borrows one from a pool per encoder;
 * predictors are created on demand (as many as the peak number of concurrent callers) and all
 * closed by {@link #close()}. Each prediction's tensors live in DJL's per-prediction manager,
 * which the predictor closes when the call returns; results are copied to Java arrays first.
 *
 * <p>Class-set embeddings are computed once per {@link ClassSet} and kept until {@link #close()}
 * (a deployment uses a handful of class sets).
 *
 * <p>Failures during inference (not possible for valid inputs once the model loaded, since
 * loading probes both encoders) are thrown as {@link IllegalStateException}.
 */
public final class ClipModel implements AutoCloseable {

    private final ClipModelDescriptor descriptor;
    private final Model model;
    private final HuggingFaceTokenizer tokenizer;
    private final PredictorPool<List<RgbImage>, float[][]> imageEncoders;
    private final PredictorPool<List<String>, float[][]> textEncoders;
    private final TextTranslator textTranslator;
    private final int maxBatchSize;
    private final Map<ClassSet, ClassSetEmbedding> classSetEmbeddings = new ConcurrentHashMap<>();

    private ClipModel(ClipModelDescriptor descriptor, Model model, HuggingFaceTokenizer tokenizer, int maxBatchSize) {
        this.descriptor = descriptor;
        this.model = model;
        this.tokenizer = tokenizer;
        this.maxBatchSize = maxBatchSize;
        ImageTranslator imageTranslator = new ImageTranslator(descriptor.preprocessor(), descriptor.embeddingDim());
        this.textTranslator = new TextTranslator(
                tokenizer, descriptor.contextLength(), descriptor.padTokenId(), descriptor.embeddingDim());
        this.imageEncoders = new PredictorPool<>(() -> model.newPredictor(imageTranslator));
        this.textEncoders = new PredictorPool<>(() -> model.newPredictor(textTranslator));
    }

    /**
     * Loads a model directory on the CPU with the default batch size.
     *
     * @param modelDir a directory with {@code clip.json}, the weights and the tokenizer
     * @return the loaded model
     * @throws ClipModelException if the directory is not a usable CLIP model
     */
    public static ClipModel load(Path modelDir) throws ClipModelException {
        return builder().setModelDir(modelDir).build();
    }

    /** @return a builder; {@link Builder#setModelDir(Path)} is required */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the descriptor the model was loaded with */
    public ClipModelDescriptor descriptor() {
        return descriptor;
    }

    /**
     * A class set for this model with the descriptor's default prompt template.
     *
     * @param classNames distinct class names, in probability-vector order
     * @return the class set
     */
    public ClassSet classSet(List<String> classNames) {
        return ClassSet.of(descriptor.modelId(), classNames, List.of(descriptor.promptTemplate()));
    }

    /**
     * Encodes texts, in batches of at most the configured size.
     *
     * @param texts any texts; each is truncated to the context length
     * @return one L2-normalised embedding per text
     */
    public float[][] encodeTexts(List<String> texts) {
        return inBatches(texts, batch -> predict(textEncoders, batch));
    }

    /**
     * Encodes images, in batches of at most the configured size.
     *
     * @param images images of any size; each is resized per the descriptor
     * @return one L2-normalised embedding per image
     */
    public float[][] encodeImages(List<RgbImage> images) {
        return inBatches(images, batch -> predict(imageEncoders, batch));
    }

    /**
     * The class embeddings of a class set: for each class, each template's prompt is encoded and
     * normalised, the normalised features are averaged over the templates and the mean is
     * normalised again (prompt ensembling). Computed on first use and cached.
     *
     * @param classSet a class set of this model
     * @return the class embeddings
     * @throws IllegalArgumentException if the class set names another model
     */
    public ClassSetEmbedding textEmbeddings(ClassSet classSet) {
        if (!classSet.modelId().equals(descriptor.modelId())) {
            throw new IllegalArgumentException("class set " + classSet.id() + " is for model '" + classSet.modelId()
                    + "', this is '" + descriptor.modelId() + "'");
        }
        return classSetEmbeddings.computeIfAbsent(classSet, this::computeTextEmbeddings);
    }

    /**
     * Zero-shot probabilities: for each image {@code softmax(logitScale * cos(f, w_c))} over the
     * classes, with f the image embedding and w_c the class embeddings (tau = 1 / logitScale).
     *
     * @param classSet a class set of this model
     * @param images the images
     * @return one probability vector per image, in class order, each summing to 1
     */
    public float[][] scoreImages(ClassSet classSet, List<RgbImage> images) {
        ClassSetEmbedding classes = textEmbeddings(classSet);
        float[][] features = encodeImages(images);
        float[][] probabilities = new float[features.length][];
        for (int i = 0; i < features.length; i++) {
            probabilities[i] = classes.probabilities(features[i], descriptor.logitScale());
        }
        return probabilities;
    }

    /**
     * Closes all predictors, the tokenizer and the model. Calls in flight must have returned.
     */
    @Override
    public void close() {
        imageEncoders.close();
        textEncoders.close();
        tokenizer.close();
        model.close();
        classSetEmbeddings.clear();
    }

    /** Token ids as the text encoder sees them (for tests against reference tokenisations). */
    long[][] tokenIds(List<String> texts) throws TranslateException {
        return textTranslator.tokenIds(texts);
    }

    /** Native arrays currently held by the model's manager and its sub-managers (leak checks). */
    public int liveNativeArrays() {
        return model.getNDManager().getManagedArrays().size();
    }

    /** Number of predictors created so far, both encoders together. */
    int predictorCount() {
        return imageEncoders.size() + textEncoders.size();
    }

    private ClassSetEmbedding computeTextEmbeddings(ClassSet classSet) {
        // a class of an ontology may have prompts of its own, so the count varies by class
        List<String> prompts = new ArrayList<>();
        int[] first = new int[classSet.size() + 1];
        for (int c = 0; c < classSet.size(); c++) {
            prompts.addAll(classSet.prompts(c));
            first[c + 1] = prompts.size();
        }
        float[][] promptFeatures = encodeTexts(prompts);
        float[][] weights = new float[classSet.size()][];
        for (int c = 0; c < classSet.size(); c++) {
            float[][] perPrompt = new float[first[c + 1] - first[c]][];
            System.arraycopy(promptFeatures, first[c], perPrompt, 0, perPrompt.length);
            weights[c] = Vectors.l2Normalised(Vectors.mean(perPrompt));
        }
        return new ClassSetEmbedding(classSet, weights);
    }

    private <T> float[][] inBatches(List<T> items, Function<List<T>, float[][]> encoder) {
        Objects.requireNonNull(items, "items");
        float[][] out = new float[items.size()][];
        for (int start = 0; start < items.size(); start += maxBatchSize) {
            int end = Math.min(items.size(), start + maxBatchSize);
            float[][] batch = encoder.apply(items.subList(start, end));
            System.arraycopy(batch, 0, out, start, batch.length);
        }
        return out;
    }

    private static <I> float[][] predict(PredictorPool<I, float[][]> pool, I batch) {
        try {
            return pool.predict(batch);
        } catch (TranslateException e) {
            throw new IllegalStateException("CLIP inference failed: " + e.getMessage(), e);
        }
    }

    /** Builder for {@link ClipModel}. */
    public static final class Builder {
        private Path modelDir;
        private Device device = Device.cpu();
        private int maxBatchSize = 32;

        private Builder() {}

        /**
         * @param modelDir the model directory, required
         * @return this builder
         */
        public Builder setModelDir(Path modelDir) {
            this.modelDir = Objects.requireNonNull(modelDir, "modelDir");
            return this;
        }

        /**
         * @param device where to run, default {@link Device#cpu()}
         * @return this builder
         */
        public Builder optDevice(Device device) {
            this.device = Objects.requireNonNull(device, "device");
            return this;
        }

        /**
         * @param maxBatchSize the largest number of images or texts per forward pass, default 32
         * @return this builder
         */
        public Builder optMaxBatchSize(int maxBatchSize) {
            if (maxBatchSize < 1) {
                throw new IllegalArgumentException("maxBatchSize must be positive, got " + maxBatchSize);
            }
            this.maxBatchSize = maxBatchSize;
            return this;
        }

        /**
         * Loads the model and probes both encoders once, so that a broken directory fails here.
         *
         * @return the loaded model
         * @throws ClipModelException if the directory is not a usable CLIP model
         */
        public ClipModel build() throws ClipModelException {
            if (modelDir == null) {
                throw new IllegalArgumentException("setModelDir is required");
            }
            ClipModelDescriptor descriptor = ClipModelDescriptor.read(modelDir);
            Path modelFile = requireFile(descriptor.modelFile(), "modelFile");
            Path tokenizerFile = requireFile(descriptor.tokenizerFile(), "tokenizerFile");
            Model model = switch (descriptor.format()) {
                case TORCHSCRIPT -> loadModule(descriptor, modelFile);
                case DJL_MINI_CLIP -> loadMiniClip(descriptor, modelFile);
            };
            HuggingFaceTokenizer tokenizer;
            try {
                tokenizer = HuggingFaceTokenizer.newInstance(
                        tokenizerFile, TextTranslator.tokenizerOptions(descriptor.contextLength()));
            } catch (IOException | RuntimeException e) {
                model.close();
                throw new ClipModelException("cannot load tokenizer " + tokenizerFile + ": " + e.getMessage(), e);
            }
            ClipModel clip = new ClipModel(descriptor, model, tokenizer, maxBatchSize);
            try {
                clip.encodeImages(List.of(RgbImage.filled(descriptor.imageSize(), descriptor.imageSize(), 0)));
                clip.encodeTexts(List.of(descriptor.promptTemplate()));
            } catch (RuntimeException e) {
                clip.close();
                throw new ClipModelException(
                        modelFile + " does not behave as a CLIP module (it must export "
                                + ImageTranslator.METHOD + "(float32[N,3," + descriptor.imageSize() + ","
                                + descriptor.imageSize() + "]) and " + TextTranslator.METHOD + "(int64[N,"
                                + descriptor.contextLength() + "]), both returning [N," + descriptor.embeddingDim()
                                + "]): " + rootMessage(e),
                        e);
            }
            return clip;
        }

        private Path requireFile(String name, String field) throws ClipModelException {
            Path file = modelDir.resolve(name);
            if (!Files.isRegularFile(file)) {
                throw new ClipModelException("CLIP model directory " + modelDir + " has no " + name + " (" + field
                        + " in " + ClipModelDescriptor.FILE_NAME + ")");
            }
            return file;
        }

        private Model newModel(ClipModelDescriptor descriptor) throws ClipModelException {
            try {
                DjlRuntime.pytorch();
                return Model.newInstance(descriptor.modelId(), device, DjlRuntime.PYTORCH);
            } catch (EngineException e) {
                throw new ClipModelException("the PyTorch engine could not start offline: " + e.getMessage(), e);
            }
        }

        /** Rebuilds the block from the descriptor's architecture and loads its DJL parameters. */
        private Model loadMiniClip(ClipModelDescriptor descriptor, Path parameterFile) throws ClipModelException {
            Model model = newModel(descriptor);
            try (DataInputStream in =
                    new DataInputStream(new BufferedInputStream(Files.newInputStream(parameterFile)))) {
                MiniClipBlock block = new MiniClipBlock(
                        descriptor.architecture(), descriptor.embeddingDim(), descriptor.padTokenId());
                model.setBlock(block);
                block.loadParameters(model.getNDManager(), in);
                block.checkParameterShapes(descriptor.imageSize(), descriptor.contextLength());
                return model;
            } catch (IOException | MalformedModelException | RuntimeException e) {
                model.close();
                throw new ClipModelException(
                        "cannot load mini-CLIP parameters " + parameterFile + " with the architecture in "
                                + ClipModelDescriptor.FILE_NAME + ": " + rootMessage(e),
                        e);
            }
        }

        private Model loadModule(ClipModelDescriptor descriptor, Path modelFile) throws ClipModelException {
            Model model = newModel(descriptor);
            try {
                model.load(modelDir, descriptor.modelFile());
                return model;
            } catch (IOException | MalformedModelException | RuntimeException e) {
                model.close();
                throw new ClipModelException("cannot load TorchScript module " + modelFile + ": " + rootMessage(e), e);
            }
        }

        private static String rootMessage(Throwable e) {
            Throwable t = e;
            while (t.getCause() != null && t.getCause() != t) {
                t = t.getCause();
            }
            String first = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            String root = String.valueOf(t.getMessage()).lines().findFirst().orElse("");
            return t == e ? first : first + " (" + root + ")";
        }
    }
}
