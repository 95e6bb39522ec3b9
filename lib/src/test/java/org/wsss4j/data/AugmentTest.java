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

    @Test
    void rescaleFramingKeepsTheCacheKeyOfEarlierReleases() {
        // Shipped warm-up checkpoints are keyed by this text: it must not change.
        assertEquals("Augment[cropSize=96, minScale=0.8, maxScale=1.2, flipProb=0.5, "
                + "brightness=0.2, contrast=0.2, saturation=0.2]",
                Augment.forProfile(Profile.QUICK).describe());
        assertTrue(Augment.forProfile(Profile.VOC).describe().contains("resizedCrop="));
    }

    @Test
    void realDataProfilesUseTimmsResizedCrop() {
        assertEquals(null, Augment.forProfile(Profile.QUICK).resizedCrop());
        assertEquals(Augment.ResizedCrop.timm(), Augment.forProfile(Profile.VOC).resizedCrop());
        assertEquals(Augment.ResizedCrop.timm(), Augment.forProfile(Profile.COCO).resizedCrop());
        assertEquals(224, Augment.forProfile(Profile.VOC).cropSize());
    }

    @Test
    void resizedCropOfAQuarterAtRatioOneIsAnExactWindow() {
        // Area share 0.25 of 16 x 16 at ratio 1 is an 8 x 8 window, resized 1:1 to the crop.
        Augment a = new Augment(8, 1, 1, 0, 0, 0, 0, new Augment.ResizedCrop(0.25, 0.25, 1, 1));
        RgbImage img = noise(16, 16, 9);
        java.util.Set<Integer> offsets = new java.util.HashSet<>();
        for (int j = 0; j < 20; j++) {
            Augment.Geometry g = a.geometry(16, 16, 2, 3, j);
            assertEquals(16, g.resizedWidth());
            assertEquals(16, g.resizedHeight());
            offsets.add(g.offsetX() * 100 + g.offsetY());
            float[] x = a.apply(img, 2, 3, j);
            for (int y = 0; y < 8; y++) {
                for (int xx = 0; xx < 8; xx++) {
                    int src = 3 * ((y + g.offsetY()) * 16 + xx + g.offsetX());
                    for (int ch = 0; ch < 3; ch++) {
                        float want = Normalization.normalize((img.rgb()[src + ch] & 0xFF) / 255f, ch);
                        assertEquals(want, x[ch * 64 + y * 8 + xx], 1e-5f);
                    }
                }
            }
        }
        assertTrue(offsets.size() > 5, "the window moves: " + offsets);
    }

    @Test
    void resizedCropNeverLeavesTheImage() {
        Augment a = new Augment(24, 1, 1, 0.5, 0, 0, 0, Augment.ResizedCrop.timm());
        float[] ones = new float[50 * 30];
        Arrays.fill(ones, 1f);
        double minShare = 1;
        for (int j = 0; j < 200; j++) {
            Augment.Geometry g = a.geometry(50, 30, 4, 1, j);
            assertTrue(g.offsetX() >= 0 && g.offsetY() >= 0, "offset " + g);
            assertTrue(g.offsetX() + 24 <= g.resizedWidth(), "x " + g);
            assertTrue(g.offsetY() + 24 <= g.resizedHeight(), "y " + g);
            float[] m = a.warp(ones, 1, 50, 30, g);
            for (float v : m) {
                assertEquals(1f, v, 1e-6f, "no padding in a resized crop");
            }
            minShare = Math.min(minShare, (24.0 * 24) / ((double) g.resizedWidth() * g.resizedHeight()));
        }
        assertTrue(minShare < 0.2, "small regions are drawn too: " + minShare);
    }

    @Test
    void resizedCropFallsBackToTheCentredImageClippedToTheRatio() {
        // Ratio 2..3 cannot fit a full-area window of a square: no draw fits, so the centred
        // 20 x 10 band (ratio 2) is taken and resized to 10 x 10.
        Augment a = new Augment(10, 1, 1, 0, 0, 0, 0, new Augment.ResizedCrop(1, 1, 2, 3));
        Augment.Geometry g = a.geometry(20, 20, 0, 0, 0);
        assertEquals(new Augment.Geometry(10, 20, 0, 5, false), g);
    }

    @Test
    void rejectsBadResizedCrop() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new Augment.ResizedCrop(0, 1, 0.75, 1.33));
        assertTrue(e.getMessage().contains("area"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Augment.ResizedCrop(0.5, 1.5, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new Augment.ResizedCrop(0.5, 1, 2, 1));
    }
}
