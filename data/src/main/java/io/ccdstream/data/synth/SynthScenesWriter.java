package io.ccdstream.data.synth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes SynthScenes images to a folder: one PNG per scene ({@code <id>.png}) and a manifest,
 * {@value #MANIFEST}, with one JSON object per line, in index order:
 *
 * <pre>{@code
 * {"id":"synth-1-000000","file":"synth-1-000000.png","width":128,"height":128,
 *  "labels":["ball","tomato"],
 *  "objects":[{"class":"tomato","box":[10,12,40,44]},{"class":"ball","box":[60,5,120,66]}]}
 * }</pre>
 *
 * {@code labels} are the distinct classes present, in class-index order ({@link
 * SynthClass#ALL}); {@code objects} are in drawing order, each {@code box} is {@code [x0, y0, x1,
 * y1]} in pixels with x0/y0 inclusive and x1/y1 exclusive. Same generator, same count: same bytes.
 */
public final class SynthScenesWriter {

    /** The manifest's file name. */
    public static final String MANIFEST = "manifest.jsonl";

    private static final ObjectMapper JSON = new ObjectMapper();

    private SynthScenesWriter() {}

    /**
     * Writes scenes {@code 0 .. count-1} of {@code scenes} into {@code dir}, creating it if needed and
     * replacing files of the same names.
     *
     * @param dir    the target folder
     * @param scenes the generator
     * @param count  how many scenes, at least 0
     * @return the manifest's path
     * @throws UncheckedIOException if a file cannot be written
     */
    public static Path write(Path dir, SynthScenes scenes, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative, got " + count);
        }
        Path manifest = dir.resolve(MANIFEST);
        try {
            Files.createDirectories(dir);
            try (BufferedWriter out = Files.newBufferedWriter(manifest, StandardCharsets.UTF_8)) {
                for (int i = 0; i < count; i++) {
                    SynthScene scene = scenes.generate(i);
                    String file = scene.id() + ".png";
                    Files.write(dir.resolve(file), scene.png());
                    out.write(JSON.writeValueAsString(line(scene, file)));
                    out.write('\n');
                }
            }
            return manifest;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write SynthScenes to " + dir + ": " + e.getMessage(), e);
        }
    }

    private static ObjectNode line(SynthScene scene, String file) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", scene.id());
        node.put("file", file);
        node.put("width", scene.width());
        node.put("height", scene.height());
        ArrayNode labels = node.putArray("labels");
        scene.labels().forEach(labels::add);
        ArrayNode objects = node.putArray("objects");
        for (SynthScene.SynthObject o : scene.objects()) {
            ObjectNode object = objects.addObject();
            object.put("class", o.className());
            object.putArray("box").add(o.x0()).add(o.y0()).add(o.x1()).add(o.y1());
        }
        return node;
    }
}
