package org.wsss4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.wsss4j.eval.ConfusionMatrix;
import org.wsss4j.eval.SegMetrics;
import org.wsss4j.eval.ThresholdedScore;
import tech.tablesaw.api.Table;

class TablesTest {
    private static Table threeSeedTable() {
        Table t = Tables.results("cam");
        double[] base = {0.30, 0.32, 0.34};
        double[] meth = {0.33, 0.35, 0.37};
        for (int s = 0; s < 3; s++) {
            Tables.row(t).method("baseline").split("train").seeds(s + 1).mIoU(base[s]).add();
            Tables.row(t).method("close").split("train").seeds(s + 1).mIoU(meth[s]).add();
        }
        Tables.row(t).method("far").split("train").seeds(1).mIoU(0.40).set("steps", 500).add();
        return t;
    }

    @Test
    void rowsFillStandardAndExtraColumns() {
        Table t = threeSeedTable();
        assertEquals(Tables.STANDARD, t.columnNames().subList(0, Tables.STANDARD.size()));
        assertEquals("steps", t.columnNames().get(Tables.STANDARD.size()));
        assertEquals(7, t.rowCount());
        assertTrue(t.column("steps").isMissing(0));
        assertEquals(500L, t.longColumn("steps").get(6));
        assertTrue(t.column(Tables.PRECISION).isMissing(6));
        // A string into a numeric column fails, and adds nothing.
        assertThrows(
                IllegalArgumentException.class, () -> Tables.row(t).set(Tables.MIOU, "high").add());
        assertEquals(7, t.rowCount());
    }

    @Test
    void scoreFillsThresholdProtocolColumns() {
        ConfusionMatrix cm = new ConfusionMatrix(2);
        cm.add(new byte[] {1, 0}, new byte[] {1, 1});
        SegMetrics m = cm.metrics();
        Table t = Tables.results("x");
        Tables.row(t).method("cam").score(new ThresholdedScore("train", "val", 0.35, false, m)).add();
        Tables.row(t).method("cam").score(new ThresholdedScore("train", "train", 0.2, true, m)).add();
        assertEquals("val", t.stringColumn(Tables.THRESHOLD_SPLIT).get(0));
        assertEquals("oracle (train)", t.stringColumn(Tables.THRESHOLD_SPLIT).get(1));
        assertEquals(0.35, t.doubleColumn(Tables.THRESHOLD).get(0), 1e-12);
        assertEquals(m.mIoU(), t.doubleColumn(Tables.MIOU).get(0), 1e-12);
        assertEquals(m.recall(), t.doubleColumn(Tables.RECALL).get(1), 1e-12);
    }

    @Test
    void meanStdOverSeedsAndNoiseLabels() {
        Table agg =
                Tables.meanStd(
                        threeSeedTable(),
                        List.of(Tables.METHOD, Tables.SPLIT),
                        List.of(Tables.MIOU, Tables.PRECISION));
        assertEquals(
                List.of("method", "split", "n", "seeds", "mIoU_mean", "mIoU_std", "precision_mean",
                        "precision_std"),
                agg.columnNames());
        assertEquals(3, agg.rowCount());
        assertEquals("1;2;3", agg.stringColumn("seeds").get(0));
        assertEquals(3, agg.intColumn("n").get(0));
        assertEquals(0.32, agg.doubleColumn("mIoU_mean").get(0), 1e-12);
        assertEquals(0.02, agg.doubleColumn("mIoU_std").get(0), 1e-12); // sample std
        assertTrue(agg.doubleColumn("mIoU_std").isMissing(2)); // one seed
        assertTrue(agg.doubleColumn("precision_mean").isMissing(0));

        Table noise = Tables.withNoise(agg, Tables.MIOU, "baseline");
        assertEquals(
                List.of(Tables.BASELINE, Tables.WITHIN_NOISE, Tables.BEYOND_NOISE),
                noise.stringColumn("mIoU_noise").asList());
        assertEquals(0.03, noise.doubleColumn("mIoU_delta").get(1), 1e-12);
        assertEquals(Tables.NO_NOISE_FLOOR, Tables.noiseLabel(0.1, Double.NaN));
        assertEquals(Tables.BEYOND_NOISE, Tables.noiseLabel(-0.04, 0.02)); // |d| = 2 std exactly
        assertThrows(IllegalArgumentException.class, () -> Tables.withNoise(agg, Tables.MIOU, "none"));
    }
}
