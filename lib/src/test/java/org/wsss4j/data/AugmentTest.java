package org.wsss4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.wsss4j.runtime.Profile;

class AugmentTest {
    static RgbImage noise(int w, int h, int seed) {
        byte[] rgb = new byte[3 * w * h];
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = (byte) (20 + r.nextInt(100)); // 20..119: never clipped by brightness <= 2
        }
        return new RgbImage(w, h, rgb);
    }

    @Test
    void warpMovesMapsExactlyAsApplyMovesPixels() {
        // No jitter: apply's output is then the normalised warp of the image's own channels.
        Augment a = new Augment(16, 0.6, 1.4, 0.5, 0, 0, 0);
        RgbImage img = noise(20, 13, 4);
        int w = img.width(), h = img.height(), s = 16;
        float[] planes = new float[3 * w * h];
        for (int p = 0; p < w * h; p++) {
            for (int ch = 0; ch < 3; ch++) {
                planes[ch * w * h + p] = (img.rgb()[3 * p + ch] & 0xFF) / 255f;
            }
        }
        int padded = 0, flipped = 0;
        for (int j = 0; j < 40; j++) {
            Augment.Geometry g = a.geometry(w, h, 5, 7, j);
            flipped += g.flip() ? 1 : 0;
            float[] x = a.apply(img, 5, 7, j);
            float[] m = a.warp(planes, 3, w, h, g);
            for (int p = 0; p < s * s; p++) {
                boolean pad = m[p] == 0f; // image values are >= 20/255, so 0 is padding
                padded += pad ? 1 : 0;
                for (int ch = 0; ch < 3; ch++) {
                    float want = pad ? 0f : Normalization.normalize(m[ch * s * s + p], ch);
                    assertEquals(want, x[ch * s * s + p], 1e-5f, "sample " + j + " pixel " + p);
                }
            }
        }
        assertTrue(padded > 0 && flipped > 0 && flipped < 40, "draws cover padding and flips");
    }

    @Test
    void warpOfConstantMapsIsConstantInsideTheImageAndZeroOutside() {
        Augment a = new Augment(12, 0.5, 0.5, 0.0, 0, 0, 0); // image at half the crop: padding
        float[] ones = new float[2 * 10 * 10];
        Arrays.fill(ones, 0, 100, 1f);
        Arrays.fill(ones, 100, 200, 0.25f);
        Augment.Geometry g = a.geometry(10, 10, 1, 0, 0);
        assertEquals(6, g.resizedWidth());
        float[] m = a.warp(ones, 2, 10, 10, g);
        int inside = 0;
        for (int p = 0; p < 144; p++) {
            if (m[p] != 0f) {
                inside++;
                assertEquals(1f, m[p], 1e-6f);
                assertEquals(0.25f, m[144 + p], 1e-6f);
            } else {
                assertEquals(0f, m[144 + p]);
            }
        }
        assertEquals(36, inside);
        assertThrows(IllegalArgumentException.class, () -> a.warp(new float[7], 2, 10, 10, g));
    }

    @Test
    void sameSeedStepAndSampleGiveTheSameCrop() {
        Augment a = Augment.defaults(16);
        RgbImage img = noise(20, 14, 1);
        float[] x = a.apply(img, 3, 10, 2);
        assertArrayEquals(x, a.apply(img, 3, 10, 2));
        assertFalse(Arrays.equals(x, a.apply(img, 3, 10, 1)), "other sample index");
        assertFalse(Arrays.equals(x, a.apply(img, 3, 11, 2)), "other step");
        assertFalse(Arrays.equals(x, a.apply(img, 4, 10, 2)), "other seed");
        assertEquals(3 * 16 * 16, x.length);
        assertEquals(96, Augment.forProfile(Profile.QUICK).cropSize());
    }

    @Test
    void withoutRandomnessItIsTheResizedImage() {
        RgbImage img = noise(12, 12, 2);
        assertArrayEquals(ImageTensors.toChw(img, 12, 12, false),
                Augment.none(12).apply(img, 0, 0, 0));
        assertArrayEquals(ImageTensors.toChw(img, 8, 8, false), Augment.none(8).apply(img, 0, 5, 1));
        Augment flip = new Augment(12, 1, 1, 1.0, 0, 0, 0);
        assertArrayEquals(ImageTensors.toChw(img, 12, 12, true), flip.apply(img, 0, 0, 0));
    }

    @Test
    void nonSquareAndSmallImagesArePaddedWithTheMean() {
        // 8x4 image, crop 8: 4 rows of padding (0 after normalisation) in every channel.
        float[] out = Augment.none(8).apply(noise(8, 4, 3), 1, 2, 3);
        int zeroRows = 0;
        for (int y = 0; y < 8; y++) {
            boolean zero = true;
            for (int x = 0; x < 8; x++) {
                zero &= out[y * 8 + x] == 0f && out[64 + y * 8 + x] == 0f;
            }
            zeroRows += zero ? 1 : 0;
        }
        assertEquals(4, zeroRows);
        // Scale 0.5: the image covers a quarter of the crop.
        float[] small = new Augment(16, 0.5, 0.5, 0, 0, 0, 0).apply(noise(16, 16, 4), 0, 0, 0);
        int zeros = 0;
        for (float v : small) {
            zeros += v == 0f ? 1 : 0;
        }
        assertEquals(3 * (256 - 64), zeros);
    }

    @Test
    void brightnessScalesEveryPixelByOneFactor() {
        RgbImage img = noise(10, 10, 5);
        Augment b = new Augment(10, 1, 1, 0, 0.5, 0, 0);
        float[] out = b.apply(img, 9, 9, 9);
        float[] ref = ImageTensors.toChw(img, 10, 10, false);
        double factor = Normalization.denormalize(out[0], 0) / Normalization.denormalize(ref[0], 0);
        assertTrue(factor >= 0.5 && factor <= 1.5 && Math.abs(factor - 1) > 1e-3, "" + factor);
        for (int i = 0; i < out.length; i++) {
            int c = i / 100;
            assertEquals(factor * Normalization.denormalize(ref[i], c),
                    Normalization.denormalize(out[i], c), 1e-4);
        }
    }

    @Test
    void saturationLeavesGreyAloneAndHueIsNeverJittered() {
        byte[] grey = new byte[3 * 36];
        for (int i = 0; i < 36; i++) {
            grey[3 * i] = grey[3 * i + 1] = grey[3 * i + 2] = (byte) (i * 7);
        }
        RgbImage g = new RgbImage(6, 6, grey);
        Augment sat = new Augment(6, 1, 1, 0, 0, 0, 0.9);
        float[] out = sat.apply(g, 1, 1, 1);
        float[] ref = ImageTensors.toChw(g, 6, 6, false);
        for (int i = 0; i < out.length; i++) {
            assertEquals(ref[i], out[i], 1e-5);
        }
        // A pure red pixel stays the most-red after full jitter (no hue change).
        byte[] red = new byte[3 * 4];
        for (int i = 0; i < 4; i++) {
            red[3 * i] = (byte) 200;
            red[3 * i + 1] = 40;
            red[3 * i + 2] = 40;
        }
        float[] j = Augment.defaults(2).apply(new RgbImage(2, 2, red), 5, 5, 5);
        for (int p = 0; p < 4; p++) {
            float r = Normalization.denormalize(j[p], 0), gg = Normalization.denormalize(j[4 + p], 1);
            assertTrue(r > gg, "red stays dominant");
        }
    }

    @Test
    void rejectsBadConfig() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new Augment(16, 1.2, 0.8, 0.5, 0, 0, 0));
        assertTrue(e.getMessage().contains("scale range"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Augment(16, 1, 1, 1.5, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Augment(0, 1, 1, 0, 0, 0, 0));
    }
}
