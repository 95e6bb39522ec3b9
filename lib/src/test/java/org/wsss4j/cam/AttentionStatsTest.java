package org.wsss4j.cam;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.wsss4j.runtime.Engines;

class AttentionStatsTest {
    @BeforeAll
    static void engine() {
        Engines.init();
    }

    @Test
    void uniformAttentionHasMaximalEntropyAndNoPreference() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            // 1 class token + 4 patches, uniform rows.
            NDArray a = m.ones(new Shape(1, 2, 5, 5)).div(5f);
            assertEquals(Math.log(4), AttentionStats.patchEntropy(a, 1), 1e-5);
            assertEquals(0.0, AttentionStats.gini(a, 1), 1e-5);
            assertEquals(0.5, AttentionStats.topKMass(a, 1, 2), 1e-5);
            double[] r = AttentionStats.inSegmentRatio(a, 1, new int[][] {{0, 0, 1, 1}});
            assertEquals(1.0, r[0], 1e-5);
            assertEquals(1.0, r[1], 1e-5);
        }
    }

    @Test
    void attentionInsideTheSegmentScoresOneOverItsShare() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            // Patches 0..3; segment 1 = {0}, background = {1,2,3}; each patch attends to itself.
            float[] v = new float[5 * 5];
            for (int i = 1; i < 5; i++) {
                v[i * 5 + i] = 1f;
            }
            v[0] = 1f;
            NDArray a = m.create(v, new Shape(1, 1, 5, 5));
            double[] r = AttentionStats.inSegmentRatio(a, 1, new int[][] {{1, 0, 0, 0}});
            assertEquals(4.0, r[0], 1e-5); // object share 1/4
            assertEquals(4.0 / 3.0, r[1], 1e-5); // background share 3/4
            assertEquals(0.0, AttentionStats.patchEntropy(a, 1), 1e-5);
            assertEquals(0.75, AttentionStats.gini(a, 1), 1e-5); // one-hot over n=4: (n-1)/n
        }
    }
}
