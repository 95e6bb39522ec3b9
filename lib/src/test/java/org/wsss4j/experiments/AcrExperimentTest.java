package org.wsss4j.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.CategoryChart;
import org.wsss4j.methods.acr.AcrConfig;
import org.wsss4j.report.Tables;
import org.wsss4j.runtime.Engines;
import org.wsss4j.runtime.Profile;
import tech.tablesaw.api.Table;

class AcrExperimentTest {
    @Test
    void rowsFollowTheTableOfMethodsMd() {
        List<AcrExperiment.Row> rows = AcrExperiment.rows();
        assertEquals(AcrExperiment.BASELINE_VARIANT, rows.get(0).variant());
        assertEquals(AcrConfig.twoViewBaseline(), rows.get(0).config());
        assertTrue(rows.get(0).allSeeds() && rows.get(0).localise());
        AcrExperiment.Row main = rows.stream()
                .filter(r -> r.variant().equals(AcrExperiment.MAIN_VARIANT)).findFirst()
                .orElseThrow();
        assertEquals(AcrConfig.PAPER, main.config());
        assertTrue(main.allSeeds() && main.localise());
        assertEquals(2 + 2 + AcrExperiment.ALPHA_FACTORS.size(), rows.size());
        // the sweep is a log grid: constant ratio between neighbours, centred on the default
        List<Double> f = AcrExperiment.ALPHA_FACTORS;
        for (List<Double> grid : List.of(f, AcrExperiment.ALPHA_FACTORS_FINE)) {
            double ratio = grid.get(1) / grid.get(0);
            assertTrue(ratio > 1, "grid " + grid);
            for (int i = 1; i < grid.size(); i++) {
                assertEquals(ratio, grid.get(i) / grid.get(i - 1), 1e-9, "grid " + grid);
            }
            assertEquals(1.0, grid.get(grid.size() / 2), 0.0);
        }
        assertEquals(1.0, f.get(f.size() / 2), 0.0);
        assertEquals("α×0.1 / grad×aff", AcrExperiment.shortLabel("alpha sweep: x0.1",
                AcrExperiment.Localisation.GRADIENT_AFFINITY.label()));
    }

    /** Two seeds of the baseline and of one method row, honest and oracle rows. */
    static Table rows() {
        Table t = Tables.results("rows");
        double[][] v = {{0.30, 0.32}, {0.40, 0.41}};
        String[] variants = {AcrExperiment.BASELINE_VARIANT, AcrExperiment.MAIN_VARIANT};
        for (int r = 0; r < 2; r++) {
            for (int s = 0; s < 2; s++) {
                for (boolean oracle : new boolean[] {false, true}) {
                    Tables.row(t).method(AcrExperiment.METHOD).variant(variants[r])
                            .set(AcrExperiment.MAP, "baseline CAM").seeds(s).split("train")
                            .thresholdSplit(oracle ? "oracle (train)" : "val").threshold(0.4)
                            .mIoU(v[r][s] + (oracle ? 0.05 : 0)).mIoUMct(v[r][s])
                            .precision(0.5).recall(0.5).set(AcrExperiment.MAP_CLS, 0.9)
                            .set(AcrExperiment.L1_C2P, 0.1).set(AcrExperiment.L1_P2P, 0.2)
                            .add();
                }
            }
        }
        return t;
    }

    @Test
    void summariesSeparateTheThresholdProtocolsAndLabelNoise() {
        Table honest = AcrExperiment.summary(rows(), false);
        Table oracle = AcrExperiment.summary(rows(), true);
        assertEquals(2, honest.rowCount());
        assertEquals(List.of("val", "val"),
                honest.stringColumn(Tables.THRESHOLD_SPLIT).asList());
        assertEquals(0.31, honest.doubleColumn("mIoU_mean").getDouble(0), 1e-12);
        assertEquals(0.405 - 0.31, honest.doubleColumn("mIoU_delta").getDouble(1), 1e-12);
        // baseline std = 0.01414; gain 0.095 > 2 std
        assertEquals(Tables.BEYOND_NOISE, honest.stringColumn("mIoU_noise").get(1));
        assertEquals(0.36, oracle.doubleColumn("mIoU_mean").getDouble(0), 1e-12);
        CategoryChart c = AcrExperiment.gainsChart(honest);
        assertEquals(3, c.getSeriesMap().size(), "gains + the two noise-floor lines");
        assertEquals(11, AcrExperiment.compact(honest).columnCount());
    }

    /** The whole of notebook 02 on the smoke profile (seconds with one libtorch thread). */
    @Test
    void smokeRunWritesEveryRowAndFigure() throws IOException {
        Engines.init();
        AcrExperiment.Output out = new AcrExperiment().execute(Profile.SMOKE);
        Path dir = out.dir();
        assertTrue(dir.toString().contains("target"), "tests write under target/: " + dir);
        for (String f : List.of("cam_rows.csv", "cam_rows.md", "cam_rows.json",
                "cam_summary.csv", "cam_summary_oracle.csv", "gains.png",
                "consistency_over_training.png", "cam_overlays.png")) {
            assertTrue(Files.size(dir.resolve(f)) > 0, f);
        }
        Table s = out.summary();
        // baseline and main x 4 maps, c2p, p2p, one row per alpha factor (x1 shares the main
        // row's model)
        assertEquals(8 + 2 + AcrExperiment.ALPHA_FACTORS.size(), s.rowCount(), s.print());
        assertEquals(AcrExperiment.BASELINE_VARIANT, s.stringColumn(Tables.VARIANT).get(0));
        assertEquals(Tables.BASELINE, s.stringColumn(Tables.MIOU + "_noise").get(0));
        assertEquals(Profile.SMOKE.seeds().size(), s.intColumn(Tables.N).get(0),
                "baseline over every seed of the profile");
        assertEquals(1, s.intColumn(Tables.N).get(1), "localisation on the first seed");
        for (int r = 0; r < s.rowCount(); r++) {
            double m = s.doubleColumn(Tables.MIOU + "_mean").getDouble(r);
            assertTrue(m >= 0 && m <= 1, "row " + r + " mIoU " + m);
            assertTrue(s.doubleColumn(AcrExperiment.L1_P2P + "_mean").getDouble(r) > 0);
        }
        assertEquals(2 * out.rows().where(out.rows().stringColumn(Tables.THRESHOLD_SPLIT)
                .isEqualTo("val")).rowCount(), out.rows().rowCount());
    }
}
