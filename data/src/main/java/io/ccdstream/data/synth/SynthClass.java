package io.ccdstream.data.synth;

import java.awt.Color;
import java.util.List;

/**
 * One of the 20 SynthScenes object classes: a readable name drawn as a distinct combination of
 * shape, colour and texture.
 */
public record SynthClass(String name, Shape shape, Color color, Texture texture) {

    /** Outline of an object. */
    public enum Shape {
        CIRCLE,
        SQUARE,
        TRIANGLE,
        DIAMOND,
        STAR,
        CROSS,
        RING,
        HEXAGON
    }

    /** Fill pattern of an object. */
    public enum Texture {
        SOLID,
        STRIPES,
        DOTS,
        CHECKER
    }

    /** The 20 classes, in class-index order. */
    public static final List<SynthClass> ALL = List.of(
            new SynthClass("tomato", Shape.CIRCLE, new Color(220, 30, 30), Texture.SOLID),
            new SynthClass("lime", Shape.CIRCLE, new Color(60, 200, 40), Texture.SOLID),
            new SynthClass("ball", Shape.CIRCLE, new Color(30, 80, 230), Texture.STRIPES),
            new SynthClass("coin", Shape.RING, new Color(235, 200, 30), Texture.SOLID),
            new SynthClass("tyre", Shape.RING, new Color(40, 40, 40), Texture.DOTS),
            new SynthClass("box", Shape.SQUARE, new Color(150, 90, 40), Texture.SOLID),
            new SynthClass("window", Shape.SQUARE, new Color(90, 180, 230), Texture.CHECKER),
            new SynthClass("book", Shape.SQUARE, new Color(200, 40, 150), Texture.STRIPES),
            new SynthClass("tent", Shape.TRIANGLE, new Color(240, 130, 20), Texture.SOLID),
            new SynthClass("tree", Shape.TRIANGLE, new Color(20, 120, 50), Texture.DOTS),
            new SynthClass("sail", Shape.TRIANGLE, new Color(245, 245, 245), Texture.STRIPES),
            new SynthClass("kite", Shape.DIAMOND, new Color(230, 60, 90), Texture.CHECKER),
            new SynthClass("gem", Shape.DIAMOND, new Color(120, 40, 220), Texture.SOLID),
            new SynthClass("starfish", Shape.STAR, new Color(250, 120, 80), Texture.DOTS),
            new SynthClass("badge", Shape.STAR, new Color(200, 170, 20), Texture.SOLID),
            new SynthClass("medkit", Shape.CROSS, new Color(230, 230, 230), Texture.SOLID),
            new SynthClass("sign", Shape.CROSS, new Color(30, 150, 150), Texture.STRIPES),
            new SynthClass("nut", Shape.HEXAGON, new Color(130, 130, 140), Texture.SOLID),
            new SynthClass("honeycomb", Shape.HEXAGON, new Color(240, 180, 40), Texture.CHECKER),
            new SynthClass("cookie", Shape.CIRCLE, new Color(170, 110, 60), Texture.DOTS));

    /** Names of {@link #ALL}, in class-index order. */
    public static List<String> names() {
        return ALL.stream().map(SynthClass::name).toList();
    }
}
