package org.wsss4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MeanAveragePrecisionTest {
    @Test
    void matchesHandComputedValue() {
        float[][] scores = {
            {0.9f, 0.1f, 0.3f}, {0.8f, 0.4f, 0.2f}, {0.7f, 0.35f, 0.1f}, {0.6f, 0.8f, 0.0f}
        };
        float[][] labels = {{1, 1, 0}, {0, 0, 0}, {1, 0, 0}, {0, 1, 0}};
        MeanAveragePrecision.Result r = MeanAveragePrecision.of(scores, labels);
        // class 0: hits at ranks 1 and 3 → 0.5·1 + 0.5·(2/3)
        assertEquals(0.5 + 0.5 * 2 / 3, r.ap()[0], 1e-12);
        // class 1: ranking 0.8(+) 0.4 0.35 0.1(+) → 0.5·1 + 0.5·(2/4)
        assertEquals(0.75, r.ap()[1], 1e-12);
        // class 2 has no positive: skipped
        assertTrue(Double.isNaN(r.ap()[2]));
        assertEquals(1, r.skipped());
        assertEquals((0.5 + 1.0 / 3 + 0.75) / 2, r.mAP(), 1e-12);
    }

    @Test
    void tiedScoresFormOneThreshold() {
        MeanAveragePrecision m = new MeanAveragePrecision(1);
        m.add(new float[] {0.5f}, new float[] {1});
        m.add(new float[] {0.5f}, new float[] {0});
        assertEquals(0.5, m.result().mAP(), 1e-12); // not 1.0, as it would be if the tie broke well
        assertEquals(2, m.samples());
    }

    @Test
    void rejectsNonBinaryLabelsAndBadShapes() {
        MeanAveragePrecision m = new MeanAveragePrecision(2);
        var e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> m.add(new float[] {0, 1}, new float[] {0.5f, 1}));
        assertTrue(e.getMessage().contains("0.5"));
        assertThrows(IllegalArgumentException.class, () -> m.add(new float[] {0}, new float[] {0}));
        assertThrows(
                IllegalArgumentException.class,
                () -> m.add(new float[] {Float.NaN, 0}, new float[] {0, 1}));
    }
}
