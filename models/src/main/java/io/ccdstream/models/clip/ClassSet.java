package io.ccdstream.models.clip;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
 */
public final class ClassSet {

    private static final byte[] TAG = "ccd-classset-v1".getBytes(StandardCharsets.US_ASCII);

    private final String modelId;
    private final List<String> classNames;
    private final List<String> promptTemplates;
    private final String id;

    private ClassSet(String modelId, List<String> classNames, List<String> promptTemplates) {
        this.modelId = modelId;
        this.classNames = classNames;
        this.promptTemplates = promptTemplates;
        this.id = computeId();
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
        return new ClassSet(modelId, names, templates);
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

    /** @return the number of classes */
    public int size() {
        return classNames.size();
    }

    /**
     * @param classIndex index into {@link #classNames()}
     * @return one prompt per template for that class
     */
    public List<String> prompts(int classIndex) {
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
                && promptTemplates.equals(other.promptTemplates);
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
