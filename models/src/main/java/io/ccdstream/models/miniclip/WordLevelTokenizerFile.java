package io.ccdstream.models.miniclip;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * A word-level HuggingFace {@code tokenizer.json} for mini-CLIP prompts: lower-casing, splitting on
 * whitespace and punctuation, one id per known word, {@value #UNK} for any other word, and every
 * sequence wrapped as {@value #SOS} ... {@value #EOS}. Padding ({@value #PAD}, id 0) and truncation
 * are set by the CLIP facade at load time.
 *
 * @param words the vocabulary after the four special tokens, in id order
 */
public record WordLevelTokenizerFile(List<String> words) {

    /** Padding token, id 0. */
    public static final String PAD = "[PAD]";
    /** Unknown-word token, id 1. */
    public static final String UNK = "[UNK]";
    /** Start-of-sequence token, id 2. */
    public static final String SOS = "[SOS]";
    /** End-of-sequence token, id 3. */
    public static final String EOS = "[EOS]";
    /** Id of {@link #PAD}. */
    public static final long PAD_ID = 0;

    private static final List<String> SPECIAL = List.of(PAD, UNK, SOS, EOS);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Copies the words. */
    public WordLevelTokenizerFile {
        words = List.copyOf(words);
    }

    /**
     * The vocabulary of some texts: their distinct lower-cased words, sorted.
     *
     * @param texts any texts, e.g. every caption template and class name
     * @return the tokenizer
     */
    public static WordLevelTokenizerFile of(Collection<String> texts) {
        TreeSet<String> words = new TreeSet<>();
        for (String text : texts) {
            for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
                if (!word.isEmpty()) {
                    words.add(word);
                }
            }
        }
        return new WordLevelTokenizerFile(new ArrayList<>(words));
    }

    /** @return the number of token ids, special tokens included */
    public int vocabularySize() {
        return SPECIAL.size() + words.size();
    }

    /**
     * Writes the tokenizer file.
     *
     * @param file where to write, e.g. {@code dir/tokenizer.json}
     * @throws IOException if it cannot be written
     */
    public void write(Path file) throws IOException {
        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json()) + "\n");
    }

    private ObjectNode json() {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (int id = 0; id < SPECIAL.size(); id++) {
            added.addObject()
                    .put("id", id)
                    .put("content", SPECIAL.get(id))
                    .put("single_word", false)
                    .put("lstrip", false)
                    .put("rstrip", false)
                    .put("normalized", false)
                    .put("special", true);
        }
        root.putObject("normalizer").put("type", "Lowercase");
        root.putObject("pre_tokenizer").put("type", "Whitespace");
        ObjectNode post = root.putObject("post_processor");
        post.put("type", "TemplateProcessing");
        ArrayNode single = post.putArray("single");
        special(single, SOS);
        sequence(single, "A");
        special(single, EOS);
        ArrayNode pair = post.putArray("pair");
        special(pair, SOS);
        sequence(pair, "A");
        special(pair, EOS);
        sequence(pair, "B");
        special(pair, EOS);
        ObjectNode specials = post.putObject("special_tokens");
        for (String token : List.of(SOS, EOS)) {
            ObjectNode entry = specials.putObject(token);
            entry.put("id", token);
            entry.putArray("ids").add(SPECIAL.indexOf(token));
            entry.putArray("tokens").add(token);
        }
        root.putNull("decoder");
        ObjectNode model = root.putObject("model");
        model.put("type", "WordLevel");
        ObjectNode vocab = model.putObject("vocab");
        for (int id = 0; id < SPECIAL.size(); id++) {
            vocab.put(SPECIAL.get(id), id);
        }
        for (int i = 0; i < words.size(); i++) {
            vocab.put(words.get(i), SPECIAL.size() + i);
        }
        model.put("unk_token", UNK);
        return root;
    }

    private static void special(ArrayNode steps, String token) {
        steps.addObject().putObject("SpecialToken").put("id", token).put("type_id", 0);
    }

    private static void sequence(ArrayNode steps, String id) {
        steps.addObject().putObject("Sequence").put("id", id).put("type_id", 0);
    }
}
