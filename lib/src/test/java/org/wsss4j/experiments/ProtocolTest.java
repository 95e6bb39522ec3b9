package org.wsss4j.experiments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wsss4j.train.TinyTraining.flatten;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.wsss4j.runtime.Engines;
import org.wsss4j.runtime.Profile;
import org.wsss4j.runtime.WsssPaths;
import org.wsss4j.train.StepLog;
import org.wsss4j.train.TrainState;

/** The warm-up + branch protocol on the smoke profile (WSSS4J_HOME points into target/). */
class ProtocolTest {
    static final Profile SMOKE = Profile.SMOKE.withSeeds(List.of(0L));

    @BeforeAll
    static void engine() {
        Engines.init();
        assertTrue(WsssPaths.home().toString().contains("target"),
                "tests must run with WSSS4J_HOME under target/, got " + WsssPaths.home());
    }

    @Test
    void trainingUsesThePresetsStochasticDepth() {
        // The recipe's drop-path rate comes from the model preset: MCTformer's DeiT-S trains with
        // 0.1, the from-scratch tiny model without (its warm-ups were trained so).
        assertEquals(0.1, new Protocol(Profile.VOC).trainConfig(0).dropPath(), 1e-12);
        assertEquals(0.1, new Protocol(Profile.FULL).trainConfig(0).dropPath(), 1e-12);
        assertEquals(0.0, new Protocol(Profile.QUICK).trainConfig(0).dropPath(), 1e-12);
    }

    @Test
    void warmupIsCachedAndBranchesContinueItOverTheSameBatches() throws IOException {
        Protocol p = new Protocol(SMOKE);
        List<StepLog> first;
        try (Protocol.Trained w = p.warmup(0)) {
            first = w.history();
        }
        assertEquals(SMOKE.warmupSteps(), first.size());
        assertTrue(TrainState.exists(p.warmupDir(0)));
        long stamp = Files.getLastModifiedTime(p.warmupDir(0).resolve("state.json")).toMillis();
        try (Protocol.Trained again = p.warmup(0)) {
            // Loaded, not retrained: same history, the checkpoint untouched.
            assertEquals(first, again.history());
        }
        assertEquals(stamp,
                Files.getLastModifiedTime(p.warmupDir(0).resolve("state.json")).toMillis());

        float[] a;
        float[] b;
        try (Protocol.Trained x = p.branch(0, "row-a", List.of())) {
            assertEquals(SMOKE.totalSteps(), x.history().size());
            assertEquals(first, x.history().subList(0, SMOKE.warmupSteps()));
            a = flatten(x.model());
        }
        try (Protocol.Trained y = p.branch(0, "row-b", List.of(p.attentionLog()))) {
            b = flatten(y.model());
        }
        // An observer-only row equals the plain row: same warm-up, same batches, same steps.
        assertArrayEquals(a, b);
        assertTrue(p.warmupKey(0).matches("[0-9a-f]{12}"));
    }

    @Test
    void aShippedWarmupIsCopiedInsteadOfTrained(@org.junit.jupiter.api.io.TempDir Path shipped)
            throws IOException {
        System.setProperty("wsss4j.shipped", shipped.toString());
        try {
            Protocol p = new Protocol(SMOKE);
            List<StepLog> first;
            try (Protocol.Trained w = p.warmup(0)) {
                first = w.history();
            }
            Path to = p.shipWarmup(0);
            assertEquals(p.shippedWarmup(0), to);
            assertTrue(to.startsWith(shipped) && TrainState.exists(to), to.toString());
            // Lose the cache: the warm-up comes back from the shipped copy, not from training
            // (a retrain would log other step times).
            Protocol.deleteTree(p.warmupDir(0));
            try (Protocol.Trained again = p.warmup(0)) {
                assertEquals(first, again.history());
            }
            assertArrayEquals(Files.readAllBytes(to.resolve("model.safetensors")),
                    Files.readAllBytes(p.warmupDir(0).resolve("model.safetensors")));
        } finally {
            System.clearProperty("wsss4j.shipped");
        }
    }

    @Test
    void anInterruptedWarmupIsFinishedBeforeABranchStarts() throws IOException {
        // Seed 7 is used by no other test: this one rewrites its cache and removes it after.
        Protocol p = new Protocol(Profile.SMOKE.withSeeds(List.of(7L)));
        Path warm = p.warmupDir(7);
        try {
            p.warmup(7).close();
            // Make the cached warm-up look interrupted after 2 steps (what a killed run leaves).
            Path state = warm.resolve("state.json");
            com.google.gson.JsonObject meta = com.google.gson.JsonParser.parseString(
                    Files.readString(state)).getAsJsonObject();
            meta.addProperty("nextStep", 2);
            com.google.gson.JsonArray history = meta.getAsJsonArray("history");
            while (history.size() > 2) {
                history.remove(history.size() - 1);
            }
            Files.writeString(state, meta.toString());
            assertFalse(Protocol.reached(warm, SMOKE.warmupSteps()));

            try (Protocol.Trained x = p.branch(7, "row-after-interrupt", List.of())) {
                assertEquals(SMOKE.totalSteps(), x.history().size());
            }
            assertEquals(SMOKE.warmupSteps(), TrainState.readMeta(warm).nextStep(),
                    "the branch must finish the interrupted warm-up in its own folder");
        } finally {
            Protocol.deleteTree(warm.getParent());
        }
    }

    @Test
    void fingerprintIsStableWithinAJvm() {
        assertEquals(BehaviourFingerprint.training(), BehaviourFingerprint.training());
        assertTrue(BehaviourFingerprint.training().matches("[0-9a-f]{12}"));
    }

    @Test
    void baselineExperimentWritesItsTablesAndGates() throws IOException {
        Path dir = new BaselineExperiment().run(SMOKE);
        assertTrue(dir.startsWith(WsssPaths.results()));
        assertTrue(WsssPaths.results().toString().contains("target"));
        for (String f : List.of("cam_rows.csv", "cam_summary.csv", "gates.csv", "gates.md",
                "gates.json", "entropy_over_training.png", "cam_overlays.png",
                "error_anatomy.csv", "error_anatomy.md", "class_anatomy.csv", "class_anatomy.md",
                "fp_sources.csv", "fp_sources.md")) {
            assertTrue(Files.size(dir.resolve(f)) > 0, f);
        }
        String gates = Files.readString(dir.resolve("gates.csv"));
        assertTrue(gates.contains("classification mAP") && gates.contains("noise floor"));
        // Synthetic data: gate 2's ideal-part-map reference follows gate 2, informative only.
        tech.tablesaw.api.Table g = tech.tablesaw.api.Table.read().csv(dir.resolve("gates.csv")
                .toFile());
        int two = -1;
        for (int i = 0; i < g.rowCount(); i++) {
            if (g.getString(i, "gate").startsWith("2 ")) {
                two = i;
            }
        }
        assertTrue(two >= 0 && g.getString(two + 1, "gate").startsWith("2a reference"),
                g.print());
        assertEquals("yes", g.getString(two + 1, "pass"));
        assertTrue(g.getString(two + 1, "measured").matches(
                "precision [01]\\.\\d{3}, recall [01]\\.\\d{3} \\([+-]\\d+\\.\\d points\\), "
                        + "threshold 0\\.\\d{2}"), g.getString(two + 1, "measured"));
        // One anatomy row per seed and map kind; the synthetic data has part masks, so the
        // region means are numbers, and the FP shares of a row sum to 1 where there are FP.
        tech.tablesaw.api.Table a = tech.tablesaw.api.Table.read()
                .csv(dir.resolve("error_anatomy.csv").toFile());
        assertEquals(SMOKE.seeds().size() * org.wsss4j.cam.CamKind.values().length, a.rowCount());
        for (int i = 0; i < a.rowCount(); i++) {
            double sum = 0;
            for (String b : org.wsss4j.eval.ErrorAnatomy.FP_BINS) {
                sum += a.numberColumn("FP share " + b).getDouble(i);
            }
            // The CSV rounds each share to 4 decimals: five bins sum to 1 within 5 × 0.5e-4.
            assertTrue(Double.isNaN(sum) || Math.abs(sum - 1) <= 2.5e-4 + 1e-12,
                    "row " + i + ": " + sum);
            assertTrue(!Double.isNaN(a.numberColumn("mean on part").getDouble(i)), "row " + i);
        }
        // What the false positives fall on: the synthetic data has backdrop maps, so each row's
        // sources are numbers and, with other objects, cover every false positive.
        tech.tablesaw.api.Table src = tech.tablesaw.api.Table.read()
                .csv(dir.resolve("fp_sources.csv").toFile());
        assertEquals(a.rowCount(), src.rowCount());
        for (int i = 0; i < src.rowCount(); i++) {
            double sum = src.numberColumn("FP share on other object").getDouble(i);
            for (String b : org.wsss4j.eval.ErrorAnatomy.BACKDROPS) {
                sum += src.numberColumn("FP share on " + b).getDouble(i);
            }
            // Seven shares, each rounded to 4 decimals in the CSV.
            assertTrue(Double.isNaN(a.numberColumn("FP share other object").getDouble(i))
                    ? Double.isNaN(sum) : Math.abs(sum - 1) <= 3.5e-4 + 1e-12,
                    "row " + i + ": " + sum);
        }
        // Per class: each seed and map kind's rows count every map once, and their FP shares
        // add up to the kind's (1 where there are false positives).
        tech.tablesaw.api.Table c = tech.tablesaw.api.Table.read()
                .csv(dir.resolve("class_anatomy.csv").toFile());
        org.wsss4j.data.VocDataset train = new Protocol(SMOKE).dataset("train");
        int labelMaps = 0;
        for (int i = 0; i < train.size(); i++) {
            labelMaps += train.labels(i).length;
        }
        for (int i = 0; i < a.rowCount(); i++) {
            String method = a.stringColumn("method").get(i);
            int seed = a.intColumn("seed").getInt(i);
            double fp = 0;
            int maps = 0;
            for (int j = 0; j < c.rowCount(); j++) {
                if (c.stringColumn("method").get(j).equals(method)
                        && c.intColumn("seed").getInt(j) == seed) {
                    fp += c.numberColumn("FP share").getDouble(j);
                    maps += c.intColumn("maps").getInt(j);
                }
            }
            assertEquals(labelMaps, maps, method + " seed " + seed + ": one map per label");
            assertTrue(Double.isNaN(fp) || Math.abs(fp - 1) <= 20 * 0.5e-4 + 1e-12,
                    method + " seed " + seed + ": " + fp);
        }
    }
}
