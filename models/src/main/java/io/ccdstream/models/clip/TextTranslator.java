package io.ccdstream.models.clip;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.translate.TranslatorContext;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Translates a batch of texts to L2-normalised CLIP text embeddings through the model's {@value
 * #METHOD} (a TorchScript method, or the text encoder of a {@link MiniClipBlock}): texts are tokenised into one {@code int64[N, L]} tensor (special tokens added,
 * truncated and right-padded to the context length L, padding set to the descriptor's pad id), the
 * output {@code [N, D]} is normalised per row and copied to {@code float[N][D]}.
 *
 * <p>The tokenizer is borrowed, not owned: whoever created it closes it.
 */
public final class TextTranslator implements NoBatchifyTranslator<List<String>, float[][]> {

    /** The method the selector input names (a TorchScript method name). */
    public static final String METHOD = "encode_text";

    private final HuggingFaceTokenizer tokenizer;
    private final int contextLength;
    private final long padTokenId;
    private final int embeddingDim;

    /**
     * @param tokenizer a tokenizer created with {@link #tokenizerOptions(int)}
     * @param contextLength L
     * @param padTokenId the id written into padding positions
     * @param embeddingDim D, checked against the model output
     */
    public TextTranslator(HuggingFaceTokenizer tokenizer, int contextLength, long padTokenId, int embeddingDim) {
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        this.contextLength = contextLength;
        this.padTokenId = padTokenId;
        this.embeddingDim = embeddingDim;
    }

    /**
     * The options for {@link HuggingFaceTokenizer#newInstance(java.nio.file.Path, Map)} that make
     * it add special tokens, truncate and pad to exactly {@code contextLength}; they override
     * whatever the {@code tokenizer.json} says about padding and truncation.
     *
     * @param contextLength L
     * @return the options
     */
    public static Map<String, String> tokenizerOptions(int contextLength) {
        String length = Integer.toString(contextLength);
        return Map.of(
                "addSpecialTokens", "true",
                "truncation", "true",
                "padding", "MAX_LENGTH",
                "maxLength", length,
                "modelMaxLength", length);
    }

    /**
     * Tokenises texts exactly as {@link #processInput} does.
     *
     * @param texts the texts
     * @return one row of L token ids per text
     * @throws TranslateException if the tokenizer does not produce L ids
     */
    public long[][] tokenIds(List<String> texts) throws TranslateException {
        Encoding[] encodings = tokenizer.batchEncode(texts);
        long[][] ids = new long[encodings.length][];
        for (int i = 0; i < encodings.length; i++) {
            long[] row = encodings[i].getIds();
            long[] mask = encodings[i].getAttentionMask();
            if (row.length != contextLength) {
                throw new TranslateException("tokenizer produced " + row.length + " ids for \"" + texts.get(i)
                        + "\", expected the context length " + contextLength
                        + "; create it with TextTranslator.tokenizerOptions");
            }
            for (int j = 0; j < row.length; j++) {
                if (mask[j] == 0) {
                    row[j] = padTokenId;
                }
            }
            ids[i] = row;
        }
        return ids;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, List<String> texts) throws TranslateException {
        if (texts.isEmpty()) {
            throw new TranslateException("Missing texts: the batch is empty");
        }
        long[][] ids = tokenIds(texts);
        long[] flat = new long[ids.length * contextLength];
        for (int i = 0; i < ids.length; i++) {
            System.arraycopy(ids[i], 0, flat, i * contextLength, contextLength);
        }
        NDManager manager = ctx.getNDManager();
        return new NDList(
                manager.create(flat, new Shape(ids.length, contextLength)),
                TorchScriptOutputs.methodSelector(manager, METHOD));
    }

    @Override
    public float[][] processOutput(TranslatorContext ctx, NDList list) throws TranslateException {
        return TorchScriptOutputs.normalisedRows(
                list, (int) list.get(0).getShape().get(0), embeddingDim, METHOD);
    }
}
