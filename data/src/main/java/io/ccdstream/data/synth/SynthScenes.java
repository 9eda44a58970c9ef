package io.ccdstream.data.synth;

import io.ccdstream.data.synth.SynthClass.Texture;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * Deterministic generator of multi-label scenes: the same configuration and index give the same
 * PNG bytes and the same ground truth.
 *
 * <p>A scene is a cluttered, textured background (a colour gradient, irregular patches with and
 * without hatching, strokes and pixel grain, all in muted colours and none of them shaped like a
 * class) with 1 to {@link SynthWorld#maxObjects()} objects of the {@link SynthClass} classes on
 * top, or no object at all with probability {@code noneShare}. Each object is small (its box covers
 * at most {@value #SMALL_AREA_SHARE} of the image) with probability {@code smallShare}, otherwise
 * medium to large, at a random position. Objects drawn later may occlude earlier ones, but only
 * partially: a placement that would hide more than half of an earlier object is redrawn elsewhere.
 * The {@link SynthWorld} (default {@link SynthWorld#SMALL_OBJECTS}, the original generator, same
 * bytes for the same seed) sets the number of objects, the scale of the large ones and the object
 * colours.
 *
 * <p>The box of an object is the bounding box of its pixels that stay visible in the final image
 * (after clipping to the frame and occlusion), so it matches what is drawn. No background pixel
 * has exactly a class colour, so in {@link SynthWorld#SMALL_OBJECTS} a class colour in the image
 * always belongs to an object. In {@link SynthWorld#VOC_LIKE} an object's colour is varied and may
 * be another class's; only the two classes that share shape and texture (tomato and lime) keep
 * their own colours, so shape, texture and colour together still name exactly one class.
 *
 * <pre>{@code
 * SynthScenes scenes = SynthScenes.builder().setSeed(1).build();   // 128 px, 5% "none" images
 * SynthScene scene = scenes.generate(0);
 * }</pre>
 */
public final class SynthScenes {

    /** Default image side in pixels. */
    public static final int DEFAULT_SIZE = 128;
    /** Default share of images without any object. */
    public static final double DEFAULT_NONE_SHARE = 0.05;
    /** Default share of objects drawn small. */
    public static final double DEFAULT_SMALL_SHARE = 0.4;
    /** An object whose box covers at most this share of the image area counts as small. */
    public static final double SMALL_AREA_SHARE = 0.05;
    /** The most objects in one image, in any world. */
    public static final int MAX_OBJECTS = 4;

    private static final int MIN_SIZE = 32;
    private static final int PLACEMENT_ATTEMPTS = 12;
    private static final double MIN_VISIBLE_FRACTION = 0.5;
    private static final int MIN_OBJECT_PIXELS = 12;
    // box side as a share of the image side: small sides keep the box area within SMALL_AREA_SHARE
    private static final double SMALL_MIN_SIDE = 0.09;
    private static final double SMALL_MAX_SIDE = 0.21;
    private static final double LARGE_MIN_SIDE = 0.24;
    private static final double LARGE_MAX_SIDE = 0.70;
    private static final Color DARK_CONTRAST = new Color(10, 10, 10);
    private static final Color LIGHT_CONTRAST = new Color(250, 250, 250);
    private static final Set<Integer> RESERVED_COLOURS = reservedColours();
    private static final Map<String, List<SynthClass>> PALETTE_PARTNERS = palettePartners();

    private final long seed;
    private final SynthWorld world;
    private final int size;
    private final double noneShare;
    private final double smallShare;
    private final double[] cumulativeClassWeights;

    /**
     * A generator with uniform class frequencies and the default share of small objects.
     *
     * @param seed      seed of the whole sequence
     * @param size      side of the square images in pixels, at least 32
     * @param noneShare share of images with no object, in [0, 1)
     */
    public SynthScenes(long seed, int size, double noneShare) {
        this(builder().setSeed(seed).optSize(size).optNoneShare(noneShare));
    }

    private SynthScenes(Builder builder) {
        this.seed = builder.seed;
        this.world = builder.world;
        this.size = builder.size;
        this.noneShare = builder.noneShare;
        this.smallShare = builder.smallShare != null ? builder.smallShare : world.defaultSmallShare();
        this.cumulativeClassWeights = cumulative(builder.classWeights);
    }

    /** @return a builder; {@link Builder#setSeed(long)} is required */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the seed of the sequence */
    public long seed() {
        return seed;
    }

    /** @return the world the scenes are drawn from */
    public SynthWorld world() {
        return world;
    }

    /** @return the side of the square images in pixels */
    public int size() {
        return size;
    }

    /** @return the share of images with no object */
    public double noneShare() {
        return noneShare;
    }

    /** @return the share of objects drawn small */
    public double smallShare() {
        return smallShare;
    }

    /**
     * The scene at {@code index} of this sequence.
     *
     * @param index any index; scenes of different indices are independent
     * @return the scene, PNG-encoded, with its ground truth
     */
    public SynthScene generate(long index) {
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
            drawBackground(g, random);
            addGrain(image, random);
            // a wide stroke changes how Java2D rasterises fills: objects are filled as the layout mask is
            g.setStroke(new BasicStroke());
            int count = random.nextDouble() < noneShare ? 0 : 1 + random.nextInt(world.maxObjects());
            Layout layout = new Layout(size);
            for (int i = 0; i < count; i++) {
                placeObject(g, layout, random);
            }
            String id = world == SynthWorld.SMALL_OBJECTS
                    ? String.format("synth-%d-%06d", seed, index)
                    : String.format("synth-%s-%d-%06d", world.id(), seed, index);
            return new SynthScene(id, png(image), size, size, layout.objects());
        } finally {
            g.dispose();
        }
    }

    private void placeObject(Graphics2D g, Layout layout, SplittableRandom random) {
        SynthClass type = SynthClass.ALL.get(sampleClass(random));
        boolean small = random.nextDouble() < smallShare;
        for (int attempt = 0; attempt < PLACEMENT_ATTEMPTS; attempt++) {
            int side = side(small, random);
            int margin = small || world == SynthWorld.VOC_LIKE ? 0 : side / 5;
            int x = random.nextInt(-margin, size - side + margin + 1);
            int y = random.nextInt(-margin, size - side + margin + 1);
            Area shape = outline(type.shape(), x, y, side);
            int[] covered = layout.rasterise(shape);
            if (covered.length >= MIN_OBJECT_PIXELS && layout.keepsEarlierObjectsVisible(covered)) {
                layout.add(type.name(), covered);
                Color colour = world == SynthWorld.VOC_LIKE ? variedColour(type, random) : type.color();
                fill(g, shape, type, colour, side);
                return;
            }
        }
    }

    private int side(boolean small, SplittableRandom random) {
        double share;
        if (small) {
            share = SMALL_MIN_SIDE + random.nextDouble() * (SMALL_MAX_SIDE - SMALL_MIN_SIDE);
        } else if (world == SynthWorld.VOC_LIKE) {
            share = Math.sqrt(SynthWorld.VOC_MIN_AREA
                    + random.nextDouble() * (SynthWorld.VOC_MAX_AREA - SynthWorld.VOC_MIN_AREA));
        } else {
            share = LARGE_MIN_SIDE + Math.pow(random.nextDouble(), 1.3) * (LARGE_MAX_SIDE - LARGE_MIN_SIDE);
        }
        return Math.max(5, (int) Math.floor(share * size));
    }

    /**
     * A {@link SynthWorld#VOC_LIKE} object's colour: its class colour or the colour of another
     * class ({@link #palettePartners()}), varied in hue, saturation and brightness.
     */
    private static Color variedColour(SynthClass type, SplittableRandom random) {
        Color base = type.color();
        if (random.nextDouble() >= SynthWorld.VOC_OWN_COLOUR_SHARE) {
            List<SynthClass> partners = PALETTE_PARTNERS.get(type.name());
            base = partners.get(random.nextInt(partners.size())).color();
        }
        float[] hsb = Color.RGBtoHSB(base.getRed(), base.getGreen(), base.getBlue(), null);
        double hue = hsb[0] + (random.nextDouble() * 2 - 1) * SynthWorld.VOC_HUE_JITTER;
        double saturation = hsb[1] * (0.75 + 0.25 * random.nextDouble());
        double brightness = Math.min(1, hsb[2] * (0.7 + 0.4 * random.nextDouble()));
        return Color.getHSBColor((float) (hue - Math.floor(hue)), (float) saturation, (float) brightness);
    }

    /**
     * Per class name, the classes whose colour it may take. A class that shares its shape and
     * texture with another (tomato and lime) keeps its own colour, so that colour still tells the
     * two apart; every other class may take the colour of any class but those twins, since its
     * shape and texture name it.
     */
    private static Map<String, List<SynthClass>> palettePartners() {
        Map<String, List<SynthClass>> partners = new HashMap<>();
        for (SynthClass c : SynthClass.ALL) {
            partners.put(c.name(), hasTwin(c) ? List.of(c) : SynthClass.ALL);
        }
        return Map.copyOf(partners);
    }

    private static boolean hasTwin(SynthClass c) {
        return SynthClass.ALL.stream().anyMatch(o -> o != c && o.shape() == c.shape() && o.texture() == c.texture());
    }

    private int sampleClass(SplittableRandom random) {
        double u = random.nextDouble() * cumulativeClassWeights[cumulativeClassWeights.length - 1];
        for (int c = 0; c < cumulativeClassWeights.length; c++) {
            if (u < cumulativeClassWeights[c]) {
                return c;
            }
        }
        return cumulativeClassWeights.length - 1;
    }

    private void drawBackground(Graphics2D g, SplittableRandom random) {
        g.setPaint(
                new GradientPaint(random.nextInt(size), 0, muted(random), random.nextInt(size), size, muted(random)));
        g.fillRect(0, 0, size, size);
        int patches = 3 + random.nextInt(6);
        for (int i = 0; i < patches; i++) {
            drawPatch(g, random);
        }
        int strokes = 8 + random.nextInt(10);
        for (int i = 0; i < strokes; i++) {
            g.setColor(muted(random));
            g.setStroke(new BasicStroke(1 + random.nextInt(3)));
            g.drawLine(random.nextInt(size), random.nextInt(size), random.nextInt(size), random.nextInt(size));
        }
    }

    /** An irregular blob, sometimes hatched diagonally: clutter that is no class. */
    private void drawPatch(Graphics2D g, SplittableRandom random) {
        double radius = size * (0.06 + random.nextDouble() * 0.2);
        double cx = random.nextDouble() * size;
        double cy = random.nextDouble() * size;
        int corners = 5 + random.nextInt(5);
        Polygon blob = new Polygon();
        for (int i = 0; i < corners; i++) {
            double a = 2 * Math.PI * (i + random.nextDouble() * 0.6) / corners;
            double r = radius * (0.45 + random.nextDouble() * 0.55);
            blob.addPoint((int) Math.round(cx + r * Math.cos(a)), (int) Math.round(cy + r * Math.sin(a) * 0.8));
        }
        g.setColor(muted(random));
        g.fill(blob);
        if (random.nextBoolean()) {
            Graphics2D hatch = (Graphics2D) g.create();
            try {
                hatch.clip(blob);
                hatch.setColor(muted(random));
                int step = 3 + random.nextInt(4);
                Rectangle b = blob.getBounds();
                for (int u = b.x - b.height; u < b.x + b.width; u += step) {
                    hatch.drawLine(u, b.y, u + b.height, b.y + b.height);
                }
            } finally {
                hatch.dispose();
            }
        }
    }

    /** Pixel noise over the background; a pixel that would equal a class colour is nudged off it. */
    private static void addGrain(BufferedImage image, SplittableRandom random) {
        int[] pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < pixels.length; i++) {
            int noise = random.nextInt(-10, 11);
            int r = clamp(((pixels[i] >> 16) & 0xFF) + noise + random.nextInt(-3, 4));
            int gr = clamp(((pixels[i] >> 8) & 0xFF) + noise + random.nextInt(-3, 4));
            int b = clamp((pixels[i] & 0xFF) + noise + random.nextInt(-3, 4));
            int rgb = (r << 16) | (gr << 8) | b;
            if (RESERVED_COLOURS.contains(rgb)) {
                rgb ^= 0x010000;
            }
            pixels[i] = rgb;
        }
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    private static Area outline(SynthClass.Shape shape, int x, int y, int s) {
        return switch (shape) {
            case CIRCLE -> new Area(new Ellipse2D.Double(x, y, s, s));
            case SQUARE -> new Area(new Rectangle(x, y, s, s));
            case TRIANGLE -> new Area(new Polygon(new int[] {x + s / 2, x + s, x}, new int[] {y, y + s, y + s}, 3));
            case DIAMOND ->
                new Area(new Polygon(
                        new int[] {x + s / 2, x + s, x + s / 2, x}, new int[] {y, y + s / 2, y + s, y + s / 2}, 4));
            case STAR -> new Area(star(x, y, s));
            case CROSS -> {
                Area cross = new Area(new Rectangle(x + s / 3, y, s - 2 * (s / 3), s));
                cross.add(new Area(new Rectangle(x, y + s / 3, s, s - 2 * (s / 3))));
                yield cross;
            }
            case RING -> {
                Area ring = new Area(new Ellipse2D.Double(x, y, s, s));
                ring.subtract(new Area(new Ellipse2D.Double(x + s * 0.3, y + s * 0.3, s * 0.4, s * 0.4)));
                yield ring;
            }
            case HEXAGON -> new Area(regular(x, y, s, 6, 0));
        };
    }

    private static Polygon star(int x, int y, int s) {
        Polygon star = new Polygon();
        for (int i = 0; i < 10; i++) {
            double r = (i % 2 == 0 ? 0.5 : 0.22) * s;
            double a = Math.PI * i / 5 - Math.PI / 2;
            star.addPoint(
                    (int) Math.round(x + s / 2.0 + r * Math.cos(a)), (int) Math.round(y + s / 2.0 + r * Math.sin(a)));
        }
        return star;
    }

    private static Polygon regular(int x, int y, int s, int corners, double phase) {
        Polygon polygon = new Polygon();
        for (int i = 0; i < corners; i++) {
            double a = 2 * Math.PI * i / corners + phase;
            polygon.addPoint((int) Math.round(x + s / 2.0 + s / 2.0 * Math.cos(a)), (int)
                    Math.round(y + s / 2.0 + s / 2.0 * Math.sin(a)));
        }
        return polygon;
    }

    private static void fill(Graphics2D g, Area shape, SynthClass type, Color colour, int side) {
        g.setColor(colour);
        g.fill(shape);
        if (type.texture() == Texture.SOLID) {
            return;
        }
        Graphics2D pattern = (Graphics2D) g.create();
        try {
            pattern.clip(shape);
            pattern.setColor(contrast(colour));
            Rectangle b = shape.getBounds();
            int step = Math.max(3, side / 6);
            for (int u = b.x; u < b.x + b.width; u += step) {
                for (int v = b.y; v < b.y + b.height; v += step) {
                    switch (type.texture()) {
                        case STRIPES -> pattern.fillRect(u, v, Math.max(1, step / 3), step);
                        case DOTS ->
                            pattern.fillOval(u + step / 4, v + step / 4, Math.max(2, step / 2), Math.max(2, step / 2));
                        case CHECKER -> {
                            if (((u - b.x) / step + (v - b.y) / step) % 2 == 0) {
                                pattern.fillRect(u, v, step, step);
                            }
                        }
                        default -> throw new IllegalStateException("unexpected texture " + type.texture());
                    }
                }
            }
        } finally {
            pattern.dispose();
        }
    }

    /**
     * The colour a texture is drawn in on top of {@code c}: near-black or near-white. No class has
     * either colour.
     *
     * @param c a class colour
     * @return the texture colour
     */
    static Color contrast(Color c) {
        int luma = (299 * c.getRed() + 587 * c.getGreen() + 114 * c.getBlue()) / 1000;
        return luma > 128 ? DARK_CONTRAST : LIGHT_CONTRAST;
    }

    private static Color muted(SplittableRandom random) {
        int base = 80 + random.nextInt(100);
        return new Color(
                base + random.nextInt(-28, 29), base + random.nextInt(-28, 29), base + random.nextInt(-28, 29));
    }

    private static Set<Integer> reservedColours() {
        Set<Integer> colours = new HashSet<>();
        SynthClass.ALL.forEach(c -> colours.add(c.color().getRGB() & 0xFFFFFF));
        colours.add(DARK_CONTRAST.getRGB() & 0xFFFFFF);
        colours.add(LIGHT_CONTRAST.getRGB() & 0xFFFFFF);
        return Set.copyOf(colours);
    }

    private static double[] cumulative(double[] weights) {
        double[] out = new double[weights.length];
        double sum = 0;
        for (int i = 0; i < weights.length; i++) {
            sum += weights[i];
            out[i] = sum;
        }
        return out;
    }

    private static byte[] png(BufferedImage image) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalStateException("no PNG writer in this JVM");
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Which object owns each pixel. Shapes are rasterised by the same Java2D fill (antialiasing
     * off) that draws them, so the owned pixels are exactly the drawn ones.
     */
    private static final class Layout {
        private final int size;
        private final BufferedImage mask;
        private final int[] owner;
        private final List<String> classNames = new ArrayList<>();
        private final List<Integer> drawnPixels = new ArrayList<>();
        private final List<Integer> visiblePixels = new ArrayList<>();

        Layout(int size) {
            this.size = size;
            this.mask = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
            this.owner = new int[size * size];
            Arrays.fill(owner, -1);
        }

        /** @return the indices of the pixels the shape covers inside the frame */
        int[] rasterise(Area shape) {
            byte[] data = ((DataBufferByte) mask.getRaster().getDataBuffer()).getData();
            Arrays.fill(data, (byte) 0);
            Graphics2D g = mask.createGraphics();
            try {
                g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
                g.setColor(Color.WHITE);
                g.fill(shape);
            } finally {
                g.dispose();
            }
            int count = 0;
            for (byte b : data) {
                count += b != 0 ? 1 : 0;
            }
            int[] covered = new int[count];
            for (int i = 0, k = 0; i < data.length; i++) {
                if (data[i] != 0) {
                    covered[k++] = i;
                }
            }
            return covered;
        }

        /** Whether every earlier object keeps at least half of its pixels if {@code covered} is drawn over it. */
        boolean keepsEarlierObjectsVisible(int[] covered) {
            int[] lost = new int[classNames.size()];
            for (int p : covered) {
                if (owner[p] >= 0) {
                    lost[owner[p]]++;
                }
            }
            for (int j = 0; j < lost.length; j++) {
                int left = visiblePixels.get(j) - lost[j];
                if (left < MIN_VISIBLE_FRACTION * drawnPixels.get(j) || left < MIN_OBJECT_PIXELS) {
                    return false;
                }
            }
            return true;
        }

        void add(String className, int[] covered) {
            int id = classNames.size();
            for (int p : covered) {
                if (owner[p] >= 0) {
                    visiblePixels.set(owner[p], visiblePixels.get(owner[p]) - 1);
                }
                owner[p] = id;
            }
            classNames.add(className);
            drawnPixels.add(covered.length);
            visiblePixels.add(covered.length);
        }

        /** The objects in drawing order, each with the bounding box of its visible pixels. */
        List<SynthScene.SynthObject> objects() {
            int n = classNames.size();
            int[] x0 = filled(n, Integer.MAX_VALUE);
            int[] y0 = filled(n, Integer.MAX_VALUE);
            int[] x1 = filled(n, -1);
            int[] y1 = filled(n, -1);
            for (int p = 0; p < owner.length; p++) {
                int id = owner[p];
                if (id >= 0) {
                    int x = p % size;
                    int y = p / size;
                    x0[id] = Math.min(x0[id], x);
                    y0[id] = Math.min(y0[id], y);
                    x1[id] = Math.max(x1[id], x + 1);
                    y1[id] = Math.max(y1[id], y + 1);
                }
            }
            List<SynthScene.SynthObject> objects = new ArrayList<>(n);
            for (int id = 0; id < n; id++) {
                objects.add(new SynthScene.SynthObject(classNames.get(id), x0[id], y0[id], x1[id], y1[id]));
            }
            return List.copyOf(objects);
        }

        private static int[] filled(int n, int value) {
            int[] a = new int[n];
            Arrays.fill(a, value);
            return a;
        }
    }

    /** Builder for {@link SynthScenes}; {@code set*} is required, {@code opt*} optional. */
    public static final class Builder {
        private Long seed;
        private SynthWorld world = SynthWorld.SMALL_OBJECTS;
        private int size = DEFAULT_SIZE;
        private double noneShare = DEFAULT_NONE_SHARE;
        private Double smallShare;
        private double[] classWeights = uniformWeights();

        private Builder() {}

        /**
         * @param seed seed of the whole sequence, required
         * @return this builder
         */
        public Builder setSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * @param world the kind of scenes; default {@link SynthWorld#SMALL_OBJECTS}
         * @return this builder
         */
        public Builder optWorld(SynthWorld world) {
            this.world = Objects.requireNonNull(world, "world");
            return this;
        }

        /**
         * @param size side of the square images in pixels, at least 32; default {@value #DEFAULT_SIZE}
         * @return this builder
         */
        public Builder optSize(int size) {
            if (size < MIN_SIZE) {
                throw new IllegalArgumentException("image size must be at least " + MIN_SIZE + " px, got " + size);
            }
            this.size = size;
            return this;
        }

        /**
         * @param noneShare share of images with no object, in [0, 1); default {@value #DEFAULT_NONE_SHARE}
         * @return this builder
         */
        public Builder optNoneShare(double noneShare) {
            if (!(noneShare >= 0 && noneShare < 1)) {
                throw new IllegalArgumentException("noneShare must be in [0, 1), got " + noneShare);
            }
            this.noneShare = noneShare;
            return this;
        }

        /**
         * @param smallShare share of objects drawn small (box at most {@value #SMALL_AREA_SHARE} of the
         *     image area), in [0, 1]; default the world's {@link SynthWorld#defaultSmallShare()}
         *     ({@value #DEFAULT_SMALL_SHARE} in {@link SynthWorld#SMALL_OBJECTS})
         * @return this builder
         */
        public Builder optSmallShare(double smallShare) {
            if (!(smallShare >= 0 && smallShare <= 1)) {
                throw new IllegalArgumentException("smallShare must be in [0, 1], got " + smallShare);
            }
            this.smallShare = smallShare;
            return this;
        }

        /**
         * @param classWeights relative frequency of each class of {@link SynthClass#ALL}, in class
         *     order: 20 non-negative numbers with a positive sum; default uniform
         * @return this builder
         */
        public Builder optClassWeights(double[] classWeights) {
            Objects.requireNonNull(classWeights, "classWeights");
            if (classWeights.length != SynthClass.ALL.size()) {
                throw new IllegalArgumentException(
                        "expected " + SynthClass.ALL.size() + " class weights, got " + classWeights.length);
            }
            double sum = 0;
            for (double w : classWeights) {
                if (!(w >= 0 && Double.isFinite(w))) {
                    throw new IllegalArgumentException(
                            "class weights must be finite and non-negative: " + Arrays.toString(classWeights));
                }
                sum += w;
            }
            if (!(sum > 0)) {
                throw new IllegalArgumentException("class weights must not all be zero");
            }
            this.classWeights = classWeights.clone();
            return this;
        }

        /**
         * @return the generator
         * @throws IllegalStateException if no seed was set
         */
        public SynthScenes build() {
            if (seed == null) {
                throw new IllegalStateException("setSeed is required");
            }
            return new SynthScenes(this);
        }

        private static double[] uniformWeights() {
            double[] weights = new double[SynthClass.ALL.size()];
            Arrays.fill(weights, 1);
            return weights;
        }
    }
}
