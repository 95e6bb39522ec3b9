package org.wsss4j.methods.aream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.wsss4j.runtime.Engines;

/** Pseudo segmentation (dual thresholds, ignore rule) and the token-pair affinity label. */
class AffinityTargetTest {
    @BeforeAll
    static void engine() {
        Engines.init();
    }

    static long[] longs(NDArray a) {
        return a.toType(DataType.INT64, false).toLongArray();
    }

    @Test
    void dualThresholdsFollowTheIgnoreRule() {
        try (NDManager m = NDManager.newBaseManager(Engines.device())) {
            // high: fg 2 | bg | bg | fg 3 ; low: fg 2 | fg 1 | bg | fg 3
            NDArray high = m.create(new long[] {2, 0, 0, 3}, new Shape(1, 2, 2));
            NDArray low = m.create(new long[] {2, 1, 0, 3}, new Shape(1, 2, 2));
            assertArrayEquals(new long[] {2, 255, 0, 3},
                    longs(PseudoSegmentation.combine(high, low)));
            // fg at s_h wins even where s_l would say another class
            NDArray low2 = m.create(new long[] {1, 0, 0, 0}, new Shape(1, 2, 2));
            assertArrayEquals(new long[] {2, 0, 0, 3},
                    longs(PseudoSegmentation.combine(high, low2)));
        }
    }

    @Test
    void thresholdingKeepsBackgroundAndLabelClassesOnly() {
        try (NDManager m = NDManager.newBaseManager(Engines.device())) {
            // 1 image 4x4, 2 classes; label = class 1 only. Class 1 is 0.9 on the left half and
            // 0.4 on the right; class 0 (not in the label) is 1 everywhere and must be ignored.
            float[] cam = new float[2 * 16];
            for (int r = 0; r < 4; r++) {
                for (int c = 0; c < 4; c++) {
                    cam[r * 4 + c] = 1f;
                    cam[16 + r * 4 + c] = c < 2 ? 0.9f : 0.4f;
                }
            }
            NDArray maps = m.create(cam, new Shape(1, 2, 4, 4));
            NDArray labels = m.create(new float[] {0f, 1f}, new Shape(1, 2));
            NDArray img = m.zeros(new Shape(1, 3, 4, 4));
            Par identity = new Par(new int[] {1}, 0, 0.3, 0.01);
            long[] left = {2, 2, 0, 0};
            // s = 0.55: 0.9 > 0.55 → class value 2 on the left; 0.4 < 0.55 → background right
            long[] high = longs(PseudoSegmentation.atScore(identity, img, labels, maps, 0.55));
            for (int r = 0; r < 4; r++) {
                assertArrayEquals(left, java.util.Arrays.copyOfRange(high, r * 4, r * 4 + 4));
            }
            // s = 0.35: class 1 wins everywhere
            long[] low = longs(PseudoSegmentation.atScore(identity, img, labels, maps, 0.35));
            for (long v : low) {
                assertEquals(2, v);
            }
            // together: left class 2, right uncertain
            NDArray seg = PseudoSegmentation.combine(
                    PseudoSegmentation.atScore(identity, img, labels, maps, 0.55),
                    PseudoSegmentation.atScore(identity, img, labels, maps, 0.35));
            assertArrayEquals(new long[] {2, 2, 255, 255}, java.util.Arrays.copyOf(longs(seg), 4));
            // With PAR the evidence spreads along appearance: on a flat image the two halves mix
            // until they agree (class 1 has more mass, so it wins everywhere) ...
            Par par = new Par(new int[] {1}, 10, 0.3, 0.01);
            for (long v : longs(PseudoSegmentation.atScore(par, img, labels, maps, 0.55))) {
                assertEquals(2, v);
            }
            // ... while an edge between the halves keeps them apart.
            float[] edge = new float[3 * 16];
            for (int k = 0; k < edge.length; k++) {
                edge[k] = (k % 4) < 2 ? 0f : 1f;
            }
            NDArray edged = m.create(edge, new Shape(1, 3, 4, 4));
            long[] kept = longs(PseudoSegmentation.atScore(par, edged, labels, maps, 0.55));
            for (int r = 0; r < 4; r++) {
                assertArrayEquals(left, java.util.Arrays.copyOfRange(kept, r * 4, r * 4 + 4));
            }
            assertThrows(IllegalArgumentException.class, () -> PseudoSegmentation.atScore(identity,
                    m.zeros(new Shape(1, 3, 3, 3)), labels, m.zeros(new Shape(1, 2, 3, 3)), 0.5));
        }
    }

    @Test
    void aBatchGivesEachImageTheLabelOfItsOwnKeptChannels() {
        try (NDManager m = NDManager.newBaseManager(Engines.device())) {
            // image 0 labelled {0, 2}, image 1 {1}, image 2 none: the batch pads images 1 and 2
            NDArray labels = m.create(new float[] {1, 0, 1, 0, 1, 0, 0, 0, 0}, new Shape(3, 3));
            NDArray cam = m.randomUniform(0f, 1f, new Shape(3, 3, 8, 8))
                    .mul(labels.reshape(3, 3, 1, 1));
            NDArray img = m.randomUniform(0f, 1f, new Shape(3, 3, 8, 8));
            Par par = new Par(new int[] {1, 2}, 10, 0.3, 0.01);
            long[] batch = longs(PseudoSegmentation.atScore(par, img, labels, cam, 0.4));
            for (int i = 0; i < 3; i++) {
                String r = i + ":" + (i + 1);
                long[] one = longs(PseudoSegmentation.atScore(par, img.get(r), labels.get(r),
                        cam.get(r), 0.4));
                assertArrayEquals(one, java.util.Arrays.copyOfRange(batch, i * 64, i * 64 + 64));
                for (long v : one) {
                    assertTrue(i == 0 ? v == 0 || v == 1 || v == 3 : i == 1 ? v == 0 || v == 2
                            : v == 0, "image " + i + " got label " + v);
                }
            }
        }
    }

    @Test
    void affinityLabelComparesTokensAndIgnores255() {
        try (NDManager m = NDManager.newBaseManager(Engines.device())) {
            // 4x4 pixels, 2x2 tokens of 2x2 pixels; each token reads its top-left pixel (nearest).
            // Top-left pixels: t0 = 1, t1 = 0, t2 = 255, t3 = 1; the other pixels say otherwise.
            int[] px = {
                1, 7, 0, 7,
                7, 7, 7, 7,
                255, 7, 1, 7,
                7, 7, 7, 7
            };
            NDArray seg = m.create(px, new Shape(1, 4, 4));
            NDArray y = AffinityLabels.fromSegmentation(seg, 2, 2);
            assertEquals(new Shape(1, 4, 4), y.getShape());
            float[] want = {
                1, 0, 255, 1,
                0, 1, 255, 0,
                255, 255, 255, 255,
                1, 0, 255, 1
            };
            assertArrayEquals(want, y.toFloatArray());
        }
    }

    @Test
    void layerSetsAreNonEmptyForEveryDepth() {
        for (int depth = 2; depth <= 12; depth++) {
            for (int k = 1; k <= 11; k++) {
                AreamConfig cfg = AreamConfig.PAPER.withLayerIndex(k);
                assertTrue(cfg.shallowBlocks(depth).length > 0, "depth " + depth + " K " + k);
                assertTrue(cfg.deepBlocks(depth).length > 0, "depth " + depth + " K " + k);
                assertEquals(depth,
                        cfg.shallowBlocks(depth).length + cfg.deepBlocks(depth).length);
            }
        }
        // methods.md Part 1: L = 6, K = 7 → shallow {0..3}, deep {4, 5}
        assertArrayEquals(new int[] {0, 1, 2, 3}, AreamConfig.PAPER.shallowBlocks(6));
        assertArrayEquals(new int[] {4, 5}, AreamConfig.PAPER.deepBlocks(6));
        assertArrayEquals(new int[] {7, 8, 9, 10, 11}, AreamConfig.PAPER.deepBlocks(12));
        // entropy weights: shallow 1 − e, deep e
        List<Double> e = List.of(0.0, 0.2, 0.4, 0.6, 0.8, 1.0);
        AreamConfig ent = AreamConfig.PAPER.withEntropyWeights(e);
        assertArrayEquals(new double[] {1.0, 0.8, 0.6, 0.4}, ent.shallowWeights(6), 1e-12);
        assertArrayEquals(new double[] {0.8, 1.0}, ent.deepWeights(6), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> ent.deepWeights(12));
        assertThrows(IllegalArgumentException.class,
                () -> AreamConfig.PAPER.withEntropyWeights(List.of()));
    }
}
