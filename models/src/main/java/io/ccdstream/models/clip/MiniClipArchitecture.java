package io.ccdstream.models.clip;

import java.util.ArrayList;
import java.util.List;

/**
 * The shape of a {@link MiniClipBlock}: the {@code architecture} object of a {@code djl-mini-clip}
 * descriptor. The input size, embedding dimension, context length and pad id come from the
 * descriptor's top-level fields.
 *
 * <pre>{@code
 * "architecture": {"imageWidths": [32, 64, 128, 192], "convsPerStage": 2,
 *                  "vocabularySize": 48, "textWidth": 128}
 * }</pre>
 *
 * @param imageWidths output channels of each stage of the image CNN; each stage halves the side
 * @param convsPerStage 3x3 convolutions per stage (1 or 2): the first has stride 2
 * @param vocabularySize number of token ids of the tokenizer (ids are 0 .. size-1)
 * @param textWidth width of the text encoder's hidden layers
 */
public record MiniClipArchitecture(List<Integer> imageWidths, int convsPerStage, int vocabularySize, int textWidth) {

    /** Copies the widths. */
    public MiniClipArchitecture {
        imageWidths = imageWidths == null ? null : List.copyOf(imageWidths);
    }

    /**
     * @param imageSize the input side the image encoder will see
     * @return what is wrong with this architecture, empty if nothing
     */
    public List<String> problems(int imageSize) {
        List<String> problems = new ArrayList<>();
        if (imageWidths == null || imageWidths.isEmpty() || imageWidths.stream().anyMatch(w -> w == null || w < 1)) {
            problems.add("architecture.imageWidths needs at least one positive width, got " + imageWidths);
        } else if (imageSize >> imageWidths.size() < 1) {
            problems.add("architecture.imageWidths has " + imageWidths.size() + " stages, too many for imageSize "
                    + imageSize);
        }
        if (convsPerStage < 1 || convsPerStage > 2) {
            problems.add("architecture.convsPerStage must be 1 or 2, got " + convsPerStage);
        }
        if (vocabularySize < 1) {
            problems.add("architecture.vocabularySize must be positive, got " + vocabularySize);
        }
        if (textWidth < 1) {
            problems.add("architecture.textWidth must be positive, got " + textWidth);
        }
        return problems;
    }
}
