package org.wsss4j.methods.aream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.wsss4j.model.VisionTransformer;
import org.wsss4j.runtime.Engines;
import org.wsss4j.runtime.Seeds;
import org.wsss4j.train.BatchSource;
import org.wsss4j.train.StepLog;
import org.wsss4j.train.TrainConfig;
import org.wsss4j.train.TrainLoop;
import tech.tablesaw.api.Table;

/** The hooks inside the kit's training loop, and the probe set. */
class AreamTrainingTest {
    static final int S = 32;

    @BeforeAll
    static void engine() {
        Engines.init();
    }

    /** Image i: class c present ⇔ a bright square in channel c; also its pixel ground truth. */
    record Sample(float[] image, float[] label, int[] pixels) {}

    static Sample sample(SplittableRandom r) {
        float[] img = new float[3 * S * S];
        float[] lab = new float[3];
        int[] px = new int[S * S];
        for (int k = 0; k < img.length; k++) {
            img[k] = (float) (r.nextDouble() * 0.2);
        }
        for (int c = 0; c < 3; c++) {
            if (r.nextBoolean() || c == 2 && lab[0] + lab[1] == 0) {
                lab[c] = 1;
                int x0 = r.nextInt(S - 12);
                int y0 = r.nextInt(S - 12);
                for (int y = y0; y < y0 + 12; y++) {
                    for (int x = x0; x < x0 + 12; x++) {
                        img[(c * S + y) * S + x] = 1f;
                        px[y * S + x] = c + 1;
                    }
                }
            }
        }
        return new Sample(img, lab, px);
    }

    static BatchSource source() {
        return (step, m) -> {
            SplittableRandom r = Seeds.random(3, step, Seeds.Stream.OTHER);
            int b = 4;
            float[] img = new float[b * 3 * S * S];
            float[] lab = new float[b * 3];
            for (int i = 0; i < b; i++) {
                Sample s = sample(r);
                System.arraycopy(s.image(), 0, img, i * 3 * S * S, 3 * S * S);
                System.arraycopy(s.label(), 0, lab, i * 3, 3);
            }
            return new BatchSource.Batch(m.create(img, new Shape(b, 3, S, S)),
                    m.create(lab, new Shape(b, 3)));
        };
    }

    static ProbeSet probe(int n) {
        SplittableRandom r = Seeds.random(9, 0, Seeds.Stream.OTHER);
        float[] img = new float[n * 3 * S * S];
        float[][] lab = new float[n][];
        int[][] px = new int[n][];
        for (int i = 0; i < n; i++) {
            Sample s = sample(r);
            System.arraycopy(s.image(), 0, img, i * 3 * S * S, 3 * S * S);
            lab[i] = s.label();
            px[i] = s.pixels();
        }
        return ProbeSet.of(img, n, S, S, lab, px, 8);
    }

    @Test
    void probeTokensTakeTheMajorityLabelOfTheirPixels() {
        // one 4x4 image, patch 2: token 0 three 1s and a 0 → 1; token 1 tie 2/0 → 0;
        // token 2 all 255 → 255; token 3 two 255, one 3, one 0 → tie 0/3 → 0
        int[] px = {
            1, 1, 2, 2,
            1, 0, 0, 0,
            255, 255, 255, 3,
            255, 255, 255, 0
        };
        ProbeSet p = ProbeSet.of(new float[3 * 16], 1, 4, 4, new float[][] {{1, 1, 1}},
                new int[][] {px}, 2);
        assertArrayEquals(new int[] {1, 0, 255, 0}, p.tokenSegments()[0]);
        assertArrayEquals(new boolean[] {false, true, false, true}, p.background()[0]);
    }

    @Test
    void lossStartsAtTheWarmUpEndAndStatisticsAreLogged() throws Exception {
        TrainConfig cfg = new TrainConfig(7, 6, 3e-3, 0.05, 1, 0.1, 1.0, 0.0, 0);
        AffinityLossHook aream = new AffinityLossHook(AreamConfig.PAPER.withStartStep(2));
        AttentionStatsHook stats = new AttentionStatsHook(probe(6), 0, 2);
        try (VisionTransformer model = new VisionTransformer(AffinityLossTest.TINY,
                        Engines.device(), 1);
                TrainLoop loop = new TrainLoop(model, cfg, List.of(aream, stats))) {
            loop.run(source(), 0, 4, null, "test", "test", 4);
            stats.measure(model, 4);
            List<StepLog> h = loop.history();
            assertEquals(4, h.size());
            String term = "aream." + AffinityLossHook.TERM;
            for (StepLog s : h) {
                boolean on = s.step() >= 2;
                assertEquals(on, s.terms().containsKey(term), "step " + s.step());
                if (on) {
                    double aff = s.terms().get(term);
                    assertTrue(aff > 0 && aff < 0.1, "weighted term " + aff); // 0.1 · L, L ≤ 1
                }
            }
            assertEquals(2, aream.targetStats().size());
            // logged at steps 0 and 2 by the hook, 4 by hand; one row per block
            List<BlockStats> series = stats.series();
            assertEquals(3 * 4, series.size());
            assertArrayEquals(new long[] {0, 2, 4},
                    series.stream().mapToLong(BlockStats::step).distinct().toArray());
            double maxEntropy = Math.log(16);
            for (BlockStats b : series) {
                assertTrue(b.entropy() > 0 && b.entropy() <= maxEntropy + 1e-4, b.toString());
                assertTrue(b.gini() >= 0 && b.gini() < 1, b.toString());
                assertTrue(b.topKMass() >= 2.0 / 16 - 1e-6 && b.topKMass() <= 1, b.toString());
                assertEquals(2, b.topK());
                assertTrue(b.classAttentionOnBackground() >= 0
                        && b.classAttentionOnBackground() <= 1, b.toString());
            }
            // the same numbers come back from the saved history (what a cached run has)
            List<BlockStats> logged = AttentionStatsHook.fromHistory(h);
            assertEquals(series.subList(0, 8), logged);
            assertTrue(h.get(2).terms().containsKey("aream.pairsIgnored"));
            Table t = BlockStats.table("aream", series);
            assertEquals(12, t.rowCount());
            assertFalse(stats.logs(1));
        }
    }
}
