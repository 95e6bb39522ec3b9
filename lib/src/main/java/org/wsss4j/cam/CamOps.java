package org.wsss4j.cam;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.wsss4j.model.Scalars;

/** Tensor pieces shared by every map: attention slices, flips, resizing, normalisation. */
public final class CamOps {
    /** DJL's interpolation mode code for bilinear (PyTorch, align_corners=false). */
    private static final int BILINEAR = 1;

    private CamOps() {}

    /**
     * Class-to-patch attention [B, C, gh, gw]: rows of the C class tokens over the patch tokens,
     * head mean, mean over {@code blocks}.
     */
    public static NDArray classToPatch(List<NDArray> attention, int[] blocks, int numClassTokens,
            int gh, int gw) {
        NDArray sum = null;
        for (int b : blocks) {
            NDArray a = attention.get(b)
                    .get(new NDIndex(":, :, :{}, {}:", numClassTokens, numClassTokens))
                    .mean(new int[] {1});
            sum = sum == null ? a : sum.add(a);
        }
        if (sum == null) {
            throw new IllegalArgumentException("no attention blocks selected");
        }
        Shape s = sum.getShape();
        return Scalars.div(sum, blocks.length).reshape(s.get(0), s.get(1), gh, gw);
    }

    /**
     * Patch-to-patch attention [B, hw, hw] (class tokens excluded), head mean, mean over {@code
     * blocks}.
     */
    public static NDArray patchToPatch(List<NDArray> attention, int[] blocks, int numClassTokens) {
        NDArray sum = null;
        for (int b : blocks) {
            NDArray a = attention.get(b)
                    .get(new NDIndex(":, :, {}:, {}:", numClassTokens, numClassTokens))
                    .mean(new int[] {1});
            sum = sum == null ? a : sum.add(a);
        }
        if (sum == null) {
            throw new IllegalArgumentException("no attention blocks selected");
        }
        return Scalars.div(sum, blocks.length);
    }

    /** Horizontal flip of [..., H, W]. */
    public static NDArray flipW(NDArray x) {
        return x.flip(x.getShape().dimension() - 1);
    }

    /**
     * A side of {@code side} px scaled by {@code scale} and rounded to a whole number of patches
     * (at least one), so that multi-scale inference sees an exact token grid.
     */
    public static int scaledSide(int side, double scale, int patch) {
        return Math.max(patch, (int) Math.round(side * scale / patch) * patch);
    }

    /** Bilinear resize of [B, C, h, w] to [B, C, H, W]. */
    public static NDArray resize(NDArray x, int height, int width) {
        Shape s = x.getShape();
        if (s.get(2) == height && s.get(3) == width) {
            return x;
        }
        return x.getNDArrayInternal().interpolation(new long[] {height, width}, BILINEAR, false);
    }

    /** Min–max per map over the spatial dims of [B, C, H, W] (a flat map stays 0). */
    public static NDArray minMax(NDArray x) {
        Shape s = x.getShape();
        NDArray flat = x.reshape(s.get(0), s.get(1), s.get(2) * s.get(3));
        NDArray min = flat.min(new int[] {2}, true);
        NDArray max = flat.max(new int[] {2}, true);
        return flat.sub(min).div(max.sub(min).add(1e-5f)).reshape(s);
    }

    /** Max per map ([B, C, H, W] → each map divided by its maximum, ≥ 0 inputs). */
    public static NDArray maxNorm(NDArray x) {
        Shape s = x.getShape();
        NDArray flat = x.reshape(s.get(0), s.get(1), s.get(2) * s.get(3));
        return flat.div(flat.max(new int[] {2}, true).add(1e-5f)).reshape(s);
    }
}
