package io.ccdstream.models.classifier;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.EngineException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import io.ccdstream.method.image.RgbImage;
import io.ccdstream.models.djl.DjlRuntime;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * The multi-label classifier with class activation maps (ALGORITHM.md section 3): a CNN backbone,
 * a per-class 1x1 convolution whose output is the CAM, and global average pooling to logits.
 *
 * <pre>{@code
 * ClassifierConfig config = ClassifierConfig.builder().setClassNames(names).build();
 * try (Classifier classifier = Classifier.create(config)) {
 *     try (ClassifierTrainer trainer = classifier.newTrainer(ClassifierTrainerConfig.defaults())) {
 *         trainer.trainEpoch(images, pseudoLabels, 0f);
 *     }
 *     ClassifierOutput out = classifier.forwardWithCam(List.of(image));
 *     String sha256 = classifier.save(Path.of("classifier.ckpt"));
 * }
 * try (Classifier loaded = Classifier.load(Path.of("classifier.ckpt"), sha256)) { ... }
 * }</pre>
 *
 * <p>Thread-safe. Inference calls run concurrently, each with its own DJL predictor whose
 * per-call manager holds every tensor of the call and is closed before the call returns; a
 * training step or {@link #close()} waits for them and excludes them. Runs on DJL's default
 * device (the CPU unless a GPU build of libtorch is present), offline ({@link DjlRuntime}).
 */
public final class Classifier implements AutoCloseable {

    /** The largest number of images per forward pass of {@link #predict} and {@link #forwardWithCam}. */
    public static final int MAX_BATCH_SIZE = 16;

    private static final String MODEL_NAME = "ccd-classifier";

    private final ClassifierConfig config;
    private final Model model;
    private final CamClassifierBlock block;
    private final ScoreTranslator scoreTranslator;
    private final CamTranslator camTranslator;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed;
    private ClassifierTrainer activeTrainer;

    private Classifier(ClassifierConfig config, Model model, CamClassifierBlock block) {
        this.config = config;
        this.model = model;
        this.block = block;
        this.scoreTranslator = new ScoreTranslator(config.preprocessor());
        this.camTranslator = new CamTranslator(config.preprocessor(), config.camScale());
    }

    /**
     * A new classifier with initial weights drawn from the configured seed (He-normal
     * convolutions, zero biases, unit batch-norm scales), or, for a {@link Backbone.TorchScript}
     * backbone, the module's weights and a seeded head, or, for a {@link Backbone.MiniClip}
     * backbone, the mini-CLIP tower's trained weights and a seeded head.
     *
     * @param config what to build
     * @return the classifier
     * @throws ClassifierException if a TorchScript backbone cannot be loaded or does not map
     *     {@code [N, 3, S, S]} to a feature map {@code [N, F, h, w]}
     */
    public static Classifier create(ClassifierConfig config) throws ClassifierException {
        Objects.requireNonNull(config, "config");
        Model model = newModel();
        try {
            Block backbone = Backbones.create(config.backbone(), config.inputSize(), model);
            CamClassifierBlock block = new CamClassifierBlock(backbone, config.numClasses());
            model.setBlock(block);
            block.setInitializer(new SeededInitializer(config.seed()), Parameter.Type.WEIGHT);
            block.initialize(model.getNDManager(), DataType.FLOAT32, inputShape(config));
            Backbones.copyPretrained(config.backbone(), backbone);
            return probed(new Classifier(config, model, block));
        } catch (ClassifierException e) {
            model.close();
            throw e;
        } catch (RuntimeException e) {
            model.close();
            throw new ClassifierException("cannot build the classifier " + config + ": " + e.getMessage(), e);
        }
    }

    /**
     * Loads a checkpoint written by {@link #save(Path)}, after checking its SHA-256.
     *
     * @param checkpoint the checkpoint file
     * @param expectedSha256 the checksum the file must have, 64 hex digits
     * @return the classifier, in the state it was saved in
     * @throws ClassifierException if the checksum differs, the file is not a checkpoint of this
     *     format, or its header does not describe its parameters
     * @throws IllegalArgumentException if {@code expectedSha256} is not 64 hex digits
     */
    public static Classifier load(Path checkpoint, String expectedSha256) throws ClassifierException {
        ClassifierCheckpoint.Contents contents = ClassifierCheckpoint.read(checkpoint, expectedSha256);
        return fromContents(checkpoint, contents);
    }

    /**
     * Loads a checkpoint as {@link #load(Path, String)} and also requires its class names.
     *
     * @param checkpoint the checkpoint file
     * @param expectedSha256 the checksum the file must have, 64 hex digits
     * @param expectedClassNames the class names, in order, the checkpoint must be for
     * @return the classifier
     * @throws ClassifierException as {@link #load(Path, String)}, or if the classes differ
     */
    public static Classifier load(Path checkpoint, String expectedSha256, List<String> expectedClassNames)
            throws ClassifierException {
        ClassifierCheckpoint.Contents contents = ClassifierCheckpoint.read(checkpoint, expectedSha256);
        if (!contents.config().classNames().equals(expectedClassNames)) {
            throw new ClassifierException("classifier checkpoint " + checkpoint + " is for classes "
                    + contents.config().classNames() + ", expected " + expectedClassNames);
        }
        return fromContents(checkpoint, contents);
    }

    /** @return the configuration (the checkpoint header's, for a loaded classifier) */
    public ClassifierConfig config() {
        return config;
    }

    /**
     * Sigmoid scores, in batches of at most {@value #MAX_BATCH_SIZE}.
     *
     * @param images images of any size; each is squash-resized to the input size and normalised
     * @return {@code [N][C]} probabilities in class order
     */
    public float[][] predict(List<RgbImage> images) {
        float[][] scores = new float[images.size()][];
        int at = 0;
        for (List<RgbImage> batch : batches(images)) {
            float[][] part = run(scoreTranslator, batch);
            System.arraycopy(part, 0, scores, at, part.length);
            at += part.length;
        }
        return scores;
    }

    /**
     * Logits, sigmoid scores and class activation maps, in batches of at most {@value
     * #MAX_BATCH_SIZE}. The CAM side is the backbone's output side (e.g. {@code S / 16} for the
     * small CNN, {@code S / 32} for ResNet).
     *
     * @param images images of any size; each is squash-resized to the input size and normalised
     * @return the output, with {@code cams[i][c]} of size {@code [h][w]}
     */
    public ClassifierOutput forwardWithCam(List<RgbImage> images) {
        List<ClassifierOutput> parts = new ArrayList<>();
        for (List<RgbImage> batch : batches(images)) {
            parts.add(run(camTranslator, batch));
        }
        return parts.isEmpty()
                ? new ClassifierOutput(new float[0][], new float[0][], new float[0][][][])
                : ClassifierOutput.concat(parts);
    }

    /**
     * Writes a checkpoint (format in {@link ClassifierCheckpoint}: a zip with a JSON header and
     * the DJL parameters) to a temporary file beside {@code file} and moves it into place.
     *
     * @param file where to write; replaced if it exists
     * @return the lower-case hex SHA-256 of the written file, for {@link #load(Path, String)}
     * @throws IOException if the file cannot be written
     */
    public String save(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        Lock read = lock.readLock();
        read.lock();
        try {
            ensureOpen();
            return ClassifierCheckpoint.write(file, config, out -> {
                DataOutputStream data = new DataOutputStream(out);
                block.saveParameters(data);
                data.flush();
            });
        } finally {
            read.unlock();
        }
    }

    /**
     * Starts training this classifier in place. One trainer at a time; while a step runs,
     * inference calls wait.
     *
     * @param trainerConfig optimiser and augmentation settings
     * @return the trainer; close it to release the optimiser state
     * @throws IllegalStateException if another trainer is open or the classifier is closed
     */
    public ClassifierTrainer newTrainer(ClassifierTrainerConfig trainerConfig) {
        Objects.requireNonNull(trainerConfig, "trainerConfig");
        Lock write = lock.writeLock();
        write.lock();
        try {
            ensureOpen();
            if (activeTrainer != null) {
                throw new IllegalStateException("the classifier already has an open trainer; close it first");
            }
            activeTrainer = new ClassifierTrainer(this, model, block, trainerConfig);
            return activeTrainer;
        } finally {
            write.unlock();
        }
    }

    /** Closes an open trainer and the model; waits for calls in flight. */
    @Override
    public void close() {
        Lock write = lock.writeLock();
        write.lock();
        try {
            if (closed) {
                return;
            }
            if (activeTrainer != null) {
                activeTrainer.closeFromClassifier();
                activeTrainer = null;
            }
            closed = true;
            model.close();
        } finally {
            write.unlock();
        }
    }

    /** Native arrays held by the model's manager and its sub-managers (leak checks). */
    int liveNativeArrays() {
        return model.getNDManager().getManagedArrays().size();
    }

    /** A copy of every parameter's values by name, for tests. */
    Map<String, float[]> parameterValues() {
        return underReadLock(() -> {
            Map<String, float[]> values = new LinkedHashMap<>();
            block.getParameters()
                    .forEach(p -> values.put(p.getKey(), p.getValue().getArray().toFloatArray()));
            return values;
        });
    }

    /** Names (as in {@link #parameterValues()}) of the head's parameters. */
    List<String> headParameterNames() {
        List<String> names = new ArrayList<>();
        List<Parameter> head = block.headParameters();
        block.getParameters().forEach(p -> {
            if (head.contains(p.getValue())) {
                names.add(p.getKey());
            }
        });
        return names;
    }

    ReentrantReadWriteLock lock() {
        return lock;
    }

    /** Called with the write lock held. */
    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the classifier is closed");
        }
    }

    /** Called by the trainer when it closes. */
    void trainerClosed(ClassifierTrainer trainer) {
        if (activeTrainer == trainer) {
            activeTrainer = null;
        }
    }

    private <T> T run(Translator<List<RgbImage>, T> translator, List<RgbImage> batch) {
        return underReadLock(() -> {
            ensureOpen();
            InferenceMode inference = InferenceMode.enter();
            try (Predictor<List<RgbImage>, T> predictor = model.newPredictor(translator)) {
                return predictor.predict(batch);
            } catch (TranslateException e) {
                throw new IllegalStateException("classifier inference failed: " + e.getMessage(), e);
            } finally {
                inference.close();
            }
        });
    }

    private <T> T underReadLock(Supplier<T> body) {
        Lock read = lock.readLock();
        read.lock();
        try {
            return body.get();
        } finally {
            read.unlock();
        }
    }

    private static List<List<RgbImage>> batches(List<RgbImage> images) {
        Objects.requireNonNull(images, "images");
        List<List<RgbImage>> batches = new ArrayList<>();
        for (int start = 0; start < images.size(); start += MAX_BATCH_SIZE) {
            batches.add(images.subList(start, Math.min(images.size(), start + MAX_BATCH_SIZE)));
        }
        return batches;
    }

    private static Model newModel() throws ClassifierException {
        try {
            DjlRuntime.pytorch();
            return Model.newInstance(MODEL_NAME, DjlRuntime.PYTORCH);
        } catch (EngineException e) {
            throw new ClassifierException("the PyTorch engine could not start offline: " + e.getMessage(), e);
        }
    }

    private static Shape inputShape(ClassifierConfig config) {
        return new Shape(1, 3, config.inputSize(), config.inputSize());
    }

    private static Classifier fromContents(Path checkpoint, ClassifierCheckpoint.Contents contents)
            throws ClassifierException {
        ClassifierConfig config = contents.config();
        Model model = newModel();
        try {
            Block backbone = Backbones.forCheckpoint(config.backbone(), config.inputSize(), model);
            CamClassifierBlock block = new CamClassifierBlock(backbone, config.numClasses());
            model.setBlock(block);
            Map<String, Shape> expectedShapes =
                    config.backbone() instanceof Backbone.TorchScript ? Map.of() : emptyShapes(model, block, config);
            block.loadParameters(
                    model.getNDManager(), new DataInputStream(new ByteArrayInputStream(contents.parameters())));
            checkShapes(block, expectedShapes);
            block.freezeParameters(false, Classifier::isTrainable);
            return probed(new Classifier(config, model, block));
        } catch (IOException | MalformedModelException | ClassifierException | RuntimeException e) {
            model.close();
            throw new ClassifierException(
                    "classifier checkpoint " + checkpoint + ": the parameters do not match the header " + config + ": "
                            + e.getMessage(),
                    e);
        }
    }

    /** Initialises with zeros to learn every parameter's shape, then frees the arrays. */
    private static Map<String, Shape> emptyShapes(Model model, CamClassifierBlock block, ClassifierConfig config) {
        block.setInitializer(Initializer.ZEROS, p -> true);
        block.initialize(model.getNDManager(), DataType.FLOAT32, inputShape(config));
        Map<String, Shape> shapes = new LinkedHashMap<>();
        block.getParameters().forEach(p -> {
            shapes.put(p.getKey(), p.getValue().getArray().getShape());
            p.getValue().close();
        });
        return shapes;
    }

    private static void checkShapes(CamClassifierBlock block, Map<String, Shape> expected) throws ClassifierException {
        for (var p : block.getParameters()) {
            Shape want = expected.get(p.getKey());
            Shape got = p.getValue().getArray().getShape();
            if (want != null && !want.equals(got)) {
                throw new ClassifierException(
                        "parameter " + p.getKey() + " has shape " + got + ", the header implies " + want);
            }
        }
    }

    private static boolean isTrainable(Parameter parameter) {
        return parameter.getType() != Parameter.Type.RUNNING_MEAN && parameter.getType() != Parameter.Type.RUNNING_VAR;
    }

    /** One inference pass on a blank image: the output must be [1, C] logits and a [1, C, h, w] CAM. */
    private static Classifier probed(Classifier classifier) throws ClassifierException {
        ClassifierConfig config = classifier.config;
        InferenceMode inference = InferenceMode.enter();
        try (NDManager scratch = classifier.model.getNDManager().newSubManager()) {
            NDList out = classifier.block.forward(
                    new ParameterStore(scratch, false), new NDList(scratch.zeros(inputShape(config))), false);
            Shape logits = out.get(0).getShape();
            Shape cam = out.get(1).getShape();
            if (!logits.equals(new Shape(1, config.numClasses()))
                    || cam.dimension() != 4
                    || cam.get(1) != config.numClasses()) {
                throw new ClassifierException("the classifier returns logits " + logits + " and CAM " + cam
                        + " for one image, expected (1, " + config.numClasses() + ") and (1, " + config.numClasses()
                        + ", h, w)");
            }
        } catch (RuntimeException e) {
            throw new ClassifierException(
                    "the backbone " + config.backbone() + " does not map float32[N, 3, "
                            + config.inputSize() + ", " + config.inputSize() + "] to a feature map [N, F, h, w]: "
                            + e.getMessage(),
                    e);
        } finally {
            inference.close();
        }
        return classifier;
    }
}
