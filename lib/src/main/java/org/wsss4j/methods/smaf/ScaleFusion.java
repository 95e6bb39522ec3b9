package org.wsss4j.methods.smaf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
     * The passes of one scale: the unflipped map and, when flip is on, the un-flipped map of the
     * flipped input (null otherwise); each normalised on its own, at the output size.
     */
    public record ScalePass(NDArray plain, NDArray flipped) {}

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
        return fuseFrom(passes(source, images, scales, flip, height, width), scales, flip);
    }

    /**
     * Every pass {@link #fuse} makes for {@code scales} (and their flips), each run once: scale →
     * {@link ScalePass}. {@link #fuseFrom} then fuses any subset, so the
     * scale sets of an ablation share their forwards (a scale-2 forward costs ~5 of scale 1).
     */
    public static Map<Double, ScalePass> passes(
            MapSource source,
            NDArray images,
            Collection<Double> scales,
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
        Map<Double, ScalePass> out = new LinkedHashMap<>();
        for (double scale : scales) {
            if (out.containsKey(scale)) {
                continue;
            }
            int sh = CamOps.scaledSide(h, scale, p);
            int sw = CamOps.scaledSide(w, scale, p);
            out.put(scale, new ScalePass(
                    pass(source, images, sh, sw, false, height, width),
                    flip ? pass(source, images, sh, sw, true, height, width) : null));
        }
        return out;
    }

    /**
     * The fusion of {@code scales} (± flip) from {@link #passes}: the same passes summed in the
     * same order as {@link #fuse}, so the result is identical to the last bit.
     */
    public static NDArray fuseFrom(Map<Double, ScalePass> passes, List<Double> scales,
            boolean flip) {
        if (scales.isEmpty()) {
            throw new IllegalArgumentException("fusion needs at least one scale");
        }
        List<NDArray> chosen = new ArrayList<>();
        for (double scale : scales) {
            ScalePass pair = passes.get(scale);
            if (pair == null || (flip && pair.flipped() == null)) {
                throw new IllegalArgumentException("no " + (flip ? "flipped " : "")
                        + "pass at scale " + scale + " among " + passes.keySet());
            }
            chosen.add(pair.plain());
            if (flip) {
                chosen.add(pair.flipped());
            }
        }
        return combine(chosen);
    }

    /**
     * One pass at sh × sw (flipped, then un-flipped, if asked). Everything it creates but its
     * result is freed when it returns: a pass's forward keeps every block's attention (~2 GB for
     * 64 images at 2× scale on the quick profile), and 8 passes must not pile up. The result is
     * moved to the images' manager: a forward's outputs are created in the model's parameter
     * manager (its first op concatenates the class-token parameter), which lives as long as the
     * model.
     */
    private static NDArray pass(MapSource source, NDArray images, int sh, int sw, boolean flip,
            int height, int width) {
        try (NDScope scope = new NDScope()) {
            NDArray x = CamOps.resize(images, sh, sw);
            NDArray maps = source.gridMaps(flip ? CamOps.flipW(x) : x);
            NDArray out = normalise(CamOps.resize(maps, height, width), source.passNorm());
            if (flip) {
                out = CamOps.flipW(out);
            }
            out.attach(images.getManager());
            NDScope.unregister(out);
            return out;
        }
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
