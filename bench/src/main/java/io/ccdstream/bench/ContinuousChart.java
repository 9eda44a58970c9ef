package io.ccdstream.bench;

import io.ccdstream.bench.ContinuousReport.CheckpointRow;
import io.ccdstream.bench.ContinuousReport.Interval;
import io.ccdstream.bench.ContinuousReport.VersionRow;
import io.ccdstream.bench.ContinuousReport.WindowRow;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * The PNG of a continuous run: on the left, mAP by checkpoint version (labels it made, final and
 * global-only, with their intervals; its classifier's true mAP; the trainer's signals); on the
 * right, the first and latest labels by arrival window.
 */
final class ContinuousChart {

    private static final int WIDTH = 800;
    private static final int HEIGHT = 560;

    private ContinuousChart() {}

    /** Draws the two charts side by side into {@code png}. */
    static void write(ContinuousReport report, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(2 * WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        try {
            graphics.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            byVersion(report).draw(graphics, new Rectangle2D.Double(0, 0, WIDTH, HEIGHT));
            byWindow(report).draw(graphics, new Rectangle2D.Double(WIDTH, 0, WIDTH, HEIGHT));
        } finally {
            graphics.dispose();
        }
        ImageIO.write(image, "png", png.toFile());
    }

    private static JFreeChart byVersion(ContinuousReport report) {
        YIntervalSeries finals = new YIntervalSeries("labels it made, final");
        YIntervalSeries global = new YIntervalSeries("same labels, global-only");
        for (VersionRow row : report.byVersion()) {
            double x = row.version() == null ? 0 : row.version();
            add(finals, x, row.finalMap());
            add(global, x, row.global());
        }
        XYSeries truth = new XYSeries("its classifier, true held-out mAP");
        XYSeries heldOut = new XYSeries("trainer held-out signal");
        XYSeries trainLabel = new XYSeries("trainer train-label mAP");
        for (CheckpointRow row : report.checkpoints()) {
            addIfSet(truth, row.version(), row.trueMap());
            addIfSet(heldOut, row.version(), row.heldOutMap());
            trainLabel.add(row.version(), row.trainLabelMap());
        }
        XYPlot plot = plot("checkpoint version (0: before any)", intervals(finals, global), Color.BLUE, Color.GRAY);
        XYSeriesCollection signals = new XYSeriesCollection();
        signals.addSeries(truth);
        signals.addSeries(heldOut);
        signals.addSeries(trainLabel);
        plot.setDataset(1, signals);
        XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, true);
        lines.setSeriesPaint(0, new Color(0, 140, 0));
        lines.setSeriesPaint(1, new Color(200, 100, 0));
        lines.setSeriesPaint(2, new Color(200, 0, 160));
        lines.setSeriesStroke(2, dashed());
        plot.setRenderer(1, lines);
        return new JFreeChart("mAP by checkpoint (" + report.world() + ")", JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    }

    private static JFreeChart byWindow(ContinuousReport report) {
        YIntervalSeries first = new YIntervalSeries("first label (as it arrived)");
        YIntervalSeries latest = new YIntervalSeries("latest label (end of run)");
        YIntervalSeries global = new YIntervalSeries("latest label, global-only");
        for (WindowRow row : report.windows()) {
            add(first, row.window(), row.firstFinal());
            add(latest, row.window(), row.latestFinal());
            add(global, row.window(), row.latestGlobal());
        }
        XYPlot plot = plot(
                "arrival window (" + report.windows().size() + " of the " + report.imagesSent() + " images sent)",
                intervals(first, latest, global),
                Color.ORANGE,
                Color.BLUE,
                Color.GRAY);
        return new JFreeChart("mAP by arrival window", JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    }

    private static XYPlot plot(String xLabel, YIntervalSeriesCollection intervals, Color... colours) {
        XYErrorRenderer renderer = new XYErrorRenderer();
        renderer.setDrawXError(false);
        renderer.setDefaultLinesVisible(true);
        for (int s = 0; s < colours.length; s++) {
            renderer.setSeriesPaint(s, colours[s]);
        }
        NumberAxis x = new NumberAxis(xLabel);
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        NumberAxis y = new NumberAxis("mAP (%), 95% bootstrap intervals");
        y.setAutoRangeIncludesZero(false);
        XYPlot plot = new XYPlot(intervals, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return plot;
    }

    private static YIntervalSeriesCollection intervals(YIntervalSeries... series) {
        YIntervalSeriesCollection collection = new YIntervalSeriesCollection();
        for (YIntervalSeries s : series) {
            collection.addSeries(s);
        }
        return collection;
    }

    private static void add(YIntervalSeries series, double x, Interval interval) {
        series.add(x, interval.value(), interval.low(), interval.high());
    }

    private static void addIfSet(XYSeries series, double x, Double value) {
        if (value != null) {
            series.add(x, value);
        }
    }

    private static BasicStroke dashed() {
        return new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f);
    }
}
