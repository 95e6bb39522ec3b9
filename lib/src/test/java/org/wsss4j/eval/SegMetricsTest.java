package org.wsss4j.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SegMetricsTest {
    private static byte[] b(int... v) {
        byte[] out = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (byte) v[i];
        }
        return out;
    }

    /**
     * Labels {0, 1, 2}; label 2 is neither present nor predicted (the ignored pixel predicted as 2
     * does not count), so the two mIoU conventions differ.
     */
    @Test
    void conventionsDifferWhenALabelHasEmptyUnion() {
        ConfusionMatrix cm = new ConfusionMatrix(3);
        cm.add(b(0, 1, 1, 1, 2), b(0, 0, 1, 1, 255));
        assertEquals(4, cm.total());
        assertEquals(1, cm.get(0, 1));
        SegMetrics m = cm.metrics();
        assertEquals(0.5, m.iou(0), 1e-12); // 1 / (2 + 1 - 1)
        assertEquals(2.0 / 3, m.iou(1), 1e-12); // 2 / (2 + 3 - 2)
        assertTrue(Double.isNaN(m.iou(2)));
        assertEquals((0.5 + 2.0 / 3) / 2, m.mIoU(), 1e-12);
        assertEquals((0.5 + 2.0 / 3 + 0) / 3, m.mIoUMct(), 1e-9);
        assertEquals(0.0, m.iouMct()[2]);
        assertEquals(2, m.labelsScored());
        assertEquals(2.0 / 3, m.precision(), 1e-12); // 3 predicted fg, 2 truly fg
        assertEquals(1.0, m.recall(), 1e-12);
        assertEquals(0.75, m.pixelAccuracy(), 1e-12);
        assertEquals(4, m.pixels());
    }

    @Test
    void foregroundIsBinaryAcrossClasses() {
        // gt class 1 predicted as class 2: wrong class, but still foreground on foreground.
        ConfusionMatrix cm = new ConfusionMatrix(3);
        cm.add(b(2, 2, 0, 0), b(1, 1, 1, 0));
        SegMetrics m = cm.metrics();
        assertEquals(1.0, m.precision(), 1e-12);
        assertEquals(2.0 / 3, m.recall(), 1e-12);
        assertEquals(0.0, m.iou(1), 1e-12);
        assertEquals(0.0, m.iou(2), 1e-12);
    }

    @Test
    void precisionIsNanWhenNothingIsForeground() {
        ConfusionMatrix cm = new ConfusionMatrix(2);
        cm.add(b(0, 0), b(0, 1));
        assertTrue(Double.isNaN(cm.metrics().precision()));
        assertEquals(0.0, cm.metrics().recall());
    }

    @Test
    void mergeAddsCounts() {
        ConfusionMatrix a = new ConfusionMatrix(3);
        a.add(b(0, 1), b(0, 1));
        ConfusionMatrix c = new ConfusionMatrix(3);
        c.add(b(2, 1), b(2, 0));
        a.merge(c);
        assertArrayEquals(new long[] {1, 1, 0}, a.counts()[0]);
        assertArrayEquals(new long[] {0, 1, 0}, a.counts()[1]);
        assertArrayEquals(new long[] {0, 0, 1}, a.counts()[2]);
        assertThrows(IllegalArgumentException.class, () -> a.merge(new ConfusionMatrix(4)));
    }

    @Test
    void badValuesAreNamedAndNothingIsCounted() {
        ConfusionMatrix cm = new ConfusionMatrix(3);
        var e = assertThrows(IllegalArgumentException.class, () -> cm.add(b(0, 7), b(0, 0)));
        assertTrue(e.getMessage().contains("predicted value 7 at pixel 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> cm.add(b(0, 0), b(0, 9)));
        assertTrue(e.getMessage().contains("ground-truth value 9"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> cm.add(b(0, 255), b(0, 0)));
        assertThrows(IllegalArgumentException.class, () -> cm.add(b(0), b(0, 0)));
        assertEquals(0, cm.total());
    }
}
