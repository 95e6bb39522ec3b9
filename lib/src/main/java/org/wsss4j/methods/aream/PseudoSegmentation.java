package org.wsss4j.methods.aream;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
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
 *
 * <p>The official code loops over the images and slices each one's kept channels; here each
 * image's kept channels are gathered into slots [bg, its classes…, padding], padding masked out
 * of the softmax (PAR is linear per channel, so padding stays 0), which gives the same labels for
 * the whole batch at once.
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
        return new Batch(par, images, labels, cam).label(score);
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

    /**
     * Both thresholds of the config, combined; PAR (its dilations scaled to the half-resolution
     * map) weighs the image once for both.
     */
    public static NDArray dual(NDArray images, NDArray labels, NDArray cam, AreamConfig cfg) {
        Shape s = cam.getShape();
        int side = (int) Math.min(s.get(2), s.get(3)) / 2;
        Par par = new Par(Par.scaledDilations(side), cfg.parIterations(), Par.PAPER_W1,
                Par.PAPER_W2);
        Batch b = new Batch(par, images, labels, cam);
        return combine(b.label(cfg.scoreHigh()), b.label(cfg.scoreLow()));
    }

    /** One batch at half resolution, its kept channels gathered, its PAR affinity computed. */
    private static final class Batch {
        private final Par par;
        private final NDArray camHalf; // [B, K'−1, h, w] the kept classes, padding 0
        private final NDArray valid; // [B, K', 1, 1] 1 for bg and kept classes, 0 for padding
        private final NDArray slotValue; // [B, K'] label value of each slot
        private final NDArray affinity;
        private final long height;
        private final long width;

        Batch(Par par, NDArray images, NDArray labels, NDArray cam) {
            Shape s = cam.getShape();
            long b = s.get(0);
            long c = s.get(1);
            height = s.get(2);
            width = s.get(3);
            if (height % 2 != 0 || width % 2 != 0) {
                throw new IllegalArgumentException(
                        "AReAM pseudo labels need an even map size, got " + height + "x" + width);
            }
            if (!images.getShape().equals(new Shape(b, 3, height, width))
                    || !labels.getShape().equals(new Shape(b, c))) {
                throw new IllegalArgumentException("images " + images.getShape() + " and labels "
                        + labels.getShape() + " do not match the CAM " + s);
            }
            this.par = par;
            // Slots per image: 0 = background, then its label classes; k = 1 + the most classes.
            float[] lab = labels.toFloatArray();
            int k = 1;
            for (int i = 0; i < b; i++) {
                int n = 0;
                for (int j = 0; j < c; j++) {
                    n += lab[(int) (i * c + j)] > 0.5f ? 1 : 0;
                }
                k = Math.max(k, 1 + n);
            }
            long[] channel = new long[(int) b * (k - 1)];
            long[] value = new long[(int) b * k];
            float[] ok = new float[(int) b * k];
            for (int i = 0; i < b; i++) {
                ok[i * k] = 1;
                int slot = 1;
                for (int j = 0; j < c; j++) {
                    if (lab[(int) (i * c + j)] > 0.5f) {
                        channel[i * (k - 1) + slot - 1] = j;
                        value[i * k + slot] = j + 1;
                        ok[i * k + slot] = 1;
                        slot++;
                    }
                }
            }
            NDManager m = cam.getManager();
            long h = height / 2;
            long w = width / 2;
            // PyTorch's bilinear ×½ (align_corners=False, no antialias) samples at 2i + ½:
            // exactly a 2×2 average. DJL's interpolation would antialias, so pool instead.
            NDArray half = half(cam);
            if (k > 1) {
                NDArray idx = m.create(channel, new Shape(b, k - 1, 1, 1))
                        .toDevice(cam.getDevice(), false)
                        .broadcast(b, k - 1, h, w);
                camHalf = half.gather(idx, 1);
            } else {
                camHalf = null;
            }
            valid = m.create(ok, new Shape(b, k, 1, 1)).toDevice(cam.getDevice(), false);
            slotValue = m.create(value, new Shape(b, k)).toDevice(cam.getDevice(), false);
            affinity = par.affinity(half(images));
        }

        private static NDArray half(NDArray x) {
            return Pool.avgPool2d(x, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false,
                    true);
        }

        NDArray label(double score) {
            Shape vs = valid.getShape();
            long b = vs.get(0);
            long k = vs.get(1);
            long h = height / 2;
            long w = width / 2;
            NDArray bg = valid.getManager().full(new Shape(b, 1, h, w), (float) score)
                    .toDevice(valid.getDevice(), false);
            NDArray planes = camHalf == null ? bg : NDArrays.concat(new NDList(bg, camHalf), 1);
            NDArray e = planes.exp().mul(valid);
            NDArray prob = e.div(e.sum(new int[] {1}, true));
            NDArray refined = par.propagate(affinity, prob);
            NDArray slot = CamOps.resize(refined, (int) height, (int) width).argMax(1);
            return slotValue.reshape(b, k, 1, 1).broadcast(b, k, height, width)
                    .gather(slot.expandDims(1), 1)
                    .reshape(b, height, width);
        }
    }
}
