package org.wsss4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.wsss4j.runtime.Engines;

/** Stochastic depth: DeiT's linear rates, whole samples dropped, expectation kept, replayable. */
class DropPathTest {
    @BeforeAll
    static void engine() {
        Engines.init();
    }

    @Test
    void ratesRiseLinearlyOverTheDepth() {
        DropPath dp = new DropPath(0.1, 6, 0, 0);
        assertEquals(0.0, dp.rate(0), 1e-15);
        assertEquals(0.04, dp.rate(2), 1e-15);
        assertEquals(0.1, dp.rate(5), 1e-15);
        assertEquals(0.3, new DropPath(0.3, 1, 0, 0).rate(0), 1e-15);
    }

    @Test
    void blockZeroIsLeftAlone() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.ones(new Shape(4, 3, 2));
            assertSame(x, new DropPath(0.5, 6, 1, 1).apply(x, 0));
        }
    }

    /** Every sample is either zeroed whole or scaled by 1/(1 − r), and the mean stays near 1. */
    @Test
    void dropsWholeSamplesAndKeepsTheExpectation() {
        try (NDManager m = NDManager.newBaseManager()) {
            int batch = 4000;
            NDArray x = m.ones(new Shape(batch, 3, 2));
            float[] y = new DropPath(0.5, 2, 7, 11).apply(x, 1).toFloatArray();
            int dropped = 0;
            for (int i = 0; i < batch; i++) {
                float first = y[i * 6];
                assertTrue(first == 0f || Math.abs(first - 2f) < 1e-6, "sample " + i + ": " + first);
                for (int j = 1; j < 6; j++) {
                    assertEquals(first, y[i * 6 + j], "sample " + i + " is dropped only in part");
                }
                dropped += first == 0f ? 1 : 0;
            }
            // Binomial(4000, 0.5): sd 32, so ±160 is five sd.
            assertEquals(batch / 2.0, dropped, 160, "dropped samples");
        }
    }

    /** The draws come from (seed, step, block): a resumed run drops the same samples. */
    @Test
    void drawsReplayFromSeedStepAndBlock() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.ones(new Shape(64, 1, 1));
            float[] a = new DropPath(0.5, 3, 5, 9).apply(x, 2).toFloatArray();
            float[] b = new DropPath(0.5, 3, 5, 9).apply(x, 2).toFloatArray();
            float[] otherStep = new DropPath(0.5, 3, 5, 10).apply(x, 2).toFloatArray();
            float[] otherBlock = new DropPath(0.5, 3, 5, 9).apply(x, 1).toFloatArray();
            assertArrayEquals(a, b);
            assertTrue(!java.util.Arrays.equals(a, otherStep), "another step draws anew");
            assertTrue(!java.util.Arrays.equals(a, otherBlock), "another block draws anew");
        }
    }
}
