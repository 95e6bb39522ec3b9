package org.wsss4j.methods.smaf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.wsss4j.runtime.Engines;

class SmafTargetTest {
    @BeforeAll
    static void engine() {
        Engines.init();
    }

    /** Fused maps of 3 classes over 4 pixels (one row); class 2 is absent from the label. */
    static final float[][] FUSED = {
        {0.8f, 0.1f, 0f, 0.6f}, // class 1
        {0.5f, 0.9f, 0f, 0.6f}, // class 2 (absent)
        {0.4f, 0.15f, 1f, 0.3f} // class 3
    };

    static NDArray fused(NDManager m) {
        float[] v = new float[12];
        for (int c = 0; c < 3; c++) {
            System.arraycopy(FUSED[c], 0, v, c * 4, 4);
        }
        return m.create(v, new Shape(1, 3, 1, 4));
    }

    static float[] channel(NDArray t, int c) {
        return t.get("0, " + c + ", 0").toFloatArray();
    }

    @Test
    void denoiseAndReactivateByHand() {
        try (NDManager m = NDManager.newBaseManager(Engines.device())) {
            NDArray labels = m.create(new float[] {1, 0, 1}, new Shape(1, 3));
            NDArray t = SmafTarget.build(fused(m), labels, SmafConfig.PAPER);
            assertEquals(new Shape(1, 4, 1, 4), t.getShape());
            // [bg 0.2, c1, c2 masked, c3] / per-pixel max
            assertArrayEquals(new float[] {0.25f, 1f, 0.2f, 1f / 3}, channel(t, 0), 1e-6f);
            assertArrayEquals(new float[] {1f, 0.5f, 0f, 1f}, channel(t, 1), 1e-6f);
            assertArrayEquals(new float[] {0f, 0f, 0f, 0f}, channel(t, 2), 0f);
            assertArrayEquals(new float[] {0.5f, 0.75f, 1f, 0.5f}, channel(t, 3), 1e-6f);
        }
    }

    @Test
    void maximumIsOneAbsentClassesZeroAndWeakPixelsBackground() {
        try (NDManager m = NDManager.newBaseManager(Engines.device())) {
            NDArray fused = m.randomUniform(0f, 1f, new Shape(3, 5, 6, 7));
            // Image 0: every class below the background constant on its left half.
            fused.set(new ai.djl.ndarray.index.NDIndex("0, :, :, :3"), 0.19f);
            NDArray labels = m.create(new float[] {1, 0, 1, 0, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0},
                    new Shape(3, 5));
            NDArray t = SmafTarget.build(fused, labels, SmafConfig.PAPER);
            NDArray max = t.max(new int[] {1});
            assertEquals(0f, max.sub(1f).abs().max().getFloat(), 1e-6f, "per-pixel max is 1");
            float[] lab = labels.toFloatArray();
            for (int b = 0; b < 3; b++) {
                for (int c = 0; c < 5; c++) {
                    if (lab[b * 5 + c] == 0) {
                        assertEquals(0f, t.get(b + ", " + (c + 1)).abs().max().getFloat(), 0f,
                                "absent class " + (c + 1) + " of image " + b);
                    }
                }
            }
            // All-below-background pixels: background 1, each class its value / 0.2 < 1.
            NDArray weak = t.get("0, :, :, :3");
            assertEquals(1f, weak.get("0").min().getFloat(), 1e-6f);
            assertTrue(weak.get("1:").max().getFloat() < 1f);
            assertEquals(0.19f / 0.2f, weak.get("1").max().getFloat(), 1e-5f);
            // Image 2 has no class at all: background everywhere.
            assertEquals(1f, t.get("2, 0").min().getFloat(), 1e-6f);
            assertEquals(0f, t.get("2, 1:").max().getFloat(), 0f);
        }
    }

    @Test
    void switchesTurnEachStepOff() {
        try (NDManager m = NDManager.newBaseManager(Engines.device())) {
            NDArray labels = m.create(new float[] {1, 0, 1}, new Shape(1, 3));
            NDArray noDenoise = SmafTarget.build(fused(m), labels, 0.2, false, true);
            // Class 2 keeps its fused value / per-pixel max (0.9 wins pixel 1).
            assertArrayEquals(new float[] {0.5f / 0.8f, 1f, 0f, 1f}, channel(noDenoise, 2), 1e-6f);
            NDArray raw = SmafTarget.build(fused(m), labels, 0.2, true, false);
            assertArrayEquals(new float[] {0.2f, 0.2f, 0.2f, 0.2f}, channel(raw, 0), 1e-6f);
            assertArrayEquals(FUSED[0], channel(raw, 1), 1e-6f);
            assertArrayEquals(new float[4], channel(raw, 2), 0f);
            NDArray neither = SmafTarget.build(fused(m), labels, 0.2, false, false);
            assertArrayEquals(FUSED[1], channel(neither, 2), 1e-6f);
            // A zero constant over an all-zero pixel stays finite (0), not NaN.
            NDArray zero = SmafTarget.build(m.zeros(new Shape(1, 3, 1, 4)), labels, 0.0, true,
                    true);
            assertEquals(0f, zero.abs().max().getFloat(), 0f);
        }
    }

    @Test
    void badInputFailsAtOnce() {
        try (NDManager m = NDManager.newBaseManager(Engines.device())) {
            NDArray labels = m.create(new float[] {1, 0}, new Shape(1, 2));
            assertThrows(IllegalArgumentException.class,
                    () -> SmafTarget.build(fused(m), labels, SmafConfig.PAPER));
            NDArray ok = m.create(new float[] {1, 0, 1}, new Shape(1, 3));
            assertThrows(IllegalArgumentException.class,
                    () -> SmafTarget.build(fused(m), ok, 1.5, true, true));
            assertThrows(IllegalArgumentException.class,
                    () -> SmafConfig.PAPER.withScales(java.util.List.of()));
        }
    }
}
