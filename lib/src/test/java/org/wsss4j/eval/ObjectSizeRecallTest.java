package org.wsss4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.wsss4j.data.IndexedPng.LabelMap;
import org.wsss4j.eval.ObjectSizeRecall.Size;

class ObjectSizeRecallTest {
    @Test
    void bucketsObjectsAndAveragesRecall() {
        int w = 10, h = 10; // 100 px: 1 px = 1 %
        byte[] inst = new byte[w * h], cls = new byte[w * h], pred = new byte[w * h];
        // Object 1: 1 px (1 % → small), class 3, found.
        inst[0] = 1;
        cls[0] = 3;
        pred[0] = 3;
        // Object 2: 5 px (5 % → medium), class 1, 2 of 5 found.
        for (int i = 10; i < 15; i++) {
            inst[i] = 2;
            cls[i] = 1;
            pred[i] = (byte) (i < 12 ? 1 : 0);
        }
        inst[15] = (byte) 255; // border: no object's pixel
        cls[15] = (byte) 255;
        // Object 3: 20 px (20 % → large), class 2, predicted as class 1 everywhere.
        for (int i = 50; i < 70; i++) {
            inst[i] = 3;
            cls[i] = 2;
            pred[i] = 1;
        }
        // Object 4: 12 px, class 2, half found.
        for (int i = 80; i < 92; i++) {
            inst[i] = 4;
            cls[i] = 2;
            pred[i] = (byte) (i % 2 == 0 ? 2 : 0);
        }
        ObjectSizeRecall r = new ObjectSizeRecall();
        List<ObjectSizeRecall.ObjectRecall> objs =
                r.add(
                        "img",
                        new LabelMap(w, h, inst),
                        new LabelMap(w, h, cls),
                        new LabelMap(w, h, pred));
        assertEquals(4, objs.size());
        assertEquals(Size.SMALL, objs.get(0).size());
        assertEquals(3, objs.get(0).classValue());
        assertEquals(0.4, objs.get(1).recall(), 1e-12);
        assertEquals(Size.MEDIUM, objs.get(1).size());
        assertEquals(20, objs.get(2).area());
        assertEquals(0.2, objs.get(2).areaFraction(), 1e-12);
        Map<Size, ObjectSizeRecall.BucketSummary> s = r.summary();
        assertEquals(1, s.get(Size.SMALL).objects());
        assertEquals(1.0, s.get(Size.SMALL).meanRecall(), 1e-12);
        assertEquals(1, s.get(Size.MEDIUM).objects());
        assertEquals(2, s.get(Size.LARGE).objects());
        assertEquals((0.0 + 0.5) / 2, s.get(Size.LARGE).meanRecall(), 1e-12);

        // Stated thresholds are configurable: with small < 6 %, object 2 becomes small.
        ObjectSizeRecall r2 = new ObjectSizeRecall(new ObjectSizeRecall.Buckets(0.06, 0.15));
        r2.add("img", new LabelMap(w, h, inst), new LabelMap(w, h, cls), new LabelMap(w, h, pred));
        assertEquals(2, r2.summary().get(Size.SMALL).objects());
        assertEquals(1, r2.summary().get(Size.MEDIUM).objects());
    }

    @Test
    void mismatchedSizesNameTheImage() {
        LabelMap a = new LabelMap(2, 2, new byte[4]);
        LabelMap b = new LabelMap(4, 1, new byte[4]);
        var e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> new ObjectSizeRecall().add("x1", a, a, b));
        assertTrue(e.getMessage().startsWith("x1:"));
        assertThrows(IllegalArgumentException.class, () -> new ObjectSizeRecall.Buckets(0.2, 0.1));
    }
}
