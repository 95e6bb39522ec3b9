package org.wsss4j.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.wsss4j.data.IndexedPng.LabelMap;

class ErrorAnatomyTest {
    /** A one-row image: distances along the row are the city-block distances. */
    private static LabelMap row(int... labels) {
        byte[] b = new byte[labels.length];
        for (int i = 0; i < labels.length; i++) {
            b[i] = (byte) labels[i];
        }
        return new LabelMap(labels.length, 1, b);
    }

    private static ClassMaps maps(int w, int[] classes, float[]... m) {
        return new ClassMaps("img", w, 1, classes, m);
    }

    @Test
    void falsePositivesAreBinnedByDistanceToTheClassObject() {
        // class 1 on x = 0..1; the map is on everywhere: FP at distances 1..8.
        LabelMap gt = row(1, 1, 0, 0, 0, 0, 0, 0, 0, 0);
        float[] all = new float[10];
        java.util.Arrays.fill(all, 0.9f);
        ErrorAnatomy a = new ErrorAnatomy(0.5);
        a.add(maps(10, new int[] {1}, all), gt, Optional.empty());
        assertEquals(8, a.falsePositives());
        assertArrayEquals(new double[] {0.5, 0.5, 0, 0, 0}, a.fpShares(), 1e-12);
        assertEquals(1.0, a.floodedShare(), 1e-12, "10 of 10 pixels above t");
        assertEquals(1.0, a.fpShareOfFlooded(), 1e-12);
        assertTrue(a.regionMeans().isEmpty(), "no part mask given");
    }

    @Test
    void aPeakedMapIsNotFloodedAndOtherObjectsAndIgnoredPixelsAreSeparate() {
        // class 1 on x = 0..1, class 2 on x = 3, x = 4 ignored (255), far background up to x = 24.
        int[] labels = new int[25];
        labels[0] = 1;
        labels[1] = 1;
        labels[3] = 2;
        labels[4] = 255;
        float[] m = new float[25];
        m[0] = 1f;
        m[2] = 0.6f; // background at distance 1
        m[3] = 0.7f; // on the class-2 object
        m[4] = 0.9f; // ignored
        m[24] = 0.8f; // background at distance 23
        ErrorAnatomy a = new ErrorAnatomy(0.5);
        a.add(maps(25, new int[] {1}, m), row(labels), Optional.empty());
        assertEquals(3, a.falsePositives());
        assertArrayEquals(new double[] {1 / 3.0, 0, 0, 1 / 3.0, 1 / 3.0}, a.fpShares(), 1e-12);
        assertEquals(0.0, a.floodedShare(), 1e-12, "4 of 24 scored pixels above t");
        assertEquals(0.0, a.fpShareOfFlooded(), 1e-12);
    }

    @Test
    void backgroundFalsePositivesAreChargedToWhatTheBackdropShows() {
        // Two classes on a 12-pixel row: class 1 at x = 0, class 2 at x = 11; the backdrop under
        // x = 1..10 holds class 1's context region, class 2's, clutter, a distractor, a decoy
        // body and plain background (255 on the objects, as the generator writes it).
        LabelMap gt = row(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2);
        int c1 = org.wsss4j.data.Backdrop.context(1), c2 = org.wsss4j.data.Backdrop.context(2);
        LabelMap backdrop = row(255, c1, c1, c2, 1, 2, 3, 3, 3, 0, 0, 255);
        float[] one = new float[12];
        java.util.Arrays.fill(one, 1, 12, 0.9f); // every background pixel and class 2's object
        float[] two = new float[12];
        two[1] = 0.9f; // class 1's context region is another class's for map 2
        two[3] = 0.9f; // its own context region
        ErrorAnatomy a = new ErrorAnatomy(0.5);
        a.add(new ClassMaps("img", 12, 1, new int[] {1, 2}, new float[][] {one, two}), gt, Optional.empty(),
                Optional.of(backdrop));
        // Map 1: 10 FP on background (own context 2, other context 1, clutter 1, distractor 1,
        // decoy 3, plain 2) and 1 on class 2's object; map 2: own context 1, other context 1.
        assertEquals(13, a.falsePositives());
        double[] s = a.backdropShares().orElseThrow();
        assertArrayEquals(new double[] {2 / 13.0, 3 / 13.0, 2 / 13.0, 1 / 13.0, 1 / 13.0,
                3 / 13.0}, s, 1e-12);
        double sum = a.fpShares()[4];
        for (double v : s) {
            sum += v;
        }
        assertEquals(1.0, sum, 1e-12, "with the other-object share the sources cover every FP");
        // Rates: both maps see the 10 background pixels; map 2 fires on 2 of them. Own context:
        // map 1's 2 pixels (both on) and map 2's 1 (on); plain: 4 pixels, 2 on; decoy 6, 3 on.
        double[] r = a.backdropRates().orElseThrow();
        assertArrayEquals(new double[] {2 / 4.0, 3 / 3.0, 2 / 3.0, 1 / 2.0, 1 / 2.0, 3 / 6.0}, r,
                1e-12);

        ErrorAnatomy without = new ErrorAnatomy(0.5);
        without.add(new ClassMaps("img", 12, 1, new int[] {1}, new float[][] {one}), gt, Optional.empty());
        assertTrue(without.backdropShares().isEmpty(), "no backdrop map given");
        assertTrue(without.backdropRates().isEmpty());

        ErrorAnatomy bad = new ErrorAnatomy(0.5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> bad.add(new ClassMaps("img7", 12, 1, new int[] {1}, new float[][] {one}), gt,
                        Optional.empty(), Optional.of(row(255, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                255))));
        assertTrue(e.getMessage().contains("img7") && e.getMessage().contains("code 7"),
                e.getMessage());
    }

    @Test
    void regionMeansSeparatePartBodyAndBackground() {
        // class 1 on x = 0..11 with its part at x = 0; background x = 12..23.
        int[] labels = new int[24];
        int[] part = new int[24];
        for (int x = 0; x < 12; x++) {
            labels[x] = 1;
        }
        part[0] = 1;
        float[] m = new float[24];
        m[0] = 1f; // part
        for (int x = 1; x <= 8; x++) {
            m[x] = 0.5f; // body within 8 px of the part
        }
        m[9] = 0.2f; // body farther: x = 9, 10, 11 → mean 0.2/3
        m[12] = 0.3f; // background 1 px from the object; x = 12..19 within 8 px
        ErrorAnatomy a = new ErrorAnatomy(0.5);
        a.add(maps(24, new int[] {1}, m), row(labels), Optional.of(row(part)));
        double[] r = a.regionMeans().orElseThrow();
        assertEquals(1.0, r[0], 1e-6);
        assertEquals(0.5, r[1], 1e-6);
        assertEquals(0.2 / 3, r[2], 1e-6);
        assertEquals(0.3 / 8, r[3], 1e-6, "bg within 8 px: x = 12..19");
        assertEquals(0.0, r[4], 1e-6, "bg beyond 8 px: x = 20..23");
        assertTrue(Double.isNaN(r[5]), "no other object");
    }

    @Test
    void perClassCountsSplitFloodingFalsePositivesAndRegionsByClass() {
        // Image 1: class 1 on x = 0..3 (part x = 0), class 2 on x = 4..7 (part x = 7), background
        // x = 8..11. Class 1's map floods (on everywhere); class 2's map is on its part only.
        int[] labels = {1, 1, 1, 1, 2, 2, 2, 2, 0, 0, 0, 0};
        int[] part = {1, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0};
        float[] flood = new float[12];
        java.util.Arrays.fill(flood, 0.9f);
        flood[0] = 0.2f; // low on its own part, as the flooded maps of results/baseline are
        float[] peaked = new float[12];
        peaked[7] = 1f;
        ErrorAnatomy a = new ErrorAnatomy(0.5);
        a.add(new ClassMaps("img", 12, 1, new int[] {1, 2}, new float[][] {flood, peaked}),
                row(labels), Optional.of(row(part)));
        // Image 2: class 2 alone, not flooded.
        a.add(maps(4, new int[] {2}, new float[] {0, 0, 0, 1f}), row(0, 0, 2, 2),
                Optional.of(row(0, 0, 0, 2)));
        var per = a.perClass();
        assertEquals(2, per.size());
        ErrorAnatomy.ClassAnatomy one = per.get(0), two = per.get(1);
        assertEquals(1, one.label());
        assertEquals(1, one.maps());
        assertEquals(1.0, one.floodedShare(), 1e-12);
        assertEquals(1.0, one.fpShare(), 1e-12, "class 1 holds all 8 false positives");
        assertEquals(2, two.maps());
        assertEquals(0.0, two.floodedShare(), 1e-12);
        assertEquals(0.0, two.fpShare(), 1e-12);
        assertEquals(0.2, one.regionMeans().orElseThrow()[0], 1e-6, "class 1 on its part");
        assertEquals(1.0, two.regionMeans().orElseThrow()[0], 1e-6, "class 2 on its parts");
        assertEquals(0.9, one.regionMeans().orElseThrow()[5], 1e-6, "class 1 on class 2");
        assertEquals(1.0 / 3, a.floodedShare(), 1e-12, "1 of 3 maps over both classes");
    }

    @Test
    void aMaskOfAnotherSizeIsRejectedNamingTheImage() {
        ErrorAnatomy a = new ErrorAnatomy(0.5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> a.add(maps(3, new int[] {1}, new float[3]), row(1, 0), Optional.empty()));
        assertTrue(e.getMessage().contains("img"), e.getMessage());
    }
}
