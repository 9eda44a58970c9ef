package io.ccdstream.models.clip;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ccdstream.method.image.ClipPreprocessor;
import io.ccdstream.method.image.ResizeMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The descriptor of a CLIP model directory, read from its {@value #FILE_NAME}.
 *
 * <p>A CLIP model directory holds the descriptor, the weights ({@link #modelFile()}) and a
 * HuggingFace {@code tokenizer.json} ({@link #tokenizerFile()}). The {@code format} field says how
 * the weights are stored ({@link ClipModelFormat}):
 *
 * <ul>
 *   <li>{@code torchscript-clip}: a TorchScript module with the exported methods {@code
 *       encode_image(float32[N,3,S,S]) -> [N,D]} and {@code encode_text(int64[N,L]) -> [N,D]};
 *   <li>{@code djl-mini-clip}: the DJL parameters of a {@link MiniClipBlock}, which is rebuilt
 *       from the {@code architecture} object ({@link MiniClipArchitecture}), required for this
 *       format and refused for the other.
 * </ul>
 *
 * Example:
 *
 * <pre>{@code
 * {
 *   "format": "torchscript-clip", "formatVersion": 1,
 *   "modelId": "openai-clip-vit-b-32",
 *   "modelFile": "model.pt", "tokenizerFile": "tokenizer.json",
 *   "imageSize": 224, "resizeMode": "SHORTER_SIDE_CENTER_CROP",
 *   "mean": [0.48145466, 0.4578275, 0.40821073], "std": [0.26862954, 0.26130258, 0.27577711],
 *   "embeddingDim": 512, "logitScale": 100.0,
 *   "contextLength": 77, "padTokenId": 0,
 *   "promptTemplate": "a photo of the {class}"
 * }
 * }</pre>
 *
 * Required: {@code format}, {@code modelId}, {@code imageSize}, {@code embeddingDim}, {@code
 * contextLength}, and {@code architecture} for {@code djl-mini-clip}. Defaults: {@code
 * formatVersion} 1, {@code modelFile} {@code model.pt} ({@code mini-clip.params} for {@code
 * djl-mini-clip}), {@code
 * tokenizerFile} {@code tokenizer.json}, {@code resizeMode} {@code SHORTER_SIDE_CENTER_CROP},
 * {@code mean}/{@code std} OpenAI CLIP's, {@code logitScale} 100, {@code padTokenId} 0, {@code
 * promptTemplate} {@value #DEFAULT_PROMPT_TEMPLATE}. Unknown fields are rejected so that a typo is
 * not silently ignored.
 *
 * @param modelId stable name of the weights; part of every class-set id
 * @param modelFile the TorchScript file name, relative to the directory
 * @param tokenizerFile the tokenizer file name, relative to the directory
 * @param imageSize side of the square image input
 * @param resizeMode how images are brought to the input size
 * @param mean per-channel mean (R, G, B)
 * @param std per-channel standard deviation (R, G, B)
 * @param embeddingDim dimension of both encoders' outputs
 * @param logitScale multiplier of cosine similarities before the softmax (1 / tau)
 * @param contextLength token sequence length
 * @param padTokenId token id used for padding
 * @param promptTemplate the default prompt, containing {@value #CLASS_PLACEHOLDER}
 * @param format how the weights are stored
 * @param architecture the block's shape for {@link ClipModelFormat#DJL_MINI_CLIP}, else null
 */
public record ClipModelDescriptor(
        String modelId,
        String modelFile,
        String tokenizerFile,
        int imageSize,
        ResizeMode resizeMode,
        float[] mean,
        float[] std,
        int embeddingDim,
        float logitScale,
        int contextLength,
        long padTokenId,
        String promptTemplate,
        ClipModelFormat format,
        MiniClipArchitecture architecture) {

    /** The descriptor's file name inside a model directory. */
    public static final String FILE_NAME = "clip.json";
    /** The {@code format} value of TorchScript model directories ({@link ClipModelFormat#TORCHSCRIPT}). */
    public static final String FORMAT = "torchscript-clip";
    /** The placeholder a prompt template must contain. */
    public static final String CLASS_PLACEHOLDER = "{class}";
    /** The default prompt (ALGORITHM.md section 1). */
    public static final String DEFAULT_PROMPT_TEMPLATE = "a photo of the {class}";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    /** Copies the arrays; validation happens in {@link #parse(String, String)}. */
    public ClipModelDescriptor {
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(format, "format");
        if ((format == ClipModelFormat.DJL_MINI_CLIP) != (architecture != null)) {
            throw new IllegalArgumentException(
                    "an architecture goes with format " + ClipModelFormat.DJL_MINI_CLIP.id() + " and only with it");
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** A TorchScript descriptor ({@link ClipModelFormat#TORCHSCRIPT}, no architecture). */
    public ClipModelDescriptor(
            String modelId,
            String modelFile,
            String tokenizerFile,
            int imageSize,
            ResizeMode resizeMode,
            float[] mean,
            float[] std,
            int embeddingDim,
            float logitScale,
            int contextLength,
            long padTokenId,
            String promptTemplate) {
        this(
                modelId,
                modelFile,
                tokenizerFile,
                imageSize,
                resizeMode,
                mean,
                std,
                embeddingDim,
                logitScale,
                contextLength,
                padTokenId,
                promptTemplate,
                ClipModelFormat.TORCHSCRIPT,
                null);
    }

    /** @return a copy of the per-channel mean */
    @Override
    public float[] mean() {
        return mean.clone();
    }

    /** @return a copy of the per-channel standard deviation */
    @Override
    public float[] std() {
        return std.clone();
    }

    /** @return the image preprocessing this model expects */
    public ClipPreprocessor preprocessor() {
        return ClipPreprocessor.builder()
                .setImageSize(imageSize)
                .optMean(mean)
                .optStd(std)
                .optResizeMode(resizeMode)
                .build();
    }

    /**
     * The descriptor as {@value #FILE_NAME} content, every field written out; {@link #parse(String,
     * String)} reads it back to a descriptor with the same values.
     *
     * @return pretty-printed JSON
     */
    public String toJson() {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("format", format.id());
        node.put("formatVersion", 1);
        node.put("modelId", modelId);
        node.put("modelFile", modelFile);
        node.put("tokenizerFile", tokenizerFile);
        node.put("imageSize", imageSize);
        node.put("resizeMode", resizeMode.name());
        ArrayNode meanNode = node.putArray("mean");
        ArrayNode stdNode = node.putArray("std");
        for (int c = 0; c < 3; c++) {
            meanNode.add(mean[c]);
            stdNode.add(std[c]);
        }
        node.put("embeddingDim", embeddingDim);
        node.put("logitScale", logitScale);
        node.put("contextLength", contextLength);
        node.put("padTokenId", padTokenId);
        node.put("promptTemplate", promptTemplate);
        if (architecture != null) {
            node.set("architecture", MAPPER.valueToTree(architecture));
        }
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    /**
     * Reads and validates {@value #FILE_NAME} of a model directory.
     *
     * @param modelDir the model directory
     * @return the descriptor
     * @throws ClipModelException if the directory or file is missing or the content is invalid
     */
    public static ClipModelDescriptor read(Path modelDir) throws ClipModelException {
        if (!Files.isDirectory(modelDir)) {
            throw new ClipModelException("CLIP model directory " + modelDir + " does not exist or is not a directory");
        }
        Path file = modelDir.resolve(FILE_NAME);
        String json;
        try {
            json = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ClipModelException(
                    "CLIP model directory " + modelDir + " has no " + FILE_NAME
                            + " descriptor; see ClipModelDescriptor for its format",
                    e);
        } catch (IOException e) {
            throw new ClipModelException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return parse(json, file.toString());
    }

    /**
     * Parses and validates descriptor JSON.
     *
     * @param json the content of a {@value #FILE_NAME}
     * @param source where the JSON came from, for error messages
     * @return the descriptor
     * @throws ClipModelException listing every invalid field
     */
    public static ClipModelDescriptor parse(String json, String source) throws ClipModelException {
        Raw raw;
        try {
            raw = MAPPER.readValue(json, Raw.class);
        } catch (UnrecognizedPropertyException e) {
            throw new ClipModelException(
                    source + ": unknown field '" + e.getPropertyName() + "' (known fields: " + e.getKnownPropertyIds()
                            + ")",
                    e);
        } catch (JsonProcessingException e) {
            throw new ClipModelException(source + " is not a valid CLIP descriptor: " + e.getOriginalMessage(), e);
        }
        if (raw == null) {
            throw new ClipModelException(source + " is empty");
        }
        List<String> problems = raw.problems();
        if (!problems.isEmpty()) {
            throw new ClipModelException("invalid CLIP descriptor " + source + ": " + String.join("; ", problems));
        }
        return raw.toDescriptor();
    }

    /** The JSON shape, with nullable fields so that missing values can be reported by name. */
    private record Raw(
            String format,
            Integer formatVersion,
            String modelId,
            String modelFile,
            String tokenizerFile,
            Integer imageSize,
            ResizeMode resizeMode,
            float[] mean,
            float[] std,
            Integer embeddingDim,
            Float logitScale,
            Integer contextLength,
            Long padTokenId,
            String promptTemplate,
            MiniClipArchitecture architecture) {

        List<String> problems() {
            List<String> problems = new ArrayList<>();
            ClipModelFormat known = ClipModelFormat.byId(format).orElse(null);
            if (known == null) {
                problems.add("format must be "
                        + String.join(
                                " or ",
                                ClipModelFormat.ids().stream()
                                        .map(id -> "\"" + id + "\"")
                                        .toList()) + ", got " + quoted(format));
            } else if (known == ClipModelFormat.DJL_MINI_CLIP && architecture == null) {
                problems.add("architecture is required for format " + quoted(format));
            } else if (known == ClipModelFormat.DJL_MINI_CLIP && imageSize != null) {
                problems.addAll(architecture.problems(imageSize));
            } else if (known != ClipModelFormat.DJL_MINI_CLIP && architecture != null) {
                problems.add("architecture is only allowed for format \"" + ClipModelFormat.DJL_MINI_CLIP.id() + "\"");
            }
            if (formatVersion != null && formatVersion != 1) {
                problems.add("formatVersion " + formatVersion + " is not supported (only 1)");
            }
            if (modelId == null || modelId.isBlank()) {
                problems.add("modelId is required");
            }
            checkFileName("modelFile", modelFile, problems);
            checkFileName("tokenizerFile", tokenizerFile, problems);
            positive("imageSize", imageSize, problems);
            positive("embeddingDim", embeddingDim, problems);
            if (contextLength == null || contextLength < 3) {
                problems.add("contextLength is required and must be at least 3 (start, end and one token), got "
                        + contextLength);
            }
            if (mean != null && mean.length != 3) {
                problems.add("mean needs 3 values (R, G, B), got " + mean.length);
            }
            if (std != null && (std.length != 3 || !allPositive(std))) {
                problems.add("std needs 3 positive values (R, G, B)");
            }
            if (logitScale != null && !(logitScale > 0 && Float.isFinite(logitScale))) {
                problems.add("logitScale must be a positive number, got " + logitScale);
            }
            if (padTokenId != null && padTokenId < 0) {
                problems.add("padTokenId must not be negative, got " + padTokenId);
            }
            if (promptTemplate != null && !promptTemplate.contains(CLASS_PLACEHOLDER)) {
                problems.add("promptTemplate must contain " + CLASS_PLACEHOLDER + ", got " + quoted(promptTemplate));
            }
            return problems;
        }

        ClipModelDescriptor toDescriptor() {
            ClipModelFormat known = ClipModelFormat.byId(format).orElseThrow();
            return new ClipModelDescriptor(
                    modelId,
                    modelFile == null ? known.defaultModelFile() : modelFile,
                    tokenizerFile == null ? "tokenizer.json" : tokenizerFile,
                    imageSize,
                    resizeMode == null ? ResizeMode.SHORTER_SIDE_CENTER_CROP : resizeMode,
                    mean == null ? ClipPreprocessor.OPENAI_CLIP_MEAN : mean,
                    std == null ? ClipPreprocessor.OPENAI_CLIP_STD : std,
                    embeddingDim,
                    logitScale == null ? 100f : logitScale,
                    contextLength,
                    padTokenId == null ? 0L : padTokenId,
                    promptTemplate == null ? DEFAULT_PROMPT_TEMPLATE : promptTemplate,
                    known,
                    architecture);
        }

        private static void positive(String name, Integer value, List<String> problems) {
            if (value == null || value < 1) {
                problems.add(name + " is required and must be positive, got " + value);
            }
        }

        private static void checkFileName(String name, String value, List<String> problems) {
            if (value != null
                    && (value.isBlank() || value.contains("/") || value.contains("\\") || value.startsWith("."))) {
                problems.add(name + " must be a plain file name inside the model directory, got " + quoted(value));
            }
        }

        private static boolean allPositive(float[] values) {
            for (float v : values) {
                if (!(v > 0)) {
                    return false;
                }
            }
            return true;
        }

        private static String quoted(String s) {
            return s == null ? "nothing" : "\"" + s + "\"";
        }
    }
}
