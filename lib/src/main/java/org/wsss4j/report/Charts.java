package org.wsss4j.report;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * The kit's three chart kinds, as XChart objects (so a notebook can restyle them): bars with
 * error bars, curves over steps, and a precision/recall scatter; plus {@link #toImage} for
 * headless rendering.
 *
 * <p>Headless use needs {@code -Djava.awt.headless=true} and, on Debian, the packages {@code
 * fontconfig} and {@code fonts-dejavu-core}: without fonts the JDK fails inside XChart with
 * {@code NullPointerException ... FontConfiguration.head} (XChart #648).
 */
public final class Charts {
    private Charts() {}

    /** One curve: y over x (e.g. a metric over training steps). */
    public record Series(String name, double[] x, double[] y) {
        public Series {
            if (x.length != y.length) {
                throw new IllegalArgumentException(
                        "series '" + name + "': " + x.length + " x values but " + y.length
                                + " y values");
            }
        }
    }

    /**
     * Bars of {@code mean[i]} with error bars ±{@code std[i]} (NaN std, e.g. one seed, draws no
     * bar). {@code std} may be null.
     */
    public static CategoryChart barWithErrors(
            String title, String yTitle, List<String> labels, double[] mean, double[] std) {
        if (labels.size() != mean.length || (std != null && std.length != mean.length)) {
            throw new IllegalArgumentException(
                    "bar chart '" + title + "': " + labels.size() + " labels, " + mean.length
                            + " means, " + (std == null ? 0 : std.length) + " stds");
        }
        CategoryChart c =
                new CategoryChartBuilder()
                        .width(ResultsWriter.FIGURE_WIDTH)
                        .height(ResultsWriter.FIGURE_HEIGHT)
                        .title(title)
                        .yAxisTitle(yTitle)
                        .build();
        style(c.getStyler());
        c.getStyler().setLegendVisible(false);
        c.getStyler().setXAxisLabelRotation(labels.size() > 4 ? 30 : 0);
        List<Double> m = new ArrayList<>();
        List<Double> e = new ArrayList<>();
        for (int i = 0; i < mean.length; i++) {
            m.add(Double.isNaN(mean[i]) ? 0 : mean[i]);
            e.add(std == null || Double.isNaN(std[i]) ? 0 : std[i]);
        }
        c.addSeries(yTitle == null ? "value" : yTitle, labels, m, e);
        return c;
    }

    /**
     * Bars from a table: one bar per row, labelled by {@code labelColumn} (e.g. "method"),
     * height {@code meanColumn}, error bar {@code stdColumn} (null for none), as produced by
     * {@link Tables#meanStd}.
     */
    public static CategoryChart barWithErrors(
            Table table, String labelColumn, String meanColumn, String stdColumn, String title) {
        int n = table.rowCount();
        List<String> labels = new ArrayList<>();
        double[] mean = new double[n];
        double[] std = stdColumn == null ? null : new double[n];
        Column<?> lc = table.column(labelColumn);
        for (int r = 0; r < n; r++) {
            labels.add(lc.getString(r));
            mean[r] = number(table, meanColumn, r);
            if (std != null) {
                std[r] = number(table, stdColumn, r);
            }
        }
        return barWithErrors(title, meanColumn, labels, mean, std);
    }

    /** Line chart of several curves (markers off: curves over many steps). */
    public static XYChart lines(String title, String xTitle, String yTitle, List<Series> series) {
        XYChart c =
                new XYChartBuilder()
                        .width(ResultsWriter.FIGURE_WIDTH)
                        .height(ResultsWriter.FIGURE_HEIGHT)
                        .title(title)
                        .xAxisTitle(xTitle)
                        .yAxisTitle(yTitle)
                        .build();
        style(c.getStyler());
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        c.getStyler().setMarkerSize(0);
        for (Series s : series) {
            c.addSeries(s.name(), s.x(), s.y());
        }
        return c;
    }

    /**
     * Foreground precision (y) against recall (x), one named point per row, both axes [0, 1]:
     * the trade-off the AD-CAM rows are about.
     */
    public static XYChart precisionRecall(
            String title, List<String> names, double[] precision, double[] recall) {
        if (names.size() != precision.length || recall.length != precision.length) {
            throw new IllegalArgumentException(
                    "precision/recall chart '" + title + "': " + names.size() + " names, "
                            + precision.length + " precisions, " + recall.length + " recalls");
        }
        XYChart c =
                new XYChartBuilder()
                        .width(ResultsWriter.FIGURE_WIDTH)
                        .height(ResultsWriter.FIGURE_HEIGHT)
                        .title(title)
                        .xAxisTitle("recall")
                        .yAxisTitle("precision")
                        .build();
        style(c.getStyler());
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        c.getStyler().setMarkerSize(10);
        c.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
        for (int i = 0; i < names.size(); i++) {
            // One series per row, so the legend names the rows.
            c.addSeries(names.get(i), new double[] {recall[i]}, new double[] {precision[i]});
        }
        return c;
    }

    /** Renders {@code chart} at {@code width}×{@code height} on white; works headless. */
    public static BufferedImage toImage(Chart<?, ?> chart, int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
        }
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(
                    RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            chart.paint(g, width, height);
        } finally {
            g.dispose();
        }
        return img;
    }

    private static void style(Styler s) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBorderVisible(false);
        s.setChartTitleBoxVisible(false);
        s.setLegendBorderColor(Color.WHITE);
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
    }

    private static double number(Table t, String column, int row) {
        Column<?> c = t.column(column);
        if (c.isMissing(row)) {
            return Double.NaN;
        }
        Object v = c.get(row);
        if (!(v instanceof Number)) {
            throw new IllegalArgumentException(
                    "column '" + column + "' of table '" + t.name() + "' is not numeric");
        }
        return ((Number) v).doubleValue();
    }
}
