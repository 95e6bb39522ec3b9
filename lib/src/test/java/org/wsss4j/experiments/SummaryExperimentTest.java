package org.wsss4j.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsss4j.eval.SegMetrics;
import org.wsss4j.eval.ThresholdedScore;
import org.wsss4j.experiments.MainRowScorer.Kind;
import org.wsss4j.experiments.MainRowScorer.MainRow;
import org.wsss4j.experiments.MainRowScorer.Role;
import org.wsss4j.experiments.MainRowScorer.SplitScore;
import org.wsss4j.report.Provenance;
import org.wsss4j.report.ResultsWriter;
import org.wsss4j.report.Tables;
import org.wsss4j.runtime.Profile;
import tech.tablesaw.api.Table;

/** The summary's assembly on hand-made rows tables and fake experiments (no training). */
class SummaryExperimentTest {
    static final Profile SMOKE = Profile.SMOKE.withSeeds(List.of(0L, 1L, 2L));

    static final MainRow BASE = new MainRow(Role.COMMON_BASELINE, "baseline CAM", Kind.CAM,
            Map.of(Tables.METHOD, "baseline CAM"));
    static final MainRow OWN = new MainRow(Role.OWN_BASELINE, "own baseline", Kind.CAM,
            Map.of(Tables.METHOD, "baseline"));
    static final MainRow MAIN = new MainRow(Role.MAIN, "main", Kind.CAM,
            Map.of(Tables.METHOD, "M", Tables.VARIANT, "main switches"));

    /** A rows table as the experiments write it: one line per seed and threshold protocol. */
    static Table rows(String method, String variant, double... miouPerSeed) {
        Table t = Tables.results("rows");
        add(t, method, variant, miouPerSeed);
        return t;
    }

    static void add(Table t, String method, String variant, double... miouPerSeed) {
        for (int s = 0; s < miouPerSeed.length; s++) {
            Tables.row(t).method(method).variant(variant).split("train").thresholdSplit("val")
                    .threshold(0.3).seeds(s).mIoU(miouPerSeed[s]).precision(0.5).recall(0.5)
                    .add();
            // The oracle line is always better: it must stay in its own protocol's block.
            Tables.row(t).method(method).variant(variant).split("train")
                    .thresholdSplit("oracle (train)").threshold(0.35).seeds(s)
                    .mIoU(miouPerSeed[s] + 0.1).precision(0.5).recall(0.5).add();
        }
    }

    @Test
    void mainRowIsPickedByNameNeverByScore() {
        Table t = rows("M", "main switches", 0.35, 0.35, 0.35);
        add(t, "M", "a sweep point", 0.9, 0.9, 0.9); // the best row on train: not the main row
        add(t, "baseline", "", 0.2, 0.2, 0.2);
        List<SummaryExperiment.Observation> obs =
                SummaryExperiment.readTrain("fake", List.of(OWN, MAIN), t);
        assertEquals(12, obs.size()); // 2 rows x 3 seeds x 2 protocols
        for (SummaryExperiment.Observation o : obs) {
            double expected = (o.row() == MAIN ? 0.35 : 0.2)
                    + (o.thresholdLabel().startsWith("oracle") ? 0.1 : 0);
            assertEquals(expected, o.mIoU(), 1e-12, o.toString());
        }
        // A row the table lacks fails, naming the row and the experiment.
        MainRow missing = new MainRow(Role.MAIN, "gone", Kind.CAM, Map.of(Tables.METHOD, "X"));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> SummaryExperiment.readTrain("fake", List.of(missing), t));
        assertTrue(e.getMessage().contains("'gone'") && e.getMessage().contains("fake"),
                e.getMessage());
    }

    @Test
    void deltaAndNoiseLabelAgainstTheCommonBaseline() {
        List<SummaryExperiment.Observation> obs = new ArrayList<>();
        // Baseline 0.30 / 0.32 / 0.34: mean 0.32, std 0.02, so 2 std = 0.04.
        obs.addAll(SummaryExperiment.readTrain("baseline", List.of(BASE),
                rows("baseline CAM", "", 0.30, 0.32, 0.34)));
        // Inside: mean 0.35, delta 0.03 < 0.04. Outside: mean 0.37, delta 0.05 > 0.04.
        obs.addAll(SummaryExperiment.readTrain("inside", List.of(MAIN),
                rows("M", "main switches", 0.34, 0.35, 0.36)));
        obs.addAll(SummaryExperiment.readTrain("outside", List.of(MAIN),
                rows("M", "main switches", 0.36, 0.37, 0.38)));
        Table s = SummaryExperiment.summarise(obs);
        assertEquals(6, s.rowCount()); // 3 rows x 2 protocols
        for (int r = 0; r < s.rowCount(); r++) {
            String e = s.getString(r, SummaryExperiment.EXPERIMENT);
            assertEquals(0.04, s.doubleColumn(SummaryExperiment.NOISE_FLOOR).getDouble(r), 1e-9);
            double delta = s.doubleColumn(Tables.MIOU + "_delta").getDouble(r);
            String noise = s.getString(r, Tables.MIOU + "_noise");
            switch (e) {
                case "baseline" -> {
                    assertEquals(0.0, delta, 1e-12);
                    assertEquals(Tables.BASELINE, noise);
                }
                case "inside" -> {
                    assertEquals(0.03, delta, 1e-9);
                    assertEquals(Tables.WITHIN_NOISE, noise);
                }
                default -> {
                    assertEquals(0.05, delta, 1e-9);
                    assertEquals(Tables.BEYOND_NOISE, noise);
                }
            }
            assertEquals(3, s.intColumn(Tables.N).getInt(r));
            boolean oracle = s.getString(r, Tables.THRESHOLD_SPLIT).startsWith("oracle");
            assertEquals(oracle ? SummaryExperiment.ORACLE : SummaryExperiment.HONEST,
                    s.getString(r, SummaryExperiment.PROTOCOL));
        }
        // Without a common baseline there is nothing to measure a delta from.
        assertThrows(IllegalStateException.class, () -> SummaryExperiment.summarise(
                SummaryExperiment.readTrain("x", List.of(MAIN), rows("M", "main switches",
                        0.3))));
    }

    /** An experiment that writes a hand-made rows table and returns hand-made test scores. */
    static final class Fake implements MainRowScorer {
        final String name;
        final Path root;
        final List<MainRow> rows;
        final double[][] train; // per row, per seed
        final double[][] test;
        int runs;
        int scored;

        Fake(String name, Path root, List<MainRow> rows, double[][] train, double[][] test) {
            this.name = name;
            this.root = root;
            this.rows = rows;
            this.train = train;
            this.test = test;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String description() {
            return "fake";
        }

        @Override
        public Path run(Profile profile) throws IOException {
            runs++;
            Table t = Tables.results("rows");
            for (int i = 0; i < rows.size(); i++) {
                Map<String, String> m = rows.get(i).match();
                add(t, m.get(Tables.METHOD), m.getOrDefault(Tables.VARIANT, ""), train[i]);
            }
            ResultsWriter.write(t, root.resolve(name), rowsTable(),
                    Provenance.builder().profile(profile.name()).seeds(profile.seeds()).build());
            return root.resolve(name);
        }

        @Override
        public String rowsTable() {
            return "fake_rows";
        }

        @Override
        public List<MainRow> mainRows(Profile profile, Path dir) {
            return rows;
        }

        @Override
        public List<SplitScore> scoreMainRows(Profile profile, String split) {
            scored++;
            List<SplitScore> out = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                for (int s = 0; s < test[i].length; s++) {
                    out.add(new SplitScore(rows.get(i), s, score(split, "val", test[i][s]),
                            score(split, split, test[i][s] + 0.1)));
                }
            }
            return out;
        }

        static ThresholdedScore score(String split, String chooser, double miou) {
            SegMetrics m = new SegMetrics(new double[] {miou}, new double[] {miou}, miou, miou,
                    0.5, 0.5, 0.9, 100, 2);
            return new ThresholdedScore(split, chooser, 0.3, split.equals(chooser), m);
        }
    }

    @Test
    void missingTablesAreMadeByTheExperimentThenTestIsScoredOnce(@TempDir Path root)
            throws IOException {
        Fake base = new Fake("baseline", root, List.of(BASE),
                new double[][] {{0.30, 0.32, 0.34}}, new double[][] {{0.29, 0.31, 0.33}});
        Fake method = new Fake("aream", root, List.of(OWN, MAIN),
                new double[][] {{0.2, 0.2, 0.2}, {0.40, 0.41, 0.42}},
                new double[][] {{0.2, 0.2, 0.2}, {0.32, 0.32, 0.32}});
        SummaryExperiment summary = new SummaryExperiment(List.of(base, method), root);
        assertTrue(summary.ensure("aream", SMOKE), "a missing table is made");
        assertEquals(1, method.runs);
        assertFalse(summary.ensure("aream", SMOKE), "a present table is read, not remade");
        assertEquals(1, method.runs);
        // A table written at another profile is remade at the current one.
        assertTrue(summary.ensure("aream", Profile.QUICK.withSeeds(SMOKE.seeds())));
        assertEquals(2, method.runs);

        SummaryExperiment.Result r = summary.execute(SMOKE);
        assertEquals(1, base.runs, "the missing baseline table is made by its experiment");
        assertEquals(3, method.runs, "the quick table was remade at smoke");
        assertEquals(1, base.scored);
        assertEquals(1, method.scored);
        for (String f : List.of("summary.csv", "summary.md", "summary.json", "papers_voc.csv",
                "papers_voc.md", "summary_miou.png")) {
            assertTrue(Files.size(r.dir().resolve(f)) > 0, f);
        }
        Table s = r.summary();
        // 3 rows x {train, test} x {val, oracle}.
        assertEquals(12, s.rowCount());
        int checked = 0;
        for (int i = 0; i < s.rowCount(); i++) {
            if (s.getString(i, SummaryExperiment.ROLE).equals(Role.MAIN.label())
                    && s.getString(i, Tables.THRESHOLD_SPLIT).equals("val")) {
                boolean test = s.getString(i, Tables.SPLIT).equals("test");
                // train: 0.41 - 0.32 = 0.09 beyond 2 x 0.02; test: 0.32 - 0.31 within.
                assertEquals(test ? 0.01 : 0.09,
                        s.doubleColumn(Tables.MIOU + "_delta").getDouble(i), 1e-9);
                assertEquals(test ? Tables.WITHIN_NOISE : Tables.BEYOND_NOISE,
                        s.getString(i, Tables.MIOU + "_noise"));
                checked++;
            }
        }
        assertEquals(2, checked);
        String csv = Files.readString(r.dir().resolve("summary.csv"));
        assertTrue(csv.contains("oracle (test)") && csv.contains("oracle (train)"));
        assertTrue(Files.readString(r.dir().resolve("summary.json")).contains("\"sources\""));
    }

    @Test
    void papersVocNumbersAreLabelledAsDifferentDataWithTheirKind() {
        Table t = SummaryExperiment.papersVoc();
        assertEquals(SummaryExperiment.VOC_NUMBERS.size(), t.rowCount());
        for (int r = 0; r < t.rowCount(); r++) {
            assertEquals(SummaryExperiment.VOC_LABEL, t.getString(r, "data"));
            String kind = t.getString(r, SummaryExperiment.KIND);
            assertTrue(kind.startsWith("CAM") || kind.startsWith("pseudo-mask")
                    || kind.startsWith("segmentation") || kind.contains("UNVERIFIED"), kind);
        }
        // methods.md §1.6: AReAM's main row (uniform weights, MCTformer-V2) is a CAM number.
        assertTrue(SummaryExperiment.VOC_NUMBERS.stream().anyMatch(v -> v.method()
                .equals("AReAM") && v.mIoU() == 67.93 && v.kind().startsWith("CAM")));
    }

    @Test
    void everyRegisteredMethodNamesItsMainRowAndTheSummaryIsRegistered() {
        assertTrue(Experiments.named("summary") instanceof SummaryExperiment);
        assertEquals(List.of("baseline", "aream", "acr", "adcam", "smaf"),
                new SummaryExperiment().experiments());
        assertThrows(IllegalArgumentException.class,
                () -> new BaselineExperiment().scoreMainRows(Profile.SMOKE, "val"));
    }
}
