package org.wsss4j.experiments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import ai.djl.Device;
import org.wsss4j.data.VocDataset;
import org.wsss4j.eval.ClassMaps;
import org.wsss4j.model.VisionTransformer;
import org.wsss4j.eval.ObjectSizeRecall;
import org.wsss4j.methods.smaf.SmafConfig;
import org.wsss4j.runtime.Engines;
import org.wsss4j.runtime.Profile;
import org.wsss4j.train.TrainState;
import org.wsss4j.report.Tables;
import tech.tablesaw.api.Table;

/** The whole SMAF notebook path on the smoke profile (results go under target/). */
class SmafExperimentTest {
    @BeforeAll
    static void engine() {
        Engines.init();
    }

    @Test
    void everyScaleSetFromSharedPassesEqualsItsOwnFusion() throws Exception {
        Protocol protocol = new Protocol(Profile.SMOKE);
        VocDataset val = protocol.dataset("val");
        try (VisionTransformer model = new VisionTransformer(protocol.modelConfig(),
                Device.cpu(), 3)) {
            List<SmafExperiment.Fusion> all = new java.util.ArrayList<>();
            for (List<Double> scales : SmafExperiment.SCALE_SETS) {
                for (boolean flip : new boolean[] {false, true}) {
                    all.add(new SmafExperiment.Fusion(scales, flip));
                }
            }
            Map<SmafExperiment.Fusion, List<ClassMaps>> shared =
                    SmafExperiment.fusedMaps(model, val, all, 5);
            assertEquals(all.size(), shared.size());
            for (SmafExperiment.Fusion f : all) {
                String name = f.name();
                List<ClassMaps> own = CamEvaluation.maps(model, val,
                        SmafExperiment.fusedCam(f.scales(), f.flip()), 5);
                List<ClassMaps> got = shared.get(f);
                assertEquals(own.size(), got.size(), name);
                for (int i = 0; i < own.size(); i++) {
                    assertEquals(own.get(i).id(), got.get(i).id());
                    for (int l = 0; l < own.get(i).maps().length; l++) {
                        assertArrayEquals(own.get(i).maps()[l], got.get(i).maps()[l], 1e-6f,
                                name + " " + own.get(i).id());
                    }
                }
            }
        }
    }

    @Test
    void smokeRunWritesEveryRowAndKeepsTheProtocol() throws Exception {
        long t0 = System.nanoTime();
        SmafExperiment.Session s =
                new SmafExperiment(SmafExperiment.Options.DEFAULT.withTwoRounds(true))
                        .session(Profile.SMOKE);
        s.fusionRows();
        s.selfTrainingRows();
        Path dir = s.write();
        System.out.printf("SMAF smoke run: %.1f s%n", (System.nanoTime() - t0) / 1e9);
        for (String f : List.of("smaf_rows.csv", "smaf_rows.md", "smaf_rows.json",
                "smaf_summary.csv", "smaf_honest.csv", "size_buckets.csv", "smaf_miou.png",
                "object_recall_by_size.png", "smaf_overlays.png")) {
            assertTrue(Files.isRegularFile(dir.resolve(f)), "missing " + f);
        }
        Table rows = s.rows();
        Set<String> variants = rows.stringColumn(Tables.VARIANT).asList().stream()
                .collect(Collectors.toSet());
        for (String v : List.of("single scale {1}", "{1} + flip", "{0.5, 1, 1.5}",
                "{0.5, 1, 1.5} + flip", "{0.5, 1, 1.5, 2}", "{0.5, 1, 1.5, 2} + flip",
                "without denoise", "without reactivation", "without denoise and reactivation",
                "denoise + reactivate, target bg 0.2 (paper)",
                "2 rounds (round 2's teacher = round 1's student)")) {
            assertTrue(variants.contains(v), "no row '" + v + "' in " + variants);
        }
        // Three threshold protocols per row: val-chosen, oracle on train, the paper's 0.2.
        Set<String> protocols = rows.stringColumn(Tables.THRESHOLD_SPLIT).asList().stream()
                .collect(Collectors.toSet());
        assertEquals(Set.of("val", "oracle (train)", "paper"), protocols);
        assertTrue(rows.stringColumn(Tables.SPLIT).asList().stream().allMatch("train"::equals));

        List<SmafExperiment.RowResult> res = s.results();
        int seeds = Profile.SMOKE.seeds().size();
        assertEquals(seeds, count(res, SmafExperiment.BASELINE_CAM));
        assertEquals(seeds, count(res, SmafExperiment.TEACHER));
        for (long seed : Profile.SMOKE.seeds()) {
            SmafExperiment.RowResult teacher = find(res, SmafExperiment.TEACHER, seed, null);
            SmafExperiment.RowResult main = find(res, SmafExperiment.SELF_TRAINING, seed,
                    SmafExperiment.MAIN_VARIANT);
            // The main row's target constant is the one val chose for the teacher's fused maps.
            assertEquals(teacher.scores().get(0).threshold(), main.targetBackground(), 1e-9);
            assertEquals("val", main.scores().get(0).thresholdSplit());
            assertEquals(Profile.SMOKE.branchSteps(), main.steps());
            // The one-round control is the baseline branch fused like the teacher.
            SmafExperiment.RowResult control = find(res, SmafExperiment.CONTROL, seed,
                    "+" + Profile.SMOKE.branchSteps() + " steps");
            SmafExperiment.RowResult fused = find(res, SmafExperiment.FUSED, seed,
                    "{0.5, 1, 1.5, 2} + flip");
            assertEquals(fused.scores().get(0).metrics().mIoU(),
                    control.scores().get(0).metrics().mIoU(), 0.0);
        }
        SmafExperiment.RowResult twoRounds = find(res, SmafExperiment.SELF_TRAINING, 0L,
                "2 rounds");
        assertEquals(2 * Profile.SMOKE.branchSteps(), twoRounds.steps());
        find(res, SmafExperiment.CONTROL, 0L, "+" + 2 * Profile.SMOKE.branchSteps() + " steps");
        for (SmafExperiment.RowResult r : res) {
            for (var m : r.recall()) {
                for (ObjectSizeRecall.BucketSummary b : m.values()) {
                    double v = b.meanRecall();
                    assertTrue(Double.isNaN(v) ? b.objects() == 0 : v >= 0 && v <= 1,
                            r.variant() + ": recall " + v);
                }
            }
        }
        Table buckets = s.sizeBucketsTable();
        assertEquals(3, buckets.rowCount());
        // The honest summary carries the noise label against the 3-seed baseline CAM, and the
        // main row aggregates its seeds.
        Table honest = s.honestSummary();
        assertTrue(honest.columnNames().contains(Tables.MIOU + "_noise"));
        assertEquals(SmafExperiment.BASELINE_CAM, honest.stringColumn(Tables.METHOD).get(0));
        Table mainRow = honest.where(honest.stringColumn(Tables.VARIANT)
                .isEqualTo(SmafExperiment.MAIN_VARIANT));
        assertEquals(1, mainRow.rowCount());
        assertEquals(seeds, mainRow.intColumn(Tables.N).get(0));

        // Round 2 left its own resumable checkpoint beside round 1's branch, so a rerun of the
        // notebook loads it instead of training again.
        SmafConfig main = SmafConfig.PAPER.withBackground(
                find(res, SmafExperiment.TEACHER, 0L, null).scores().get(0).threshold());
        String key = SmafExperiment.rowKey(main);
        Path round1 = new Protocol(Profile.SMOKE).warmupDir(0).resolveSibling(
                Protocol.safe(key) + "-" + Profile.SMOKE.branchSteps());
        Path round2 = round1.resolveSibling(Protocol.safe(key + "-round2") + "-"
                + Profile.SMOKE.branchSteps());
        assertTrue(TrainState.exists(round1), "no round-1 checkpoint " + round1);
        assertTrue(TrainState.exists(round2), "no round-2 checkpoint " + round2);
        assertTrue(Files.isRegularFile(round2.resolve("extra.safetensors")),
                "the head is checkpointed with round 2");
        assertEquals(Profile.SMOKE.warmupSteps() + 2L * Profile.SMOKE.branchSteps(),
                TrainState.readMeta(round2).nextStep());
    }

    @Test
    void rowKeyChangesWithEverySwitch() {
        SmafConfig c = SmafConfig.PAPER;
        List<SmafConfig> all = List.of(c, c.withDenoise(false), c.withReactivate(false),
                c.withBackground(0.3), c.withFlip(false), c.withScales(List.of(1.0)),
                c.withLossWeight(10), c.withTargetScale(1));
        Set<String> keys = all.stream().map(SmafExperiment::rowKey).collect(Collectors.toSet());
        assertEquals(all.size(), keys.size());
    }

    private static long count(List<SmafExperiment.RowResult> res, String method) {
        return res.stream().filter(r -> r.method().equals(method)).count();
    }

    private static SmafExperiment.RowResult find(List<SmafExperiment.RowResult> res,
            String method, long seed, String variantPart) {
        return res.stream()
                .filter(r -> r.method().equals(method) && r.seed() == seed
                        && (variantPart == null || r.variant().contains(variantPart)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no row " + method + " / " + variantPart
                        + " for seed " + seed));
    }
}
