package org.wsss4j.methods.smaf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;

/**
 * SMAF's "denoise and reactivate" target (methods.md §4.4, {@code adaptation_modelv2.step}):
 * T_fg = fused maps × image-level label (denoise: absent classes become 0), T_bg = a constant,
 * T = [T_bg, T_fg] ÷ its per-pixel maximum over the channels (reactivate: the winning channel of
 * every pixel becomes 1, the others ratios ≤ 1, and a pixel whose every class is below the
 * constant becomes background = 1). Mapping the paper's two words onto these two operations is
 * a reading of its code (UNVERIFIED against its equations), so each is a switch.
 *
 * <p>Channel 0 is the background (the kit's label 0), channels 1..C the classes.
 */
public final class SmafTarget {
    /** Guards the division when the constant is 0 and every class is 0 at a pixel. */
    private static final float EPS = 1e-6f;

    private SmafTarget() {}

    /** The target of {@code cfg} (background, denoise, reactivate). */
    public static NDArray build(NDArray fused, NDArray labels, SmafConfig cfg) {
        return build(fused, labels, cfg.background(), cfg.denoise(), cfg.reactivate());
    }

    /**
     * @param fused fused class maps [B, C, H, W] in [0, 1]
     * @param labels image-level multi-hot labels [B, C]
     * @param background the constant background value, in [0, 1]
     * @return [B, C + 1, H, W], in the manager of {@code fused}
     */
    public static NDArray build(
            NDArray fused, NDArray labels, double background, boolean denoise, boolean reactivate) {
        Shape s = fused.getShape();
        if (s.dimension() != 4) {
            throw new IllegalArgumentException("fused maps must be [B, C, H, W], got " + s);
        }
        Shape ls = labels.getShape();
        if (ls.dimension() != 2 || ls.get(0) != s.get(0) || ls.get(1) != s.get(1)) {
            throw new IllegalArgumentException(
                    "labels must be [B, C] = [" + s.get(0) + ", " + s.get(1) + "], got " + ls);
        }
        if (!(background >= 0 && background <= 1)) {
            throw new IllegalArgumentException(
                    "background constant must be in [0, 1], got " + background);
        }
        NDArray fg = fused;
        if (denoise) {
            fg = fg.mul(labels.toType(fused.getDataType(), false).reshape(s.get(0), s.get(1), 1, 1));
        }
        NDArray bg = fused.getManager()
                .full(new Shape(s.get(0), 1, s.get(2), s.get(3)), (float) background)
                .toType(fused.getDataType(), false);
        NDArray t = NDArrays.concat(new NDList(bg, fg), 1);
        if (reactivate) {
            t = t.div(t.max(new int[] {1}, true).maximum(EPS));
        }
        return t;
    }
}
