package io.ccdstream.models.miniclip;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.TranslateException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ccdstream.data.synth.SynthClass;
import io.ccdstream.method.image.ClipPreprocessor;
import io.ccdstream.method.image.ResizeMode;
import io.ccdstream.method.image.RgbImage;
import io.ccdstream.models.clip.ClipModel;
import io.ccdstream.models.clip.ClipModelDescriptor;
import io.ccdstream.models.clip.ClipModelFormat;
import io.ccdstream.models.clip.ImageTranslator;
import io.ccdstream.models.clip.MiniClipArchitecture;
import io.ccdstream.models.clip.MiniClipBlock;
import io.ccdstream.models.clip.TextTranslator;
import io.ccdstream.models.djl.DjlRuntime;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Trains a mini-CLIP contrastively with DJL (PyTorch engine, CPU) on SynthScenes image-caption
 * pairs and saves it as a {@code djl-mini-clip} model directory that {@link ClipModel#load(Path)}
 * loads.
 *
 * <pre>{@code
 * try (MiniClipTrainer trainer = MiniClipTrainer.create(MiniClipConfig.builder().setSeed(1).build(), dir)) {
 *     TrainingSummary summary = trainer.train(epoch -> System.out.println(epoch));
 *     trainer.save();
 * }
 * }</pre>
 *
 * <p>The model directory holds {@value ClipModelDescriptor#FILE_NAME} (with the learned logit
 * scale and the architecture), the block parameters, the word-level {@value #TOKENIZER_FILE},
 * {@value #TRAINING_LOG} (configuration, losses, timings, machine) and {@value #FILES_LIST}, the
 * list of those files that {@link io.ccdstream.models.BundledModels} extracts.
 *
 * <p>Not thread-safe; one training per instance.
 */
public final class MiniClipTrainer implements AutoCloseable {

    /** The tokenizer file name. */
    public static final String TOKENIZER_FILE = "tokenizer.json";
    /** The training log file name. */
    public static final String TRAINING_LOG = "training.json";
    /** The file listing the model directory's files. */
    public static final String FILES_LIST = "files.txt";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final MiniClipConfig config;
    private final Path outDir;
    private final HuggingFaceTokenizer tokenizer;
    private final TextTranslator textTranslator;
    private final MiniClipArchitecture architecture;
    private final Model model;
    private final MiniClipBlock block;
    private TrainingSummary summary;

    private MiniClipTrainer(MiniClipConfig config, Path outDir, HuggingFaceTokenizer tokenizer, int vocabularySize) {
        this.config = config;
        this.outDir = outDir;
        this.tokenizer = tokenizer;
        this.textTranslator = new TextTranslator(
                tokenizer, config.contextLength(), WordLevelTokenizerFile.PAD_ID, config.embeddingDim());
        MiniClipArchitecture given = config.architecture();
        this.architecture =
                new MiniClipArchitecture(given.imageWidths(), given.convsPerStage(), vocabularySize, given.textWidth());
        DjlRuntime.pytorch().setRandomSeed((int) config.seed());
        this.model = Model.newInstance(config.modelId(), Device.cpu(), DjlRuntime.PYTORCH);
        this.block = new MiniClipBlock(architecture, config.embeddingDim(), WordLevelTokenizerFile.PAD_ID);
        model.setBlock(block);
    }

    /**
     * Writes the tokenizer into {@code outDir} (created if needed) and builds an untrained model.
     *
     * @param config the configuration
     * @param outDir the model directory to write
     * @return the trainer
     * @throws IOException if the directory or the tokenizer cannot be written
     */
    public static MiniClipTrainer create(MiniClipConfig config, Path outDir) throws IOException {
        Objects.requireNonNull(config, "config");
        Files.createDirectories(outDir);
        List<String> texts = new ArrayList<>(Captions.TEMPLATES);
        texts.add(ClipModelDescriptor.DEFAULT_PROMPT_TEMPLATE);
        texts.addAll(SynthClass.names());
        WordLevelTokenizerFile vocabulary = WordLevelTokenizerFile.of(texts);
        Path tokenizerFile = outDir.resolve(TOKENIZER_FILE);
        vocabulary.write(tokenizerFile);
        HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(
                tokenizerFile, TextTranslator.tokenizerOptions(config.contextLength()));
        try {
            return new MiniClipTrainer(config, outDir, tokenizer, vocabulary.vocabularySize());
        } catch (RuntimeException e) {
            tokenizer.close();
            throw e;
        }
    }

    /** @return the configuration */
    public MiniClipConfig config() {
        return config;
    }

    /**
     * Generates the training pairs and trains for the configured epochs.
     *
     * @param onEpoch told after every epoch
     * @return what the run did
     * @throws IllegalStateException if called twice
     */
    public TrainingSummary train(Consumer<TrainingSummary.Epoch> onEpoch) {
        if (summary != null) {
            throw new IllegalStateException("this trainer has already trained");
        }
        long start = System.nanoTime();
        ClipPreprocessor preprocessor =
                descriptor(MiniClipBlock.INITIAL_LOGIT_SCALE).preprocessor();
        TrainingSet data = TrainingSet.generate(config, preprocessor);
        double dataSeconds = seconds(start);
        int batches = data.size() / config.batchSize();
        if (batches < 1) {
            throw new IllegalArgumentException(
                    "trainImages " + config.trainImages() + " is less than one batch of " + config.batchSize());
        }
        List<TrainingSummary.Epoch> epochs = new ArrayList<>();
        long trainStart = System.nanoTime();
        try (Trainer trainer = model.newTrainer(trainingConfig(batches * config.epochs()))) {
            trainer.initialize(
                    new Shape(config.batchSize(), 3, config.imageSize(), config.imageSize()),
                    new Shape(config.batchSize(), config.contextLength()));
            int[] order = new int[data.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            SplittableRandom shuffler = new SplittableRandom(TrainingSet.mix(config.seed(), -2, 0));
            for (int epoch = 0; epoch < config.epochs(); epoch++) {
                long epochStart = System.nanoTime();
                shuffle(order, shuffler);
                double lossSum = 0;
                for (int b = 0; b < batches; b++) {
                    int[] indices = new int[config.batchSize()];
                    System.arraycopy(order, b * config.batchSize(), indices, 0, indices.length);
                    lossSum += step(trainer, data, preprocessor, epoch, indices);
                }
                TrainingSummary.Epoch done = new TrainingSummary.Epoch(
                        epoch + 1, lossSum / batches, seconds(epochStart), block.logitScale());
                epochs.add(done);
                onEpoch.accept(done);
            }
        }
        summary = new TrainingSummary(epochs, dataSeconds, seconds(trainStart), block.logitScale());
        return summary;
    }

    private DefaultTrainingConfig trainingConfig(int steps) {
        int warmUp = Math.max(1, Math.min(200, steps / 10));
        Tracker cosine = Tracker.cosine()
                .setBaseValue(config.learningRate())
                .optFinalValue(config.learningRate() / 100)
                .setMaxUpdates(Math.max(1, steps - warmUp))
                .build();
        Tracker learningRate = Tracker.warmUp()
                .optWarmUpBeginValue(config.learningRate() / 20)
                .optWarmUpSteps(warmUp)
                .setMainTracker(cosine)
                .build();
        Optimizer adam = Optimizer.adam()
                .optLearningRateTracker(learningRate)
                .optWeightDecays(config.weightDecay())
                .build();
        return new DefaultTrainingConfig(new ContrastiveLoss())
                .optOptimizer(adam)
                .optDevices(new Device[] {Device.cpu()});
    }

    /** One optimisation step on one batch; every array of the batch lives in a sub-manager closed here. */
    private float step(Trainer trainer, TrainingSet data, ClipPreprocessor preprocessor, int epoch, int[] indices) {
        int n = indices.length;
        int side = config.imageSize();
        int plane = 3 * side * side;
        float[] pixels = new float[n * plane];
        List<String> captions = new ArrayList<>(n);
        int[] classes = new int[n];
        for (int k = 0; k < n; k++) {
            int i = indices[k];
            float[] chw = preprocessor.normalise(data.images().get(i));
            if (new SplittableRandom(TrainingSet.mix(config.seed(), epoch, ~i)).nextBoolean()) {
                flipHorizontally(chw, side);
            }
            System.arraycopy(chw, 0, pixels, k * plane, plane);
            captions.add(data.caption(epoch, i));
            classes[k] = data.namedClasses()[i];
        }
        long[] tokens = flatten(tokenIds(captions));
        try (NDManager batch = trainer.getManager().newSubManager()) {
            NDArray images = batch.create(pixels, new Shape(n, 3, side, side));
            NDArray tokenArray = batch.create(tokens, new Shape(n, config.contextLength()));
            NDArray targets = batch.create(sameClassTargets(classes), new Shape(n, n));
            float loss;
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDList predictions = trainer.forward(new NDList(images, tokenArray));
                NDArray value = trainer.getLoss().evaluate(new NDList(targets), predictions);
                collector.backward(value);
                loss = value.getFloat();
            }
            trainer.step();
            return loss;
        }
    }

    /** Row i spreads 1 over the pairs whose caption names the same class as pair i's. */
    static float[] sameClassTargets(int[] classes) {
        int n = classes.length;
        float[] targets = new float[n * n];
        for (int i = 0; i < n; i++) {
            int same = 0;
            for (int j = 0; j < n; j++) {
                same += classes[i] == classes[j] ? 1 : 0;
            }
            for (int j = 0; j < n; j++) {
                targets[i * n + j] = classes[i] == classes[j] ? 1f / same : 0f;
            }
        }
        return targets;
    }

    private static void flipHorizontally(float[] chw, int side) {
        for (int row = 0; row < 3 * side; row++) {
            int start = row * side;
            for (int a = start, b = start + side - 1; a < b; a++, b--) {
                float t = chw[a];
                chw[a] = chw[b];
                chw[b] = t;
            }
        }
    }

    private long[][] tokenIds(List<String> texts) {
        try {
            return textTranslator.tokenIds(texts);
        } catch (TranslateException e) {
            throw new IllegalStateException("the mini-CLIP tokenizer failed: " + e.getMessage(), e);
        }
    }

    private static long[] flatten(long[][] rows) {
        int width = rows[0].length;
        long[] flat = new long[rows.length * width];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * width, width);
        }
        return flat;
    }

    private static void shuffle(int[] order, SplittableRandom random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    /**
     * Image embeddings of the model in memory, through the same translator as {@link ClipModel}.
     *
     * @param images any images
     * @return one L2-normalised embedding per image
     */
    public float[][] encodeImages(List<RgbImage> images) {
        ImageTranslator translator = new ImageTranslator(
                descriptor(MiniClipBlock.INITIAL_LOGIT_SCALE).preprocessor(), config.embeddingDim());
        try (Predictor<List<RgbImage>, float[][]> predictor = model.newPredictor(translator)) {
            return predictor.predict(images);
        } catch (TranslateException e) {
            throw new IllegalStateException("mini-CLIP image encoding failed: " + e.getMessage(), e);
        }
    }

    /**
     * Text embeddings of the model in memory, through the same translator as {@link ClipModel}.
     *
     * @param texts any texts
     * @return one L2-normalised embedding per text
     */
    public float[][] encodeTexts(List<String> texts) {
        try (Predictor<List<String>, float[][]> predictor = model.newPredictor(textTranslator)) {
            return predictor.predict(texts);
        } catch (TranslateException e) {
            throw new IllegalStateException("mini-CLIP text encoding failed: " + e.getMessage(), e);
        }
    }

    /**
     * Writes the model directory: parameters, descriptor, training log and file list (the
     * tokenizer is already there).
     *
     * @return the descriptor written
     * @throws IOException if a file cannot be written
     * @throws IllegalStateException before {@link #train(Consumer)}
     */
    public ClipModelDescriptor save() throws IOException {
        if (summary == null) {
            throw new IllegalStateException("train before saving");
        }
        ClipModelDescriptor descriptor = descriptor(block.logitScale());
        Path parameters = outDir.resolve(descriptor.modelFile());
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(parameters)))) {
            block.saveParameters(out);
        }
        Files.writeString(outDir.resolve(ClipModelDescriptor.FILE_NAME), descriptor.toJson());
        Files.writeString(outDir.resolve(TRAINING_LOG), trainingLog());
        Files.write(
                outDir.resolve(FILES_LIST),
                List.of(ClipModelDescriptor.FILE_NAME, descriptor.modelFile(), TOKENIZER_FILE, TRAINING_LOG));
        return descriptor;
    }

    private ClipModelDescriptor descriptor(float logitScale) {
        return new ClipModelDescriptor(
                config.modelId(),
                ClipModelFormat.DJL_MINI_CLIP.defaultModelFile(),
                TOKENIZER_FILE,
                config.imageSize(),
                ResizeMode.SHORTER_SIDE_CENTER_CROP,
                ClipPreprocessor.OPENAI_CLIP_MEAN,
                ClipPreprocessor.OPENAI_CLIP_STD,
                config.embeddingDim(),
                logitScale,
                config.contextLength(),
                WordLevelTokenizerFile.PAD_ID,
                ClipModelDescriptor.DEFAULT_PROMPT_TEMPLATE,
                ClipModelFormat.DJL_MINI_CLIP,
                architecture);
    }

    private String trainingLog() throws IOException {
        ObjectNode log = JSON.createObjectNode();
        log.set("config", JSON.valueToTree(config));
        log.set("classWeights", JSON.valueToTree(TrainingSet.classWeights(config)));
        log.set("summary", JSON.valueToTree(summary));
        ObjectNode machine = log.putObject("machine");
        machine.put("availableProcessors", Runtime.getRuntime().availableProcessors());
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        machine.put("java", System.getProperty("java.version"));
        log.put("finished", Instant.now().toString());
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(log) + "\n";
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Closes the model and the tokenizer. */
    @Override
    public void close() {
        model.close();
        tokenizer.close();
    }
}
