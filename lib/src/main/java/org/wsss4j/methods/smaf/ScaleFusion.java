package org.wsss4j.methods.smaf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.wsss4j.cam.CamOps;

/**
 * SMAF's stage A (methods.md §4.3): run the map source at every scale (and on the flipped
 * input), upsample each pass to the output size, un-flip, normalise the pass, sum, then
 * max-normalise each class map: F_c ← F_c / (max F_c + 1e-5). There is no min-subtraction after
 * the sum, as in {@code gen_fused_cam.py}.
 *
 * <p>Each pass is normalised on its own (a flipped pass separately from its unflipped twin),
 * as the paper soft-maxes each of its 8 passes separately.
 */
public final class ScaleFusion {
    private ScaleFusion() {}

    /**
     * Fused maps [B, C, height, width] in [0, 1] of normalised images [B, 3, H, W]. Each scaled
     * side is rounded to a multiple of the patch size (at least one patch) so the token grid is
     * exact, as {@link org.wsss4j.cam.ClassActivation#infer} does.
     */
    public static NDArray fuse(
            MapSource source,
            NDArray images,
            List<Double> scales,
            boolean flip,
            int height,
            int width) {
        if (scales.isEmpty()) {
            throw new IllegalArgumentException("fusion needs at least one scale");
        }
        Shape s = images.getShape();
        if (s.dimension() != 4) {
            throw new IllegalArgumentException("images must be [B, 3, H, W], got " + s);
        }
        int h = (int) s.get(2);
        int w = (int) s.get(3);
        int p = source.patchSize();
        List<NDArray> passes = new ArrayList<>();
        for (double scale : scales) {
            int sh = Math.max(p, (int) Math.round(h * scale / p) * p);
            int sw = Math.max(p, (int) Math.round(w * scale / p) * p);
            NDArray x = CamOps.resize(images, sh, sw);
            passes.add(pass(source, x, height, width));
            if (flip) {
                passes.add(CamOps.flipW(pass(source, CamOps.flipW(x), height, width)));
            }
        }
        return combine(passes);
    }

    private static NDArray pass(MapSource source, NDArray x, int height, int width) {
        NDArray up = CamOps.resize(source.gridMaps(x), height, width);
        return normalise(up, source.passNorm());
    }

    /** One pass's normalisation (min–max per class map, or none). */
    public static NDArray normalise(NDArray maps, MapSource.PassNorm norm) {
        return norm == MapSource.PassNorm.MIN_MAX ? CamOps.minMax(maps) : maps;
    }

    /**
     * The fusion of already upsampled, un-flipped and normalised passes [B, C, H, W]: their sum,
     * max-normalised per class map.
     */
    public static NDArray combine(List<NDArray> passes) {
        if (passes.isEmpty()) {
            throw new IllegalArgumentException("fusion needs at least one pass");
        }
        NDArray sum = passes.get(0);
        for (int i = 1; i < passes.size(); i++) {
            sum = sum.add(passes.get(i));
        }
        return CamOps.maxNorm(sum);
    }
}
