package io.ccdstream.data.ontology;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The classes to label and how CLIP is asked about each, from a YAML or JSON file:
 *
 * <pre>
 * templates: ["a photo of a {class}.", "a blurry photo of a {class}."]   # optional; or template: "..."
 * classes:
 *   - name: forklift
 *     prompts: ["a forklift in a warehouse", "a photo of a forklift"]    # optional, replaces the templates
 *     threshold: 0.35                                                    # optional, in [0, 1]
 *   - pallet                                                             # a bare name: templates, no threshold
 * </pre>
 *
 * <p>A class without prompts is asked with every template ({@code {class}} replaced by its name);
 * without templates in the file, the CLIP model's own template is used. An ontology is refused, with
 * the reason, on a duplicate or blank class name, an empty prompt list, a blank prompt, a template
 * without {@code {class}}, a threshold outside [0, 1] or an unknown key.
 *
 * @param templates  shared prompt templates, each containing {@code {class}}; may be empty
 * @param classNames class names, in file order (the order of the score vector)
 * @param prompts    per class, its own prompts, or an empty list when it uses the templates
 * @param thresholds per class, its selection threshold, or null
 */
public record Ontology(
        List<String> templates, List<String> classNames, List<List<String>> prompts, List<Double> thresholds) {

    /** What a template must contain, replaced by the class name. */
    public static final String CLASS_PLACEHOLDER = "{class}";

    private static final Set<String> TOP_KEYS = Set.of("template", "templates", "classes");
    private static final Set<String> CLASS_KEYS = Set.of("name", "prompts", "prompt", "threshold");

    /** Checks and freezes the lists. */
    public Ontology {
        templates = List.copyOf(templates);
        classNames = List.copyOf(classNames);
        prompts = prompts.stream().map(List::copyOf).toList();
        thresholds = Collections.unmodifiableList(new ArrayList<>(thresholds));
        if (classNames.isEmpty()) {
            throw new IllegalArgumentException("an ontology needs at least one class");
        }
        if (prompts.size() != classNames.size() || thresholds.size() != classNames.size()) {
            throw new IllegalArgumentException("prompts and thresholds must have one entry per class");
        }
        for (String template : templates) {
            if (!template.contains(CLASS_PLACEHOLDER)) {
                throw new IllegalArgumentException(
                        "template \"" + template + "\" does not contain " + CLASS_PLACEHOLDER);
            }
        }
        Set<String> seen = new HashSet<>();
        for (int c = 0; c < classNames.size(); c++) {
            String name = classNames.get(c);
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("class " + (c + 1) + " has a blank name");
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException("duplicate class \"" + name + "\"");
            }
            for (String prompt : prompts.get(c)) {
                if (prompt == null || prompt.isBlank()) {
                    throw new IllegalArgumentException("class \"" + name + "\" has an empty prompt");
                }
            }
            Double threshold = thresholds.get(c);
            if (threshold != null && !(threshold >= 0 && threshold <= 1)) {
                throw new IllegalArgumentException(
                        "class \"" + name + "\": threshold " + threshold + " is not in [0, 1]");
            }
        }
    }

    /** The per-class threshold of {@code className}, or null. */
    public Double threshold(String className) {
        int index = classNames.indexOf(className);
        return index < 0 ? null : thresholds.get(index);
    }

    /**
     * Reads an ontology: YAML unless the file name ends in {@code .json} (JSON is YAML too, so either
     * parser reads it).
     *
     * @throws IllegalArgumentException naming the file and the reason when it is not a valid ontology
     */
    public static Ontology read(Path file) {
        ObjectMapper mapper =
                file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")
                        ? new ObjectMapper()
                        : new ObjectMapper(new YAMLFactory());
        JsonNode root;
        try {
            root = mapper.readTree(Files.readString(file));
        } catch (IOException e) {
            if (e instanceof com.fasterxml.jackson.core.JsonProcessingException parse) {
                throw new IllegalArgumentException(
                        "ontology " + file + " cannot be parsed: " + parse.getOriginalMessage());
            }
            throw new UncheckedIOException("cannot read ontology " + file + ": " + e.getMessage(), e);
        }
        try {
            return parse(root);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ontology " + file + ": " + e.getMessage());
        }
    }

    /** An ontology from its parsed tree. */
    public static Ontology parse(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("must be a mapping with a \"classes\" list");
        }
        unknownKeys(root, TOP_KEYS, "top level");
        List<String> templates = new ArrayList<>();
        if (root.has("template")) {
            templates.add(text(root.get("template"), "template"));
        }
        if (root.has("templates")) {
            templates.addAll(texts(root.get("templates"), "templates"));
        }
        JsonNode classes = root.get("classes");
        if (classes == null || !classes.isArray() || classes.isEmpty()) {
            throw new IllegalArgumentException("\"classes\" must be a non-empty list");
        }
        List<String> names = new ArrayList<>();
        List<List<String>> prompts = new ArrayList<>();
        List<Double> thresholds = new ArrayList<>();
        for (JsonNode entry : classes) {
            if (entry.isTextual()) {
                names.add(entry.asText());
                prompts.add(List.of());
                thresholds.add(null);
                continue;
            }
            if (!entry.isObject()) {
                throw new IllegalArgumentException("each class must be a name or a mapping with \"name\"");
            }
            unknownKeys(entry, CLASS_KEYS, "class " + entry.path("name").asText("?"));
            String name = text(entry.get("name"), "name");
            List<String> own = new ArrayList<>();
            if (entry.has("prompt")) {
                own.add(entry.get("prompt").isTextual() ? entry.get("prompt").asText() : "");
            }
            if (entry.has("prompts")) {
                JsonNode list = entry.get("prompts");
                if (!list.isArray() || list.isEmpty()) {
                    throw new IllegalArgumentException("class \"" + name + "\": \"prompts\" must be a non-empty list");
                }
                for (JsonNode prompt : list) {
                    own.add(prompt.isTextual() ? prompt.asText() : "");
                }
            }
            Double threshold = null;
            if (entry.has("threshold")) {
                JsonNode value = entry.get("threshold");
                if (!value.isNumber()) {
                    throw new IllegalArgumentException("class \"" + name + "\": threshold must be a number");
                }
                threshold = value.asDouble();
            }
            names.add(name);
            prompts.add(own);
            thresholds.add(threshold);
        }
        return new Ontology(templates, names, prompts, thresholds);
    }

    /** The ontology as a tree, for printing or writing back. */
    public Map<String, Object> asMap() {
        List<Object> classes = new ArrayList<>();
        for (int c = 0; c < classNames.size(); c++) {
            Map<String, Object> entry = new java.util.LinkedHashMap<>();
            entry.put("name", classNames.get(c));
            if (!prompts.get(c).isEmpty()) {
                entry.put("prompts", prompts.get(c));
            }
            if (thresholds.get(c) != null) {
                entry.put("threshold", thresholds.get(c));
            }
            classes.add(entry);
        }
        return templates.isEmpty() ? Map.of("classes", classes) : Map.of("templates", templates, "classes", classes);
    }

    private static void unknownKeys(JsonNode node, Set<String> known, String where) {
        for (Iterator<String> keys = node.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!known.contains(key)) {
                throw new IllegalArgumentException(
                        "unknown key \"" + key + "\" at " + where + " (known: " + known + ")");
            }
        }
    }

    private static String text(JsonNode node, String what) {
        if (node == null || !node.isTextual()) {
            throw new IllegalArgumentException("\"" + what + "\" must be a string");
        }
        return node.asText();
    }

    private static List<String> texts(JsonNode node, String what) {
        if (node == null || !node.isArray()) {
            throw new IllegalArgumentException("\"" + what + "\" must be a list of strings");
        }
        List<String> values = new ArrayList<>();
        node.forEach(n -> values.add(text(n, what)));
        return values;
    }
}
