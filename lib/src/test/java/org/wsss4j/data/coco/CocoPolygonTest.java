package org.wsss4j.data.coco;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pixel-exact equality with pycocotools: the resource file holds 310 polygons rasterised by
 * cocoapi's own C code (rleFrPoly per part, rleMerge union, rleToString).
 */
class CocoPolygonTest {
    @Test
    void rectangleCoversThePixelsPycocotoolsCovers() {
        // Worked by hand from the rule: x from 1 to 4 covers columns 1..3, y from 1 to 3 rows 1..2.
        byte[] m = CocoPolygon.rasterize(List.of(new double[] {1, 1, 4, 1, 4, 3, 1, 3}), 5, 6);
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 6; x++) {
                int expect = x >= 1 && x <= 3 && y >= 1 && y <= 2 ? 1 : 0;
                assertEquals(expect, m[y * 6 + x], "pixel " + x + "," + y);
            }
        }
    }

    @Test
    void selfIntersectionLeavesAHoleByParity() {
        // Two passes over the same square: the even-odd rule cancels it.
        byte[] m = CocoPolygon.rasterize(
                List.of(new double[] {1, 1, 5, 1, 5, 5, 1, 5, 1, 1, 5, 1, 5, 5, 1, 5}), 7, 7);
        assertEquals(0, sum(m));
        // As two separate parts the same squares are united instead.
        byte[] u = CocoPolygon.rasterize(
                List.of(new double[] {1, 1, 5, 1, 5, 5, 1, 5}, new double[] {1, 1, 5, 1, 5, 5, 1, 5}), 7, 7);
        assertEquals(16, sum(u));
    }

    @Test
    void equalsPycocotoolsOnReferencePolygons() throws IOException {
        int cases = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                CocoPolygonTest.class.getResourceAsStream("pycocotools-polygons.txt"), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                String[] parts = line.split("\\|");
                String[] in = parts[0].trim().split("\\s+");
                int h = Integer.parseInt(in[0]), w = Integer.parseInt(in[1]), n = Integer.parseInt(in[2]);
                List<double[]> polys = new ArrayList<>();
                int p = 3;
                for (int i = 0; i < n; i++) {
                    int k = Integer.parseInt(in[p++]);
                    double[] xy = new double[2 * k];
                    for (int j = 0; j < 2 * k; j++) {
                        xy[j] = Double.parseDouble(in[p++]);
                    }
                    polys.add(xy);
                }
                long[] expected = Arrays.stream(parts[1].trim().split("\\s+")).mapToLong(Long::parseLong).toArray();
                String where = "case " + (cases + 1) + ": " + parts[0].trim();
                if (n == 1) {
                    assertArrayEquals(expected, CocoPolygon.counts(polys.get(0), h, w), where);
                }
                byte[] mask = CocoPolygon.rasterize(polys, h, w);
                assertArrayEquals(expected, CocoRle.encode(mask, h, w), where);
                assertEquals(parts[2].trim(), CocoRle.encodeString(expected), where);
                assertArrayEquals(expected, CocoRle.decodeString(parts[2].trim()), where);
                cases++;
            }
        }
        assertEquals(310, cases);
    }

    private static int sum(byte[] m) {
        int s = 0;
        for (byte b : m) {
            s += b;
        }
        return s;
    }
}
