package io.ccdstream.models.clip;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * How the weights of a CLIP model directory are stored, named by the descriptor's {@code format}
 * field. Whatever the format, the model is used through the same {@link ClipModel} methods.
 */
public enum ClipModelFormat {

    /**
     * A TorchScript module with exported {@code encode_image} and {@code encode_text} methods
     * (the export script's output, e.g. OpenAI CLIP re-exported on CPU in fp32).
     */
    TORCHSCRIPT("torchscript-clip", "model.pt"),

    /**
     * DJL block parameters of the small dual encoder {@link MiniClipBlock}, which is rebuilt in
     * Java from the descriptor's {@code architecture} before the parameters are loaded.
     */
    DJL_MINI_CLIP("djl-mini-clip", "mini-clip.params");

    private final String id;
    private final String defaultModelFile;

    ClipModelFormat(String id, String defaultModelFile) {
        this.id = id;
        this.defaultModelFile = defaultModelFile;
    }

    /** @return the value of the descriptor's {@code format} field */
    public String id() {
        return id;
    }

    /** @return the {@code modelFile} used when the descriptor names none */
    public String defaultModelFile() {
        return defaultModelFile;
    }

    /**
     * @param id a descriptor's {@code format} value
     * @return the format of that id, if any
     */
    public static Optional<ClipModelFormat> byId(String id) {
        return Arrays.stream(values()).filter(f -> f.id.equals(id)).findFirst();
    }

    /** @return every format id, for error messages */
    public static List<String> ids() {
        return Arrays.stream(values()).map(ClipModelFormat::id).toList();
    }
}
