package org.wsss4j.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.wsss4j.runtime.Engines;
import org.wsss4j.runtime.Profile;
import org.wsss4j.runtime.WsssPaths;
import org.wsss4j.report.Tables;
import tech.tablesaw.api.Table;

/** The smoke profile end to end: every row, both CAMs, the curves, into target/ (surefire env). */
class AreamExperimentTest {
    @Test
    void smokeRunWritesEveryRowAndTheCurves() throws Exception {
        Engines.init();
        assertTrue(WsssPaths.results().toString().contains("target"),
                "tests must write results under target/, not " + WsssPaths.results());
        // The smoke profile with 2 seeds and one value per sweep keeps this test short; the
        // notebook runs the full plan (3 seeds, two values per sweep).
        Profile s0 = Profile.SMOKE;
        Profile p = new Profile(s0.name(), s0.dataset(), s0.imageSize(), s0.trainAug(),
                s0.train(), s0.val(), s0.test(), s0.preset(), s0.batch(), s0.lr(),
                s0.weightDecay(), s0.warmupSteps(), s0.branchSteps(), s0.lrWarmupSteps(),
                List.of(0L, 1L), s0.camScales());
        AreamExperiment.Plan plan = new AreamExperiment.Plan(List.of(9), List.of(0.3), 8, 2);
        long t0 = System.nanoTime();
        AreamExperiment.Result r = new AreamExperiment().execute(p, plan);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("AReAM smoke experiment: %.1f s%n", seconds);
        // The entropy row needs block entropies that differ; a 6-step smoke model may leave
        // every block flat, and then the row is left out and its weights are missing values.
        boolean entropyRow = r.rows().stringColumn(Tables.VARIANT).asList().stream()
                .anyMatch(v -> v.contains("entropy"));
        Table weights = Table.read().csv(r.dir().resolve("entropy_weights.csv").toFile());
        String w0 = weights.column("weight").getString(0);
        assertEquals(entropyRow, !(w0.isEmpty() || w0.equals("NaN")), "weight of block 0: " + w0);
        int runs = 2 * p.seeds().size() + (entropyRow ? 1 : 0) + plan.kSweep().size()
                + plan.weightSweep().size();
        assertEquals(runs * 2 * 2, r.rows().rowCount()); // 2 CAMs × 2 threshold protocols
        assertEquals((runs - 2 * (p.seeds().size() - 1)) * 2 * 2, r.summary().rowCount());
        for (String f : List.of("aream_rows.csv", "aream_rows.md", "aream_rows.json",
                "aream_summary.csv", "entropy_weights.csv", "attention_statistics.csv",
                "affinity_entropy_curves.png", "affinity_sparsity_curves.png",
                "class_attention_on_background.png")) {
            assertTrue(Files.size(r.dir().resolve(f)) > 0, f);
        }
        Table s = r.statistics();
        // baseline and AReAM curves of the first seed: logged from the warm-up end to the end
        long steps = s.where(s.stringColumn("run").isEqualTo("uniform seed 0"))
                .longColumn("step").unique().size();
        assertTrue(steps >= 2, "logged steps " + steps);
        // every branch starts from the same warm-up: identical statistics at its first step
        Table b0 = s.where(s.stringColumn("run").isEqualTo("baseline seed 0")
                .and(s.longColumn("step").isEqualTo(p.warmupSteps())));
        Table u0 = s.where(s.stringColumn("run").isEqualTo("uniform seed 0")
                .and(s.longColumn("step").isEqualTo(p.warmupSteps())));
        assertEquals(b0.rowCount(), u0.rowCount());
        assertTrue(b0.rowCount() > 0);
        for (int i = 0; i < b0.rowCount(); i++) {
            assertEquals(b0.doubleColumn("entropy").get(i), u0.doubleColumn("entropy").get(i),
                    1e-6);
        }
        // and the affinity loss moves the deep blocks' attention away from the baseline's
        long last = p.warmupSteps() + p.branchSteps();
        double diff = 0;
        Table bl = s.where(s.stringColumn("run").isEqualTo("baseline seed 0")
                .and(s.longColumn("step").isEqualTo(last)));
        Table ul = s.where(s.stringColumn("run").isEqualTo("uniform seed 0")
                .and(s.longColumn("step").isEqualTo(last)));
        for (int i = 0; i < bl.rowCount(); i++) {
            diff += Math.abs(bl.doubleColumn("entropy").get(i) - ul.doubleColumn("entropy").get(i));
        }
        assertTrue(diff > 0, "AReAM's end statistics equal the baseline's");
        double mIoU = r.rows().doubleColumn("mIoU").min();
        assertTrue(mIoU >= 0 && r.rows().doubleColumn("mIoU").max() <= 1);
        assertEquals(Protocol.DATA_SEED, 0); // the data set is shared by every seed
        Path md = r.dir().resolve("aream_summary.md");
        assertTrue(Files.readString(md).contains("AReAM inference"));
    }
}
