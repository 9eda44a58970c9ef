package io.ccdstream.processors.synth;

import io.ccdstream.processors.synth.SynthClass.Texture;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * Deterministic generator of multi-label scenes: the same seed and index give the same bytes.
 * Each image holds 1 to 4 objects of the {@link SynthClass} classes at widely varied scales and
 * positions over a cluttered background, or none at all with probability {@code noneShare}.
 */
public final class SynthScenes {

    private final long seed;
    private final int size;
    private final double noneShare;

    /**
     * @param seed      seed of the whole sequence
     * @param size      side of the square images in pixels, at least 32
     * @param noneShare share of images with no object, in [0, 1)
     */
    public SynthScenes(long seed, int size, double noneShare) {
        if (size < 32) {
            throw new IllegalArgumentException("image size must be at least 32 px, got " + size);
        }
        if (!(noneShare >= 0 && noneShare < 1)) {
            throw new IllegalArgumentException("noneShare must be in [0, 1), got " + noneShare);
        }
        this.seed = seed;
        this.size = size;
        this.noneShare = noneShare;
    }

    /** The scene at {@code index} of this sequence. */
    public SynthScene generate(long index) {
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
            drawBackground(g, random);
            List<SynthScene.SynthObject> objects = new ArrayList<>();
            int count = random.nextDouble() < noneShare ? 0 : 1 + random.nextInt(4);
            for (int i = 0; i < count; i++) {
                objects.add(drawObject(g, random));
            }
            return new SynthScene(String.format("synth-%d-%06d", seed, index), png(image), size, size,
                List.copyOf(objects));
        } finally {
            g.dispose();
        }
    }

    private void drawBackground(Graphics2D g, SplittableRandom random) {
        g.setColor(muted(random));
        g.fillRect(0, 0, size, size);
        int strokes = 12 + random.nextInt(12);
        for (int i = 0; i < strokes; i++) {
            g.setColor(muted(random));
            g.setStroke(new BasicStroke(1 + random.nextInt(3)));
            g.drawLine(random.nextInt(size), random.nextInt(size), random.nextInt(size), random.nextInt(size));
        }
    }

    private SynthScene.SynthObject drawObject(Graphics2D g, SplittableRandom random) {
        SynthClass type = SynthClass.ALL.get(random.nextInt(SynthClass.ALL.size()));
        // side from 12% to 70% of the image: small objects cover at most ~5% of the area
        double scale = 0.12 + Math.pow(random.nextDouble(), 1.5) * 0.58;
        int side = Math.max(6, (int) Math.round(scale * size));
        int x = random.nextInt(-side / 4, size - side + side / 4 + 1);
        int y = random.nextInt(-side / 4, size - side + side / 4 + 1);
        Area shape = outline(type.shape(), x, y, side);
        fill(g, shape, type, side);
        Rectangle box = shape.getBounds().intersection(new Rectangle(0, 0, size, size));
        return new SynthScene.SynthObject(type.name(), box.x, box.y, box.x + box.width, box.y + box.height);
    }

    private static Area outline(SynthClass.Shape shape, int x, int y, int s) {
        return switch (shape) {
            case CIRCLE -> new Area(new Ellipse2D.Double(x, y, s, s));
            case SQUARE -> new Area(new Rectangle(x, y, s, s));
            case TRIANGLE -> new Area(new Polygon(new int[] {x + s / 2, x + s, x}, new int[] {y, y + s, y + s}, 3));
            case DIAMOND -> new Area(new Polygon(new int[] {x + s / 2, x + s, x + s / 2, x},
                new int[] {y, y + s / 2, y + s, y + s / 2}, 4));
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
            star.addPoint((int) Math.round(x + s / 2.0 + r * Math.cos(a)), (int) Math.round(y + s / 2.0 + r * Math.sin(a)));
        }
        return star;
    }

    private static Polygon regular(int x, int y, int s, int corners, double phase) {
        Polygon polygon = new Polygon();
        for (int i = 0; i < corners; i++) {
            double a = 2 * Math.PI * i / corners + phase;
            polygon.addPoint((int) Math.round(x + s / 2.0 + s / 2.0 * Math.cos(a)),
                (int) Math.round(y + s / 2.0 + s / 2.0 * Math.sin(a)));
        }
        return polygon;
    }

    private static void fill(Graphics2D g, Area shape, SynthClass type, int side) {
        g.setColor(type.color());
        g.fill(shape);
        if (type.texture() == Texture.SOLID) {
            return;
        }
        Graphics2D pattern = (Graphics2D) g.create();
        try {
            pattern.clip(shape);
            pattern.setColor(contrast(type.color()));
            Rectangle b = shape.getBounds();
            int step = Math.max(3, side / 6);
            for (int u = b.x; u < b.x + b.width; u += step) {
                for (int v = b.y; v < b.y + b.height; v += step) {
                    switch (type.texture()) {
                        case STRIPES -> pattern.fillRect(u, v, Math.max(1, step / 3), step);
                        case DOTS -> pattern.fillOval(u + step / 4, v + step / 4, Math.max(2, step / 2), Math.max(2, step / 2));
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

    private static Color contrast(Color c) {
        int luma = (299 * c.getRed() + 587 * c.getGreen() + 114 * c.getBlue()) / 1000;
        return luma > 128 ? new Color(20, 20, 20) : new Color(245, 245, 245);
    }

    private static Color muted(SplittableRandom random) {
        int base = 90 + random.nextInt(80);
        return new Color(base + random.nextInt(-25, 26), base + random.nextInt(-25, 26), base + random.nextInt(-25, 26));
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
}
