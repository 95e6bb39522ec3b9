package org.wsss4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.wsss4j.data.IndexedPng.LabelMap;
import org.wsss4j.data.Palette;

class OverlaysTest {
    @Test
    void jetEndsAndMiddle() {
        assertEquals(0x000080, Overlays.jet(0)); // dark blue
        assertEquals(0x800000, Overlays.jet(1)); // dark red
        assertEquals(0x80FF80, Overlays.jet(0.5)); // light green
        assertEquals(Overlays.jet(1), Overlays.jet(7)); // clamped
    }

    @Test
    void heatAndLabelOverlaysBlend() {
        int w = 2, h = 1;
        byte[] rgb = {(byte) 200, (byte) 200, (byte) 200, 0, 0, 0};
        BufferedImage heat = Overlays.heat(w, h, rgb, new float[] {1f, 0f}, 0.5);
        // 0.5·200 + 0.5·128 = 164 red, 0.5·200 = 100 green and blue.
        assertEquals((164 << 16) | (100 << 8) | 100, heat.getRGB(0, 0) & 0xFFFFFF);
        assertEquals(0x000040, heat.getRGB(1, 0) & 0xFFFFFF);

        LabelMap lm = new LabelMap(w, h, new byte[] {0, 1});
        BufferedImage lab = Overlays.labels(w, h, rgb, lm, 0.5);
        assertEquals(0xC8C8C8, lab.getRGB(0, 0) & 0xFFFFFF); // background keeps the image
        assertEquals(0x400000, lab.getRGB(1, 0) & 0xFFFFFF); // half of VOC's aeroplane red
        assertEquals(Palette.rgb(1), Overlays.labels(lm).getRGB(1, 0) & 0xFFFFFF);
        assertThrows(IllegalArgumentException.class, () -> Overlays.heat(w, h, rgb, new float[3]));
    }

    @Test
    void gridPlacesTilesAndCaptions() {
        BufferedImage tile = Overlays.scale(Overlays.heat(4, 4, filled(16, 1f)), 8); // 32x32
        assertEquals(32, tile.getWidth());
        BufferedImage g = Overlays.grid(List.of(tile, tile, tile), 2, List.of("good", "bad"));
        // 2 columns of 32 px + 4 px padding; 2 rows of 32 px + 18 px caption + 4 px padding.
        assertEquals(2 * 36 + 4, g.getWidth());
        assertEquals(2 * (32 + 18 + 4) + 4, g.getHeight());
        assertEquals(Overlays.jet(1), g.getRGB(4, 4) & 0xFFFFFF);
        int ink = 0;
        for (int y = 4 + 32; y < 4 + 32 + 18; y++) {
            for (int x = 4; x < 36; x++) {
                ink += (g.getRGB(x, y) & 0xFFFFFF) != 0xFFFFFF ? 1 : 0;
            }
        }
        assertTrue(ink > 10, "caption not drawn: " + ink);
        BufferedImage plain = Overlays.grid(List.of(tile), 3, null);
        assertEquals(32 + 8, plain.getHeight());
    }

    private static float[] filled(int n, float v) {
        float[] f = new float[n];
        Arrays.fill(f, v);
        return f;
    }
}
