package org.wsss4j.methods.aream;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import org.wsss4j.cam.CamOps;
import org.wsss4j.data.ClassList;

/**
 * AReAM's pseudo segmentation label (methods.md §1.3 b, the official {@code cam_to_seg}): a
 * constant background plane at score s is put before the label-masked CAMs, image and planes go
 * to half resolution, a softmax over the kept channels ({bg} ∪ image label) is refined by PAR,
 * upsampled back and arg-maxed; done at s_h and s_l and combined with the ignore rule.
 */
public final class PseudoSegmentation {
    private PseudoSegmentation() {}

    /**
     * The label at one background score.
     *
     * @param par the refinement (its dilations for the half-resolution map)
     * @param images [B, 3, H, W], H and W even; normalised or not (PAR is invariant to it)
     * @param labels multi-hot [B, C]
     * @param cam [B, C, H, W] label-masked maps in [0, 1]
     * @return [B, H, W] int64: 0 background, c + 1 for class channel c
     */
    public static NDArray atScore(
            Par par, NDArray images, NDArray labels, NDArray cam, double score) {
        Shape s = cam.getShape();
        long b = s.get(0);
        long c = s.get(1);
        long h = s.get(2);
        long w = s.get(3);
        if (h % 2 != 0 || w % 2 != 0) {
            throw new IllegalArgumentException("AReAM pseudo labels need an even map size, got "
                    + h + "x" + w);
        }
        if (!images.getShape().equals(new Shape(b, 3, h, w))
                || !labels.getShape().equals(new Shape(b, c))) {
            throw new IllegalArgumentException("images " + images.getShape() + " and labels "
                    + labels.getShape() + " do not match the CAM " + s);
        }
        NDArray bg = cam.getManager().full(new Shape(b, 1, h, w), (float) score)
                .toDevice(cam.getDevice(), false);
        NDArray planes = NDArrays.concat(new NDList(bg, cam), 1);
        // PyTorch's bilinear ×½ (align_corners=False, no antialias) samples at 2i + ½: exactly
        // a 2×2 average. DJL's interpolation would antialias, so pool instead.
        NDArray imgHalf = half(images);
        NDArray planesHalf = half(planes);
        NDArray keep = NDArrays.concat(
                        new NDList(labels.onesLike().get(":, 0:1"), labels), 1)
                .reshape(b, c + 1, 1, 1);
        NDArray e = planesHalf.exp().mul(keep);
        NDArray prob = e.div(e.sum(new int[] {1}, true));
        NDArray refined = par.refine(imgHalf, prob);
        return CamOps.resize(refined, (int) h, (int) w).argMax(1);
    }

    private static NDArray half(NDArray x) {
        return Pool.avgPool2d(x, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false, true);
    }

    /**
     * The combined label: foreground at s_h keeps its class; background at s_h but foreground at
     * s_l is uncertain (255); background at both is background (0).
     */
    public static NDArray combine(NDArray high, NDArray low) {
        NDArray h = high.toType(DataType.INT64, false);
        NDArray l = low.toType(DataType.INT64, false);
        NDArray uncertain = NDArrays.where(l.gt(0), l.zerosLike().add(ClassList.IGNORE),
                l.zerosLike());
        return NDArrays.where(h.gt(0), h, uncertain);
    }

    /** Both thresholds of the config, combined; PAR scaled to the half-resolution map. */
    public static NDArray dual(
            NDArray images, NDArray labels, NDArray cam, AreamConfig cfg) {
        Shape s = cam.getShape();
        int side = (int) Math.min(s.get(2), s.get(3)) / 2;
        Par par = new Par(Par.scaledDilations(side), cfg.parIterations(), Par.PAPER_W1,
                Par.PAPER_W2);
        NDArray high = atScore(par, images, labels, cam, cfg.scoreHigh());
        NDArray low = atScore(par, images, labels, cam, cfg.scoreLow());
        return combine(high, low);
    }
}
