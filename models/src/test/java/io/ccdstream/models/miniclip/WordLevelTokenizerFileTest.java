package io.ccdstream.models.miniclip;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.ccdstream.models.clip.TextTranslator;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WordLevelTokenizerFileTest {

    @Test
    void shouldTokeniseKnownWordsAndMapOthersToUnknown(@TempDir Path temp) throws Exception {
        WordLevelTokenizerFile vocabulary =
                WordLevelTokenizerFile.of(List.of("a photo of the {class}", "Tomato", "kite"));
        Path file = temp.resolve("tokenizer.json");
        vocabulary.write(file);

        assertThat(vocabulary.words()).containsExactly("a", "class", "kite", "of", "photo", "the", "tomato");
        assertThat(vocabulary.vocabularySize()).isEqualTo(11);
        try (HuggingFaceTokenizer tokenizer =
                HuggingFaceTokenizer.newInstance(file, TextTranslator.tokenizerOptions(8))) {
            long[][] ids = new TextTranslator(tokenizer, 8, WordLevelTokenizerFile.PAD_ID, 4)
                    .tokenIds(List.of("A photo of the KITE", "a zebra"));

            // [SOS]=2, a=4, photo=8, of=7, the=9, kite=6, [EOS]=3, then [PAD]=0; zebra is [UNK]=1
            assertThat(ids[0]).containsExactly(2, 4, 8, 7, 9, 6, 3, 0);
            assertThat(ids[1]).containsExactly(2, 4, 1, 3, 0, 0, 0, 0);
        }
    }
}
