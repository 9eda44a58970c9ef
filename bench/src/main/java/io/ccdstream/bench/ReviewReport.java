package io.ccdstream.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The table and the PNG of {@code ccd bench review}: mAP against the number of answers, per strategy. */
public final class ReviewReport {

    private static final int WIDTH = 640;
    private static final int HEIGHT = 440;

    private ReviewReport() {}

    /** The Markdown table: one row per strategy and number of answers (main verified weight), then the weights. */
    public static String table(ReviewBench.Result result) {
        StringBuilder out = new StringBuilder();
        float main = result.settings().verifiedWeights().get(0);
        out.append("| strategy | answers | share | train-label mAP | held-out mAP | unreviewed labels, bias with"
                + " reviewed images | without them |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (ReviewBench.Row row : result.rows()) {
            if (row.verifiedWeight() != main) {
                continue;
            }
            out.append(String.format(
                    Locale.ROOT,
                    "| %s | %d | %.0f%% | %.1f | %s | %.2f | %.2f |%n",
                    row.strategy(),
                    row.answers(),
                    100 * row.share(),
                    row.trainLabelMap(),
                    Double.isNaN(row.heldOutMap()) ? "–" : String.format(Locale.ROOT, "%.1f", row.heldOutMap()),
                    row.unreviewedBiasIn(),
                    row.unreviewedBiasOut()));
        }
        List<ReviewBench.Row> weights = new ArrayList<>();
        for (ReviewBench.Row row : result.rows()) {
            boolean mainOfSame = row.verifiedWeight() == main;
            if (!mainOfSame) {
                weights.add(row);
            }
        }
        if (!weights.isEmpty()) {
            ReviewBench.Row first = weights.get(0);
            out.append(String.format(
                    Locale.ROOT,
                    "%n| verified weight (%s, %d answers) | held-out mAP |%n|---:|---:|%n",
                    first.strategy(),
                    first.answers()));
            result.rows().stream()
                    .filter(r -> r.strategy().equals(first.strategy()) && r.answers() == first.answers())
                    .sorted(java.util.Comparator.comparingDouble(ReviewBench.Row::verifiedWeight))
                    .forEach(r -> out.append(
                            String.format(Locale.ROOT, "| %.1f | %.1f |%n", r.verifiedWeight(), r.heldOutMap())));
        }
        return out.toString();
    }

    /** Draws train-label mAP (left) and held-out mAP (right) against the answers, one line per strategy. */
    public static void chart(ReviewBench.Result result, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(2 * WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        try {
            graphics.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            chart(result, "train-label mAP", ReviewBench.Row::trainLabelMap)
                    .draw(graphics, new Rectangle2D.Double(0, 0, WIDTH, HEIGHT));
            chart(result, "held-out classifier mAP", ReviewBench.Row::heldOutMap)
                    .draw(graphics, new Rectangle2D.Double(WIDTH, 0, WIDTH, HEIGHT));
        } finally {
            graphics.dispose();
        }
        ImageIO.write(image, "png", png.toFile());
    }

    private static JFreeChart chart(ReviewBench.Result result, String what, ToDoubleFunction<ReviewBench.Row> value) {
        float main = result.settings().verifiedWeights().get(0);
        ReviewBench.Row none =
                result.rows().stream().filter(r -> r.answers() == 0).findFirst().orElseThrow();
        Map<String, XYSeries> series = new LinkedHashMap<>();
        for (ReviewBench.Row row : result.rows()) {
            if (row.answers() == 0 || row.verifiedWeight() != main) {
                continue;
            }
            XYSeries line = series.computeIfAbsent(row.strategy(), s -> {
                XYSeries created = new XYSeries(s);
                created.add(0, value.applyAsDouble(none));
                return created;
            });
            if (!Double.isNaN(value.applyAsDouble(row))) {
                line.add(row.answers(), value.applyAsDouble(row));
            }
        }
        XYSeriesCollection data = new XYSeriesCollection();
        series.values().forEach(data::addSeries);
        NumberAxis x = new NumberAxis("answers (images a person reviewed)");
        NumberAxis y = new NumberAxis(what + " (%)");
        y.setAutoRangeIncludesZero(false);
        XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, true);
        Color[] colours = {new Color(0, 90, 200), new Color(200, 100, 0), Color.GRAY};
        for (int i = 0; i < series.size(); i++) {
            lines.setSeriesPaint(i, colours[i % colours.length]);
            lines.setSeriesStroke(i, new BasicStroke(2f));
        }
        XYPlot plot = new XYPlot(data, x, y, lines);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart(what + " vs answers", JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }
}
