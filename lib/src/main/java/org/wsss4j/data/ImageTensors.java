package org.wsss4j.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * RGB images to normalised CHW floats for inference (CAM at several scales, with flip). Resizing
 * is bilinear with PyTorch's {@code align_corners=False} and no antialiasing, so maps agree with
 * the papers' {@code F.interpolate} pipelines.
 */
public final class ImageTensors {
    private ImageTensors() {}

    /** {@code round(size * scale)}, at least 1: the side an image of {@code size} gets at a scale. */
    public static int scaledSize(int size, double scale) {
        if (!(scale > 0)) {
            throw new IllegalArgumentException("scale = " + scale + " must be > 0");
        }
        return Math.max(1, (int) Math.round(size * scale));
    }

    /** Normalised [3, h, w] floats of {@code img} resized by {@code scale}, optionally h-flipped. */
    public static float[] toChw(RgbImage img, double scale, boolean flip) {
        return toChw(img, scaledSize(img.width(), scale), scaledSize(img.height(), scale), flip);
    }

    /** Normalised [3, outH, outW] floats of {@code img} resized to outW x outH, optionally h-flipped. */
    public static float[] toChw(RgbImage img, int outW, int outH, boolean flip) {
        if (outW < 1 || outH < 1) {
            throw new IllegalArgumentException("output size " + outW + "x" + outH + " must be >= 1");
        }
        float[] out = new float[3 * outW * outH];
        int w = img.width(), h = img.height();
        byte[] rgb = img.rgb();
        int plane = outW * outH;
        int[] x0 = new int[outW], x1 = new int[outW];
        float[] fx = new float[outW];
        axis(w, outW, x0, x1, fx);
        int[] y0 = new int[outH], y1 = new int[outH];
        float[] fy = new float[outH];
        axis(h, outH, y0, y1, fy);
        for (int y = 0; y < outH; y++) {
            for (int x = 0; x < outW; x++) {
                int sx = flip ? outW - 1 - x : x;
                int a = 3 * (y0[y] * w + x0[sx]), b = 3 * (y0[y] * w + x1[sx]);
                int c = 3 * (y1[y] * w + x0[sx]), d = 3 * (y1[y] * w + x1[sx]);
                float wx = fx[sx], wy = fy[y];
                for (int ch = 0; ch < 3; ch++) {
                    float top = (rgb[a + ch] & 0xFF) * (1 - wx) + (rgb[b + ch] & 0xFF) * wx;
                    float bot = (rgb[c + ch] & 0xFF) * (1 - wx) + (rgb[d + ch] & 0xFF) * wx;
                    float v = (top * (1 - wy) + bot * wy) / 255f;
                    out[ch * plane + y * outW + x] = Normalization.normalize(v, ch);
                }
            }
        }
        return out;
    }

    /** As {@link #toChw(RgbImage, double, boolean)}, as a [1, 3, h, w] float32 array in {@code m}. */
    public static NDArray toNDArray(NDManager m, RgbImage img, double scale, boolean flip) {
        int w = scaledSize(img.width(), scale), h = scaledSize(img.height(), scale);
        return m.create(toChw(img, w, h, flip), new Shape(1, 3, h, w));
    }

    /** As {@link #toChw(RgbImage, int, int, boolean)}, as a [1, 3, outH, outW] array in {@code m}. */
    public static NDArray toNDArray(NDManager m, RgbImage img, int outW, int outH, boolean flip) {
        return m.create(toChw(img, outW, outH, flip), new Shape(1, 3, outH, outW));
    }

    /**
     * Source taps of a resize along one axis: out[i] = in[i0] * (1 - f) + in[i1] * f with
     * src = (i + 0.5) * in / out - 0.5, clamped at 0 as PyTorch does.
     */
    static void axis(int in, int out, int[] i0, int[] i1, float[] f) {
        float scale = in / (float) out;
        for (int i = 0; i < out; i++) {
            float src = Math.max(0f, (i + 0.5f) * scale - 0.5f);
            int lo = Math.min((int) src, in - 1);
            i0[i] = lo;
            i1[i] = Math.min(lo + 1, in - 1);
            f[i] = src - lo;
        }
    }
}
