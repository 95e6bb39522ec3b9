package org.wsss4j.methods.aream;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.stream.IntStream;
import org.wsss4j.cam.CamOps;
import org.wsss4j.model.ForwardRequest;
import org.wsss4j.model.VisionTransformer;
import org.wsss4j.model.VitOutput;

/**
 * AReAM's two affinity-refined CAMs (methods.md §1.3 a and f): ReLU(PatchCAM) ⊙ the class-to-patch
 * attention averaged over <em>all</em> blocks, refined by a patch-to-patch affinity,
 * {@code M_ref[c, i] = Σ_j P[i, j] · M[c, j]}. During training P is the (weighted) mean of the
 * shallow blocks (&lt; K) and the result is the pseudo-label CAM; at inference P is the unweighted
 * mean of all blocks. Both add the un-flipped map of the flipped input, ReLU and min–max per class.
 * Runs without gradient.
 */
public final class RefinedCam {
    private RefinedCam() {}

    /**
     * The token-grid map of one forward [B, C, gh, gw] before ReLU/normalisation: ReLU(PatchCAM)
     * ⊙ class attention (all blocks) refined by the affinity of {@code refineBlocks} weighted by
     * {@code weights} (null = all 1).
     */
    public static NDArray gridMap(VitOutput out, int[] refineBlocks, double[] weights) {
        if (out.patchCam() == null) {
            throw new IllegalArgumentException(
                    "AReAM maps need the MCTformer layout (PatchCAM head and C class tokens)");
        }
        if (out.attention().isEmpty()) {
            throw new IllegalArgumentException("AReAM maps need the forward's attention");
        }
        int c = out.numClassTokens();
        int[] all = IntStream.range(0, out.attention().size()).toArray();
        NDArray cam = out.patchCam().maximum(0f).mul(
                CamOps.classToPatch(out.attention(), all, c, out.gridH(), out.gridW()));
        Shape s = cam.getShape();
        NDArray flat = cam.reshape(s.get(0), s.get(1), (long) out.numPatches());
        NDArray p = patchAffinity(out.attention(), refineBlocks, weights, c);
        return flat.matMul(p.transpose(0, 2, 1)).reshape(s);
    }

    /**
     * Patch-to-patch affinity [B, hw, hw]: head mean of each block's post-softmax attention over
     * the patch tokens, times the block's weight, averaged over the blocks (the official code's
     * {@code (att[:K] * w).mean(0)}; a common scale drops out in the min–max).
     */
    public static NDArray patchAffinity(
            List<NDArray> attention, int[] blocks, double[] weights, int numClassTokens) {
        if (blocks.length == 0) {
            throw new IllegalArgumentException("no affinity blocks selected");
        }
        if (weights != null && weights.length != blocks.length) {
            throw new IllegalArgumentException(
                    weights.length + " block weights for " + blocks.length + " blocks");
        }
        NDArray sum = null;
        for (int i = 0; i < blocks.length; i++) {
            NDArray a = attention.get(blocks[i])
                    .get(new NDIndex(":, :, {}:, {}:", numClassTokens, numClassTokens))
                    .mean(new int[] {1});
            if (weights != null) {
                a = a.mul((float) weights[i]);
            }
            sum = sum == null ? a : sum.add(a);
        }
        return sum.div(blocks.length);
    }

    /**
     * §1.3 a, the pseudo-label CAM of a training batch: one no-grad pass over [x, flip x] at scale
     * 1, refined by the shallow blocks (weighted by the config), upsampled to H × W, the two
     * passes summed, ReLU, min–max per class, classes outside the image label zeroed.
     *
     * @param images the training batch [B, 3, H, W] (normalised)
     * @param labels multi-hot [B, C]
     * @return [B, C, H, W] in [0, 1], in the images' manager, without gradient
     */
    public static NDArray training(
            VisionTransformer model, NDArray images, NDArray labels, AreamConfig cfg) {
        return training(model, images, labels, cfg, null);
    }

    /**
     * As {@link #training(VisionTransformer, NDArray, NDArray, AreamConfig)}, reusing {@code
     * unflipped} — a forward of {@code images} with attention that equals an inference forward
     * (no stochastic depth), e.g. the training step's own — so that only the flipped images are
     * run again. Null runs both.
     */
    public static NDArray training(VisionTransformer model, NDArray images, NDArray labels,
            AreamConfig cfg, VitOutput unflipped) {
        if (unflipped != null && unflipped.attention().isEmpty()) {
            throw new IllegalArgumentException("the reused forward must carry its attention");
        }
        int depth = model.config().depth();
        int[] shallow = cfg.shallowBlocks(depth);
        double[] w = cfg.shallowWeights(depth);
        Shape s = images.getShape();
        int h = (int) s.get(2);
        int wd = (int) s.get(3);
        long b = s.get(0);
        try (NoGrad ignored = new NoGrad()) {
            return Scoped.keep(images, () -> {
                java.util.function.Function<VitOutput, NDArray> map =
                        o -> CamOps.resize(gridMap(o, shallow, w), h, wd);
                NDArray sum;
                if (unflipped == null) {
                    NDArray both = NDArrays.concat(new NDList(images, CamOps.flipW(images)), 0);
                    NDArray m = map.apply(model.forward(both, ForwardRequest.ATTENTION));
                    sum = m.get(new NDIndex("0:{}", b))
                            .add(CamOps.flipW(m.get(new NDIndex("{}:", b))));
                } else {
                    // Grad mode is off here, so nothing computed from the reused (graph-carrying)
                    // output joins the graph.
                    VitOutput f = model.forward(CamOps.flipW(images), ForwardRequest.ATTENTION);
                    sum = map.apply(unflipped).add(CamOps.flipW(map.apply(f)));
                }
                NDArray cam = CamOps.minMax(sum.maximum(0f));
                return cam.mul(labels.reshape(b, labels.getShape().get(1), 1, 1));
            });
        }
    }

    /**
     * §1.3 f, AReAM's own inference map: refined by the unweighted mean of all blocks, over
     * {@code scales} (+ flips), upsampled to H × W, summed, ReLU, min–max per class. Same contract
     * as {@link org.wsss4j.cam.ClassActivation#infer}: [B, C, H, W] for every class.
     */
    public static NDArray inference(
            VisionTransformer model, NDArray images, List<Double> scales, boolean flip) {
        int depth = model.config().depth();
        int[] all = IntStream.range(0, depth).toArray();
        Shape s = images.getShape();
        int h = (int) s.get(2);
        int w = (int) s.get(3);
        int p = model.config().patchSize();
        try (NoGrad ignored = new NoGrad()) {
            return Scoped.keep(images, () -> {
                NDArray sum = null;
                for (double scale : scales) {
                    int sh = CamOps.scaledSide(h, scale, p);
                    int sw = CamOps.scaledSide(w, scale, p);
                    NDArray x = CamOps.resize(images, sh, sw);
                    NDArray m = CamOps.resize(
                            gridMap(model.forward(x, ForwardRequest.ATTENTION), all, null), h, w);
                    sum = sum == null ? m : sum.add(m);
                    if (flip) {
                        NDArray mf = gridMap(
                                model.forward(CamOps.flipW(x), ForwardRequest.ATTENTION), all,
                                null);
                        sum = sum.add(CamOps.flipW(CamOps.resize(mf, h, w)));
                    }
                }
                return CamOps.minMax(sum.maximum(0f));
            });
        }
    }

    /** AReAM's inference at scale 1 + flip (the MCTformer variant's). */
    public static NDArray inference(VisionTransformer model, NDArray images) {
        return inference(model, images, List.of(1.0), true);
    }
}
