package org.wsss4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.wsss4j.runtime.Engines;

class ImageTensorsTest {
    /** w x h image whose red channel is given, green = 255 - red, blue = 0. */
    static RgbImage red(int w, int h, int... r) {
        byte[] rgb = new byte[3 * w * h];
        for (int i = 0; i < w * h; i++) {
            rgb[3 * i] = (byte) r[i];
            rgb[3 * i + 1] = (byte) (255 - r[i]);
        }
        return new RgbImage(w, h, rgb);
    }

    static float unit(float normalised, int c) {
        return Normalization.denormalize(normalised, c);
    }

    @Test
    void normalisationUsesImageNetStatistics() {
        assertEquals(0.485f, Normalization.mean(0));
        assertEquals(0.225f, Normalization.std(2));
        assertEquals((1f - 0.456f) / 0.224f, Normalization.normalize(1f, 1), 1e-6);
        assertEquals(0.3f, Normalization.denormalize(Normalization.normalize(0.3f, 0), 0), 1e-6);
    }

    @Test
    void sameSizeIsExactlyTheNormalisedImage() {
        float[] chw = ImageTensors.toChw(red(2, 1, 0, 255), 1.0, false);
        assertEquals(6, chw.length);
        assertEquals((0f - 0.485f) / 0.229f, chw[0], 1e-6); // R plane, x = 0
        assertEquals((1f - 0.485f) / 0.229f, chw[1], 1e-6);
        assertEquals((1f - 0.456f) / 0.224f, chw[2], 1e-6); // G plane
        assertEquals((0f - 0.406f) / 0.225f, chw[5], 1e-6); // B plane
    }

    @Test
    void bilinearMatchesPyTorchAlignCornersFalse() {
        // Upsampling [0, 255] to 4 columns: source x = (i + .5) / 2 - .5 = -.25->0, .25, .75, 1.25
        // -> values 0, 63.75, 191.25, 255 (torch.nn.functional.interpolate gives the same).
        float[] up = ImageTensors.toChw(red(2, 1, 0, 255), 4, 1, false);
        float[] expect = {0f, 0.25f, 0.75f, 1f};
        for (int x = 0; x < 4; x++) {
            assertEquals(expect[x], unit(up[x], 0), 1e-6, "x = " + x);
        }
        // Downsampling 4 -> 2 averages neighbour pairs (source x = 0.5 and 2.5).
        float[] down = ImageTensors.toChw(red(4, 1, 0, 100, 200, 40), 2, 1, false);
        assertEquals(50f / 255, unit(down[0], 0), 1e-6);
        assertEquals(120f / 255, unit(down[1], 0), 1e-6);
        // 2-D: a 2x2 image to 4x4, pixel (1, 1) samples (0.25, 0.25).
        float[] g = ImageTensors.toChw(red(2, 2, 0, 100, 200, 40), 4, 4, false);
        float top = 0 * .75f + 100 * .25f, bottom = 200 * .75f + 40 * .25f;
        assertEquals((top * .75f + bottom * .25f) / 255, unit(g[1 * 4 + 1], 0), 1e-6);
    }

    @Test
    void flipMirrorsTheResizedImage() {
        RgbImage img = red(3, 2, 10, 20, 30, 40, 50, 60);
        float[] a = ImageTensors.toChw(img, 5, 4, false);
        float[] b = ImageTensors.toChw(img, 5, 4, true);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 4; y++) {
                for (int x = 0; x < 5; x++) {
                    assertEquals(a[c * 20 + y * 5 + x], b[c * 20 + y * 5 + 4 - x], 1e-6);
                }
            }
        }
        assertEquals(3, ImageTensors.scaledSize(2, 1.5));
        assertEquals(1, ImageTensors.scaledSize(2, 0.1));
        assertThrows(IllegalArgumentException.class, () -> ImageTensors.scaledSize(2, 0));
    }

    @Test
    void upsamplingAgreesWithLibtorchBilinear() {
        // libtorch's bilinear interpolate (what DJL's resize calls) as an independent reference;
        // upsampling only, where its antialias flag has no effect.
        Engines.init();
        int[] r = new int[15];
        for (int i = 0; i < 15; i++) {
            r[i] = (i * 53) % 256;
        }
        RgbImage img = red(5, 3, r);
        try (NDManager m = NDManager.newBaseManager(Engines.device())) {
            float[] v = new float[45];
            for (int i = 0; i < 45; i++) {
                v[i] = img.rgb()[i] & 0xFF;
            }
            NDArray hwc = m.create(v, new Shape(3, 5, 3));
            float[] ref = ai.djl.modality.cv.util.NDImageUtils
                    .resize(hwc, 12, 7, ai.djl.modality.cv.Image.Interpolation.BILINEAR)
                    .toFloatArray();
            float[] mine = ImageTensors.toChw(img, 12, 7, false);
            for (int y = 0; y < 7; y++) {
                for (int x = 0; x < 12; x++) {
                    assertEquals(ref[3 * (y * 12 + x)] / 255f, unit(mine[y * 12 + x], 0), 1e-5,
                            x + "," + y);
                }
            }
        }
    }

    @Test
    void ndArrayHasBatchShapeAndTheSameValues() {
        Engines.init();
        RgbImage img = red(4, 2, 0, 50, 100, 150, 200, 250, 30, 60);
        try (NDManager m = NDManager.newBaseManager(Engines.device())) {
            NDArray a = ImageTensors.toNDArray(m, img, 1.5, true);
            assertEquals(new Shape(1, 3, 3, 6), a.getShape());
            assertEquals(DataType.FLOAT32, a.getDataType());
            assertArrayEquals(ImageTensors.toChw(img, 6, 3, true), a.toFloatArray());
            assertEquals(new Shape(1, 3, 5, 7),
                    ImageTensors.toNDArray(m, img, 7, 5, false).getShape());
        }
    }
}
