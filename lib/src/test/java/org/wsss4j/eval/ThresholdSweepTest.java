package org.wsss4j.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsss4j.data.IndexedPng;
import org.wsss4j.data.IndexedPng.LabelMap;

class ThresholdSweepTest {
    private static LabelMap gt(int w, int h, int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return new LabelMap(w, h, b);
    }

    @Test
    void pseudoLabelRuleTiesGoToBackgroundThenFirstClass() {
        ClassMaps m =
                new ClassMaps(
                        "a",
                        4,
                        1,
                        new int[] {3, 5},
                        new float[][] {{0.3f, 0.6f, 0.2f, 0.1f}, {0.3f, 0.6f, 0.7f, 0.1f}});
        assertArrayEquals(
                new byte[] {0, 3, 5, 0}, PseudoLabels.label(m, 0.3).labels()); // 0.3 == t → bg
        assertArrayEquals(new byte[] {3, 3, 5, 3}, PseudoLabels.label(m, 0.0).labels());
    }

    @Test
    void onePassEqualsLabellingAtEveryThreshold() {
        Random r = new Random(7);
        int numLabels = 5;
        List<ClassMaps> maps = new ArrayList<>();
        List<LabelMap> gts = new ArrayList<>();
        for (int img = 0; img < 6; img++) {
            int w = 7 + img, h = 5;
            int[] classes = img == 5 ? new int[0] : img % 2 == 0 ? new int[] {1, 4} : new int[] {2};
            float[][] mm = new float[classes.length][w * h];
            for (float[] row : mm) {
                for (int i = 0; i < row.length; i++) {
                    // Half the values lie exactly on the grid (k/100 in float) to test the edges.
                    row[i] = r.nextBoolean() ? (float) (r.nextInt(101) / 100.0) : r.nextFloat();
                }
            }
            byte[] g = new byte[w * h];
            for (int i = 0; i < g.length; i++) {
                g[i] = (byte) (r.nextInt(10) == 0 ? 255 : r.nextInt(numLabels));
            }
            maps.add(new ClassMaps("img" + img, w, h, classes, mm));
            gts.add(new LabelMap(w, h, g));
        }
        ThresholdSweep s = new ThresholdSweep("val", numLabels);
        for (int i = 0; i < maps.size(); i++) {
            s.add(maps.get(i), gts.get(i));
        }
        assertEquals(6, s.images());
        for (int k = 0; k < ThresholdSweep.STEPS; k++) {
            ConfusionMatrix ref = new ConfusionMatrix(numLabels);
            for (int i = 0; i < maps.size(); i++) {
                ref.add(PseudoLabels.label(maps.get(i), k / 100.0).labels(), gts.get(i).labels());
            }
            long[][] got = s.confusion(k).counts();
            for (int g = 0; g < numLabels; g++) {
                assertArrayEquals(ref.counts()[g], got[g], "t=" + k / 100.0 + " gt row " + g);
            }
            assertEquals(ref.metrics().mIoU(), s.at(k).mIoU(), 1e-12);
        }
        // Merging two halves equals adding everything to one sweep.
        ThresholdSweep a = new ThresholdSweep("val", numLabels), b = new ThresholdSweep("val", numLabels);
        for (int i = 0; i < maps.size(); i++) {
            (i < 3 ? a : b).add(maps.get(i), gts.get(i));
        }
        a.merge(b);
        assertArrayEquals(s.confusion(37).counts()[2], a.confusion(37).counts()[2]);
    }

    @Test
    void bestIsLowestThresholdOfMaximalMiou() {
        ClassMaps m =
                new ClassMaps("v", 4, 1, new int[] {1}, new float[][] {{0.9f, 0.6f, 0.4f, 0.1f}});
        ThresholdSweep val = ThresholdSweep.of("val", 2, List.of(m), id -> gt(4, 1, 1, 1, 0, 0));
        ThresholdSweep.Point best = val.best();
        // Perfect for 0.40 <= t < 0.60 (0.4 is not above t = 0.40).
        assertEquals(0.40, best.threshold(), 1e-12);
        assertEquals(40, best.index());
        assertEquals(1.0, best.metrics().mIoU(), 1e-12);
        assertTrue(val.at(0.39).mIoU() < 1.0);
        assertEquals(1.0, val.at(0.59).mIoU(), 1e-12);
        assertTrue(val.at(0.60).mIoU() < 1.0);

        ThresholdedScore oracle = val.oracle();
        assertTrue(oracle.oracle());
        assertEquals("oracle (val)", oracle.thresholdLabel());

        // train: perfect at t in [0.7, 0.8); val's t = 0.40 over-covers.
        ClassMaps tm =
                new ClassMaps("t", 4, 1, new int[] {1}, new float[][] {{0.9f, 0.8f, 0.7f, 0.5f}});
        ThresholdSweep train =
                ThresholdSweep.of("train", 2, List.of(tm), Map.of("t", gt(4, 1, 1, 1, 0, 0))::get);
        ThresholdedScore honest = ThresholdSweep.chooseOn(val, train);
        assertFalse(honest.oracle());
        assertEquals("train", honest.split());
        assertEquals("val", honest.thresholdSplit());
        assertEquals("val", honest.thresholdLabel());
        assertEquals(0.40, honest.threshold(), 1e-12);
        assertEquals(0.5, honest.metrics().precision(), 1e-12);
        assertEquals(0.70, train.oracle().threshold(), 1e-12);
        assertEquals(1.0, train.oracle().metrics().mIoU(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> ThresholdSweep.chooseOn(val, val));
    }

    @Test
    void errorsNameTheImage() {
        ClassMaps m = new ClassMaps("img42", 2, 1, new int[] {1}, new float[][] {{0.5f, 0.5f}});
        ThresholdSweep s = new ThresholdSweep("val", 3);
        var e = assertThrows(IllegalArgumentException.class, () -> s.add(m, gt(1, 2, 0, 0)));
        assertTrue(e.getMessage().startsWith("img42: maps are 2x1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> s.add(m, gt(2, 1, 0, 7)));
        assertTrue(e.getMessage().contains("img42") && e.getMessage().contains("7"));
        assertThrows(IllegalStateException.class, s::best);
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> new ClassMaps("x", 2, 1, new int[] {1}, new float[][] {{0.5f, 1.5f}}));
        assertTrue(e.getMessage().contains("(1, 0)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ThresholdSweep.index(0.995));
        assertThrows(IllegalArgumentException.class, () -> ThresholdSweep.index(1.0));
    }

    @Test
    void pseudoLabelsRoundTripThroughPalettePng(@TempDir Path dir) throws Exception {
        ClassMaps m =
                new ClassMaps(
                        "2007_000032",
                        3,
                        2,
                        new int[] {15},
                        new float[][] {{0.1f, 0.5f, 0.9f, 0.2f, 0.3f, 1f}});
        assertEquals(1, PseudoLabels.writeAll(List.of(m), 0.25, dir));
        LabelMap back = IndexedPng.read(dir.resolve("2007_000032.png"));
        assertArrayEquals(new byte[] {0, 15, 15, 0, 15, 15}, back.labels());
    }
}
