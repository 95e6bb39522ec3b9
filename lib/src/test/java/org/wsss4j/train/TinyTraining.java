package org.wsss4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.SplittableRandom;
import org.wsss4j.model.VisionTransformer;
import org.wsss4j.model.VitConfig;
import org.wsss4j.runtime.Seeds;

/** The tiny model, the learnable toy batches and the parameter helpers the training tests share. */
public final class TinyTraining {
    private TinyTraining() {}

    /** 32 px, patch 8 → 4×4 grid, width 32, 2 heads, 3 classes = 3 class tokens; 2 blocks. */
    public static VitConfig tinyVit(double dropPath) {
        return tinyVit(2, dropPath);
    }

    /** {@link #tinyVit(double)} with {@code depth} blocks. */
    public static VitConfig tinyVit(int depth, double dropPath) {
        return new VitConfig("test", 32, 8, 32, depth, 2, 2.0, 3, 3, VitConfig.Readout.LINEAR,
                VitConfig.Stem.PATCH, dropPath);
    }

    /**
     * {@code b} dim 32 px images for 3 classes, drawn from (seed, step): class c present ⇔ a
     * bright 12 px square in colour channel c, so the task is learnable in a few dozen steps.
     */
    public static BatchSource.Batch squares(long seed, long step, int b, NDManager m) {
        SplittableRandom r = Seeds.random(seed, step, Seeds.Stream.OTHER);
        int s = 32;
        float[] img = new float[b * 3 * s * s];
        float[] lab = new float[b * 3];
        for (int i = 0; i < b; i++) {
            for (int k = 0; k < img.length / b; k++) {
                img[i * 3 * s * s + k] = (float) (r.nextDouble() * 0.2);
            }
            for (int c = 0; c < 3; c++) {
                if (r.nextBoolean()) {
                    lab[i * 3 + c] = 1;
                    int x0 = r.nextInt(s - 12), y0 = r.nextInt(s - 12);
                    for (int y = y0; y < y0 + 12; y++) {
                        for (int x = x0; x < x0 + 12; x++) {
                            img[((i * 3 + c) * s + y) * s + x] = 1f;
                        }
                    }
                }
            }
        }
        return new BatchSource.Batch(m.create(img, new Shape(b, 3, s, s)),
                m.create(lab, new Shape(b, 3)));
    }

    /** Every parameter's values, concatenated in the map's order. */
    public static float[] flatten(Map<String, NDArray> params) {
        long n = 0;
        for (NDArray a : params.values()) {
            n += a.size();
        }
        float[] out = new float[Math.toIntExact(n)];
        int off = 0;
        for (NDArray a : params.values()) {
            float[] v = a.toFloatArray();
            System.arraycopy(v, 0, out, off, v.length);
            off += v.length;
        }
        return out;
    }

    /** The model's parameters, flattened. */
    public static float[] flatten(VisionTransformer model) {
        return flatten(model.parameters());
    }

    /** max |a[i] − b[i]| over the length of {@code a}. */
    public static float maxAbsDiff(float[] a, float[] b) {
        float d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }

    /** Arrays the system manager holds now: a leak check compares two readings. */
    public static int liveArrays() {
        try (NDManager probe = NDManager.newBaseManager()) {
            return probe.getParentManager().getManagedArrays().size();
        }
    }
}
