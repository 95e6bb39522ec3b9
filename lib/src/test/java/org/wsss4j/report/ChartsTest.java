package org.wsss4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.internal.chartpart.Chart;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class ChartsTest {
    /** Non-white pixels and distinct colours: a blank or text-only image has few of either. */
    private static void assertDrawn(Chart<?, ?> chart) {
        BufferedImage img = Charts.toImage(chart, 400, 300);
        assertEquals(400, img.getWidth());
        int ink = 0;
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int p = img.getRGB(x, y) & 0xFFFFFF;
                colours.add(p);
                if (p != 0xFFFFFF) {
                    ink++;
                }
            }
        }
        assertTrue(ink > 2000, "only " + ink + " drawn pixels");
        assertTrue(colours.size() > 10, "only " + colours.size() + " colours");
    }

    @Test
    void rendersHeadless() {
        assertTrue(GraphicsEnvironment.isHeadless());
        CategoryChart bars =
                Charts.barWithErrors(
                        "CAM mIoU",
                        "mIoU",
                        List.of("baseline", "AReAM"),
                        new double[] {0.31, 0.35},
                        new double[] {0.01, Double.NaN});
        assertDrawn(bars);
        XYChart lines =
                Charts.lines(
                        "entropy",
                        "step",
                        "nats",
                        List.of(
                                new Charts.Series("block 0", new double[] {0, 1, 2}, new double[] {3, 2.5, 2}),
                                new Charts.Series("block 5", new double[] {0, 1, 2}, new double[] {3, 1.5, 1})));
        assertEquals(2, lines.getSeriesMap().size());
        assertDrawn(lines);
        XYChart pr =
                Charts.precisionRecall(
                        "P/R", List.of("CAM", "AD-CAM"), new double[] {0.4, 0.6}, new double[] {0.5, 0.3});
        assertDrawn(pr);
    }

    @Test
    void barsFromAMeanStdTable() {
        Table t =
                Table.create(
                        "agg",
                        StringColumn.create("method", "a", "b", "c"),
                        DoubleColumn.create("mIoU_mean", 0.2, 0.3, 0.25),
                        DoubleColumn.create("mIoU_std", 0.01, Double.NaN, 0.02));
        CategoryChart c = Charts.barWithErrors(t, "method", "mIoU_mean", "mIoU_std", "x");
        assertEquals(1, c.getSeriesMap().size());
        assertDrawn(c);
        assertThrows(
                IllegalArgumentException.class,
                () -> Charts.barWithErrors("t", "y", List.of("a"), new double[] {1, 2}, null));
    }
}
