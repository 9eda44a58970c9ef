package io.ccdstream.models.clip;

import io.ccdstream.data.ontology.Ontology;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * What a CLIP zero-shot classifier is asked: which model, which classes in which order, and the
 * prompt templates whose embeddings are averaged per class (prompt ensembling). Immutable.
 *
 * <p>Every class set has a stable {@link #id()} that records carry so that several class sets can
 * share the cluster. The id is the first 16 lower-case hex characters (64 bits) of the SHA-256 of
 * a canonical encoding: the ASCII tag {@code ccd-classset-v1}, then the model id, the number of
 * classes, each class name, the number of templates and each template, every string as a 4-byte
 * big-endian byte length followed by its UTF-8 bytes and every count as a 4-byte big-endian int.
 * The length prefixes make the encoding unambiguous; 64 bits keep ids short while a collision
 * among the handful of class sets of one deployment stays negligible (about 2^-64 per pair).
 * Class order matters (it is the order of the probability vector), so it is part of the id.
 *
 * <p>A class set made from an ontology ({@link #ofOntology(String, Ontology, String)}) may also give a class
 * its own prompts (used instead of the templates) and a selection threshold. When any class has
 * either, the encoding above is followed by the ASCII tag {@code ccd-classset-ontology-v1} and, per
 * class, the number of its own prompts, each prompt, then a 0 byte for no threshold or a 1 byte and
 * the threshold as an 8-byte IEEE double; so a class set without them keeps the id it always had,
 * and changing any prompt or threshold changes the id.
 */
public final class ClassSet {

    private static final byte[] TAG = "ccd-classset-v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ONTOLOGY_TAG = "ccd-classset-ontology-v1".getBytes(StandardCharsets.US_ASCII);

    private final String modelId;
    private final List<String> classNames;
    private final List<String> promptTemplates;
    private final List<List<String>> ownPrompts;
    private final List<Double> thresholds;
    private final String id;

    private ClassSet(
            String modelId,
            List<String> classNames,
            List<String> promptTemplates,
            List<List<String>> ownPrompts,
            List<Double> thresholds) {
        this.modelId = modelId;
        this.classNames = classNames;
        this.promptTemplates = promptTemplates;
        this.ownPrompts = ownPrompts;
        this.thresholds = thresholds;
        this.id = computeId();
    }

    /**
     * The class set of an ontology: its classes, its templates (or {@code defaultTemplate}, the CLIP
     * model's, when it has none), each class's own prompts and thresholds.
     *
     * @throws IllegalArgumentException when the templates or names are invalid
     */
    public static ClassSet ofOntology(String modelId, Ontology ontology, String defaultTemplate) {
        List<String> templates = ontology.templates().isEmpty() ? List.of(defaultTemplate) : ontology.templates();
        ClassSet plain = of(modelId, ontology.classNames(), templates);
        return new ClassSet(
                plain.modelId,
                plain.classNames,
                plain.promptTemplates,
                ontology.prompts(),
                Collections.unmodifiableList(new ArrayList<>(ontology.thresholds())));
    }

    /**
     * Creates a class set.
     *
     * @param modelId the CLIP model's id ({@link ClipModelDescriptor#modelId()})
     * @param classNames distinct, non-blank class names, in probability-vector order
     * @param promptTemplates at least one template, each containing {@code {class}}
     * @return the class set
     * @throws IllegalArgumentException if any of these is violated
     */
    public static ClassSet of(String modelId, List<String> classNames, List<String> promptTemplates) {
        if (modelId == null || modelId.isBlank()) {
            throw new IllegalArgumentException("modelId must not be blank");
        }
        List<String> names = List.copyOf(Objects.requireNonNull(classNames, "classNames"));
        List<String> templates = List.copyOf(Objects.requireNonNull(promptTemplates, "promptTemplates"));
        if (names.isEmpty()) {
            throw new IllegalArgumentException("a class set needs at least one class");
        }
        if (names.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("class names must not be blank: " + names);
        }
        if (new HashSet<>(names).size() != names.size()) {
            throw new IllegalArgumentException("class names must be distinct: " + names);
        }
        if (templates.isEmpty()) {
            throw new IllegalArgumentException("a class set needs at least one prompt template");
        }
        for (String template : templates) {
            if (!template.contains(ClipModelDescriptor.CLASS_PLACEHOLDER)) {
                throw new IllegalArgumentException("prompt template must contain "
                        + ClipModelDescriptor.CLASS_PLACEHOLDER + ": \"" + template + "\"");
            }
        }
        List<Double> noThresholds = Collections.nCopies(names.size(), null);
        return new ClassSet(modelId, names, templates, Collections.nCopies(names.size(), List.of()), noThresholds);
    }

    /** @return the stable id, 16 lower-case hex characters */
    public String id() {
        return id;
    }

    /** @return the CLIP model's id */
    public String modelId() {
        return modelId;
    }

    /** @return the class names, in probability-vector order (unmodifiable) */
    public List<String> classNames() {
        return classNames;
    }

    /** @return the prompt templates (unmodifiable) */
    public List<String> promptTemplates() {
        return promptTemplates;
    }

    /**
     * @param classIndex index into {@link #classNames()}
     * @return that class's selection threshold from its ontology, or null
     */
    public Double threshold(int classIndex) {
        return thresholds.get(classIndex);
    }

    /** @return whether a class has prompts of its own or a threshold (it came from an ontology) */
    public boolean hasOntologyDetails() {
        return ownPrompts.stream().anyMatch(p -> !p.isEmpty())
                || thresholds.stream().anyMatch(Objects::nonNull);
    }

    /** @return the number of classes */
    public int size() {
        return classNames.size();
    }

    /**
     * @param classIndex index into {@link #classNames()}
     * @return one prompt per template for that class
     */
    public List<String> prompts(int classIndex) {
        if (!ownPrompts.get(classIndex).isEmpty()) {
            return ownPrompts.get(classIndex);
        }
        String name = classNames.get(classIndex);
        return promptTemplates.stream()
                .map(t -> t.replace(ClipModelDescriptor.CLASS_PLACEHOLDER, name))
                .toList();
    }

    private String computeId() {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        sha.update(TAG);
        update(sha, modelId);
        sha.update(ByteBuffer.allocate(4).putInt(classNames.size()).array());
        classNames.forEach(name -> update(sha, name));
        sha.update(ByteBuffer.allocate(4).putInt(promptTemplates.size()).array());
        promptTemplates.forEach(template -> update(sha, template));
        if (hasOntologyDetails()) {
            sha.update(ONTOLOGY_TAG);
            for (int c = 0; c < classNames.size(); c++) {
                List<String> own = ownPrompts.get(c);
                sha.update(ByteBuffer.allocate(4).putInt(own.size()).array());
                own.forEach(prompt -> update(sha, prompt));
                Double threshold = thresholds.get(c);
                if (threshold == null) {
                    sha.update((byte) 0);
                } else {
                    sha.update((byte) 1);
                    sha.update(ByteBuffer.allocate(8).putDouble(threshold).array());
                }
            }
        }
        return HexFormat.of().formatHex(sha.digest(), 0, 8);
    }

    private static void update(MessageDigest sha, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        sha.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        sha.update(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClassSet other
                && modelId.equals(other.modelId)
                && classNames.equals(other.classNames)
                && promptTemplates.equals(other.promptTemplates)
                && ownPrompts.equals(other.ownPrompts)
                && thresholds.equals(other.thresholds);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return "ClassSet[" + id + ", " + modelId + ", " + classNames.size() + " classes, " + promptTemplates.size()
                + " templates]";
    }
}
