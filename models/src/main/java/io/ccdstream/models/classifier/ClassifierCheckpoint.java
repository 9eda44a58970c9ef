package io.ccdstream.models.classifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The checkpoint file: one zip archive with two entries,
 *
 * <ul>
 *   <li>{@value #HEADER_ENTRY}: a JSON header, {@code {"format": "ccd-stream-classifier",
 *       "formatVersion": 1, "classNames": [...], "numClasses": C, "backbone": {"type":
 *       "small-cnn", "widths": [...]} | {"type": "resnet", "layers": 50} | {"type": "torchscript",
 *       "source": "file.pt"} | {"type": "mini-clip", "widths": [...], "convsPerStage": 2, "source":
 *       "bundled"}, "inputSize": S, "mean": [r, g, b], "std": [r, g, b], "camScale": f,
 *       "seed": n}};
 *   <li>{@value #PARAMETERS_ENTRY}: DJL's {@code Block.saveParameters} stream of the whole
 *       classifier block (for a TorchScript backbone it embeds the serialised module).
 * </ul>
 *
 * A checkpoint is identified by the lower-case hex SHA-256 of the whole file; reading checks it
 * before anything else. Entry times are fixed so that equal weights give equal bytes.
 */
final class ClassifierCheckpoint {

    static final String FORMAT = "ccd-stream-classifier";
    static final int FORMAT_VERSION = 1;
    static final String HEADER_ENTRY = "classifier.json";
    static final String PARAMETERS_ENTRY = "parameters.djl";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    /** The parameter bytes are written by the caller. */
    @FunctionalInterface
    interface ParameterWriter {
        void write(OutputStream out) throws IOException;
    }

    /** What a verified checkpoint holds. */
    record Contents(ClassifierConfig config, byte[] parameters) {}

    private ClassifierCheckpoint() {}

    /**
     * Writes the checkpoint next to {@code file} and moves it into place, so that a reader never
     * sees a half-written file.
     *
     * @return the SHA-256 of the written file, lower-case hex
     */
    static String write(Path file, ClassifierConfig config, ParameterWriter parameters) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            putEntry(zip, HEADER_ENTRY);
            zip.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(header(config)));
            zip.closeEntry();
            putEntry(zip, PARAMETERS_ENTRY);
            parameters.write(new NonClosing(zip));
            zip.closeEntry();
        }
        byte[] content = bytes.toByteArray();
        Path absolute = file.toAbsolutePath();
        Path dir = absolute.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, absolute.getFileName() + ".", ".tmp");
        try {
            Files.write(tmp, content);
            try {
                Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return sha256(content);
    }

    /**
     * Reads a checkpoint whose SHA-256 must equal {@code expectedSha256}.
     *
     * @throws ClassifierException if the file cannot be read, its checksum differs, or it is not a
     *     checkpoint of this format
     */
    static Contents read(Path file, String expectedSha256) throws ClassifierException {
        if (expectedSha256 == null || !SHA256.matcher(expectedSha256).matches()) {
            throw new IllegalArgumentException("expected SHA-256 must be 64 hex digits, got " + expectedSha256);
        }
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ClassifierException("cannot read classifier checkpoint " + file + ": " + e.getMessage(), e);
        }
        String actual = sha256(content);
        if (!actual.equalsIgnoreCase(expectedSha256)) {
            throw new ClassifierException("classifier checkpoint " + file + " has SHA-256 " + actual + " but "
                    + expectedSha256.toLowerCase() + " was expected: refusing a modified or corrupted file");
        }
        Map<String, byte[]> entries = unzip(file, content);
        byte[] header = entries.get(HEADER_ENTRY);
        byte[] parameters = entries.get(PARAMETERS_ENTRY);
        if (header == null || parameters == null) {
            throw new ClassifierException("classifier checkpoint " + file + " lacks " + HEADER_ENTRY + " or "
                    + PARAMETERS_ENTRY + " (entries: " + entries.keySet() + ")");
        }
        return new Contents(parseHeader(file, header), parameters);
    }

    /** @return the lower-case hex SHA-256 of the bytes */
    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    static ObjectNode header(ClassifierConfig config) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("formatVersion", FORMAT_VERSION);
        ArrayNode names = root.putArray("classNames");
        config.classNames().forEach(names::add);
        root.put("numClasses", config.numClasses());
        ObjectNode backbone = root.putObject("backbone");
        if (config.backbone() instanceof Backbone.SmallCnn cnn) {
            backbone.put("type", "small-cnn");
            ArrayNode widths = backbone.putArray("widths");
            cnn.widths().forEach(widths::add);
        } else if (config.backbone() instanceof Backbone.ResNet resNet) {
            backbone.put("type", "resnet");
            backbone.put("layers", resNet.layers());
        } else if (config.backbone() instanceof Backbone.MiniClip miniClip) {
            backbone.put("type", "mini-clip");
            ArrayNode widths = backbone.putArray("widths");
            miniClip.widths().forEach(widths::add);
            backbone.put("convsPerStage", miniClip.convsPerStage());
            backbone.put("source", miniClip.source());
        } else {
            backbone.put("type", "torchscript");
            backbone.put(
                    "source",
                    String.valueOf(
                            ((Backbone.TorchScript) config.backbone()).file().getFileName()));
        }
        root.put("inputSize", config.inputSize());
        putFloats(root.putArray("mean"), config.mean());
        putFloats(root.putArray("std"), config.std());
        root.put("camScale", config.camScale());
        root.put("seed", config.seed());
        return root;
    }

    private static void putFloats(ArrayNode array, float[] values) {
        for (float v : values) {
            array.add(v);
        }
    }

    static ClassifierConfig parseHeader(Path file, byte[] header) throws ClassifierException {
        String where = "classifier checkpoint " + file + ": " + HEADER_ENTRY;
        JsonNode root;
        try {
            root = JSON.readTree(header);
        } catch (IOException e) {
            throw new ClassifierException(where + " is not JSON: " + e.getMessage(), e);
        }
        if (root == null || !FORMAT.equals(root.path("format").asText())) {
            throw new ClassifierException(where + " does not declare \"format\": \"" + FORMAT + "\"");
        }
        int version = root.path("formatVersion").asInt(-1);
        if (version != FORMAT_VERSION) {
            throw new ClassifierException(where + " has formatVersion " + root.path("formatVersion")
                    + ", this build reads version " + FORMAT_VERSION);
        }
        try {
            List<String> classNames = new ArrayList<>();
            required(root, "classNames").forEach(n -> classNames.add(n.asText()));
            int numClasses = required(root, "numClasses").asInt();
            if (numClasses != classNames.size()) {
                throw new IllegalArgumentException(
                        "numClasses " + numClasses + " but " + classNames.size() + " class names");
            }
            return ClassifierConfig.builder()
                    .setClassNames(classNames)
                    .optBackbone(backbone(required(root, "backbone")))
                    .optInputSize(required(root, "inputSize").asInt())
                    .optMean(floats(required(root, "mean")))
                    .optStd(floats(required(root, "std")))
                    .optCamScale((float) required(root, "camScale").asDouble())
                    .optSeed(required(root, "seed").asLong())
                    .build();
        } catch (IllegalArgumentException e) {
            throw new ClassifierException(where + " is invalid: " + e.getMessage(), e);
        }
    }

    private static Backbone backbone(JsonNode node) {
        String type = required(node, "type").asText();
        return switch (type) {
            case "small-cnn" -> {
                List<Integer> widths = new ArrayList<>();
                required(node, "widths").forEach(w -> widths.add(w.asInt()));
                yield new Backbone.SmallCnn(widths);
            }
            case "resnet" -> new Backbone.ResNet(required(node, "layers").asInt());
            case "mini-clip" -> {
                List<Integer> widths = new ArrayList<>();
                required(node, "widths").forEach(w -> widths.add(w.asInt()));
                yield new Backbone.MiniClip(
                        widths,
                        required(node, "convsPerStage").asInt(),
                        required(node, "source").asText());
            }
            case "torchscript" ->
                new Backbone.TorchScript(Path.of(required(node, "source").asText()));
            default -> throw new IllegalArgumentException("unknown backbone type '" + type + "'");
        };
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("missing \"" + field + "\"");
        }
        return value;
    }

    private static float[] floats(JsonNode array) {
        float[] values = new float[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) array.get(i).asDouble();
        }
        return values;
    }

    private static Map<String, byte[]> unzip(Path file, byte[] content) throws ClassifierException {
        Map<String, byte[]> entries = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(content))) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                if (entries.put(entry.getName(), zip.readAllBytes()) != null) {
                    throw new ClassifierException(
                            "classifier checkpoint " + file + " has entry " + entry.getName() + " twice");
                }
            }
        } catch (IOException e) {
            throw new ClassifierException(
                    "classifier checkpoint " + file + " is not a readable zip archive: " + e.getMessage(), e);
        }
        if (entries.isEmpty()) {
            throw new ClassifierException("classifier checkpoint " + file + " is not a zip archive with entries");
        }
        return entries;
    }

    private static void putEntry(ZipOutputStream zip, String name) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setTimeLocal(ENTRY_TIME);
        zip.putNextEntry(entry);
    }

    /** Lets DJL close its stream without closing the zip. */
    private static final class NonClosing extends FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
