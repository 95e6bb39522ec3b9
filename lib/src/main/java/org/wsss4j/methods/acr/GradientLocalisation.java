package org.wsss4j.methods.acr;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.wsss4j.cam.CamOps;
import org.wsss4j.model.ForwardRequest;
import org.wsss4j.model.LayerPositions;
import org.wsss4j.model.VisionTransformer;
import org.wsss4j.model.VitConfig;
import org.wsss4j.model.VitOutput;

/**
 * ACR's class-wise localisation from class-token gradients (methods.md §2.4). For class c of an
 * image: G_l = ∂z_c/∂A_l for the post-softmax attention A_l of the blocks from layer 10 of 12;
 * positive part, head mean, summed over those blocks; the row of class token c (token 0 for the
 * one-token DeiT layout) over the patches; ReLU; optionally multiplied by the summed
 * patch-to-patch attention of all blocks. Maps of the image and its flip are upsampled, un-flipped,
 * summed, and min–max normalised per class.
 *
 * <p><b>How the gradient is obtained in DJL.</b> DJL has no {@code retain_grad} and a backward
 * frees the graph, so: (1) every (image, label class) pair becomes one row of a batch (rows are
 * independent in a ViT, so the gradient of Σ_p z_{p, c_p} with respect to row p's attention is
 * ∂z_{c_p}/∂A of that image alone — one backward serves every class); (2) the attention of the
 * chosen blocks is made a leaf through {@link VisionTransformer#forward(NDArray, ForwardRequest,
 * org.wsss4j.model.DropPath, Map) additive probes}: zero tensors E_l that require gradient,
 * added to A_l inside the forward. E_l's gradient is the gradient arriving at A_l, including the
 * paths through later blocks' attention (the probe adds, it does not cut the graph). The model's
 * parameters are switched out of autograd for this backward, so their gradients are untouched.
 * Must not be called while another gradient collector is open (DJL allows one at a time).
 *
 * <p>Upsampling uses the kit's shared bilinear resize (align_corners = false; the official code
 * uses true) so every CAM row of a table is upsampled alike.
 */
public final class GradientLocalisation {
    private GradientLocalisation() {}

    /**
     * What one probed forward/backward gives, in the images' manager.
     *
     * @param attention every block's post-softmax attention [P, heads, N, N] (detached)
     * @param gradients block → ∂z_{p, c_p}/∂A_block for each row p, [P, heads, N, N]
     * @param classLogits [P, C] the scores of the pass (detached)
     */
    public record AttentionGradients(
            List<NDArray> attention, Map<Integer, NDArray> gradients, NDArray classLogits) {}

    /**
     * Gradients of each row's class score with respect to the post-softmax attention of {@code
     * blocks}: row p of {@code images} [P, 3, H, W] is differentiated for class {@code
     * classes[p]} (0-based). One forward and one backward for all rows.
     */
    public static AttentionGradients attentionGradients(
            VisionTransformer model, NDArray images, int[] classes, int[] blocks) {
        VitConfig cfg = model.config();
        long rows = images.getShape().get(0);
        if (classes.length != rows) {
            throw new IllegalArgumentException(
                    classes.length + " classes for " + rows + " image rows");
        }
        for (int c : classes) {
            if (c < 0 || c >= cfg.numClasses()) {
                throw new IllegalArgumentException(
                        "class index " + c + " is outside 0.." + (cfg.numClasses() - 1));
            }
        }
        if (blocks.length == 0) {
            throw new IllegalArgumentException("no blocks to differentiate");
        }
        NDManager out = images.getManager();
        int p = cfg.patchSize();
        long tokens = cfg.numClassTokens()
                + (images.getShape().get(2) / p) * (images.getShape().get(3) / p);
        try (NDManager sub = out.newSubManager()) {
            // Work on a copy in a sub-manager so every intermediate of the pass is freed here.
            NDArray x = images.duplicate();
            x.attach(sub);
            Map<Integer, NDArray> probes = new LinkedHashMap<>();
            for (int b : blocks) {
                NDArray e = sub.zeros(new Shape(rows, cfg.numHeads(), tokens, tokens));
                e.setRequiresGradient(true);
                probes.put(b, e);
            }
            float[] pick = new float[Math.toIntExact(rows * cfg.numClasses())];
            for (int r = 0; r < rows; r++) {
                pick[r * cfg.numClasses() + classes[r]] = 1f;
            }
            NDArray onehot = sub.create(pick, new Shape(rows, cfg.numClasses()));
            VitOutput o;
            List<NDArray> frozen = new ArrayList<>();
            try {
                for (NDArray w : model.parameters().values()) {
                    if (w.hasGradient()) {
                        w.setRequiresGradient(false);
                        frozen.add(w);
                    }
                }
                GradientCollector gc;
                try {
                    gc = Engine.getInstance().newGradientCollector();
                } catch (IllegalStateException e) {
                    throw new IllegalStateException("gradient localisation needs its own gradient"
                            + " collector; it cannot run inside a training step", e);
                }
                try (gc) {
                    o = model.forward(x, ForwardRequest.ATTENTION, null, probes);
                    gc.backward(o.classLogits().mul(onehot).sum());
                }
            } finally {
                for (NDArray w : frozen) {
                    w.setRequiresGradient(true);
                }
            }
            Map<Integer, NDArray> grads = new LinkedHashMap<>();
            for (Map.Entry<Integer, NDArray> e : probes.entrySet()) {
                NDArray g = e.getValue().getGradient().duplicate();
                g.attach(out);
                grads.put(e.getKey(), g);
            }
            List<NDArray> attn = new ArrayList<>();
            for (NDArray a : o.attention()) {
                NDArray d = a.stopGradient();
                d.attach(out);
                attn.add(d);
            }
            NDArray logits = o.classLogits().stopGradient();
            logits.attach(out);
            return new AttentionGradients(attn, grads, logits);
        }
    }

    /**
     * The token-grid map [P, gh, gw] of row p of {@code images} for class {@code classes[p]},
     * after ReLU and before normalisation (one scale, no flip).
     */
    public static NDArray gridMaps(
            VisionTransformer model, NDArray images, int[] classes, LocalisationConfig cfg) {
        return gridMapVariants(model, images, classes, cfg, new boolean[] {cfg.affinity()})[0];
    }

    /** {@link #gridMaps} for each of {@code affinity}, from one backward. */
    static NDArray[] gridMapVariants(VisionTransformer model, NDArray images, int[] classes,
            LocalisationConfig cfg, boolean[] affinity) {
        VitConfig vc = model.config();
        int depth = vc.depth();
        int t = vc.numClassTokens();
        int p = vc.patchSize();
        int gh = (int) (images.getShape().get(2) / p);
        int gw = (int) (images.getShape().get(3) / p);
        long n = t + (long) gh * gw;
        long rows = images.getShape().get(0);
        int[] blocks = LayerPositions.from(cfg.startLayer(), depth);
        NDManager out = images.getManager();
        try (NDManager sub = out.newSubManager()) {
            AttentionGradients ag = attentionGradients(model, images, classes, blocks);
            for (NDArray a : ag.attention()) {
                a.attach(sub);
            }
            ag.classLogits().attach(sub);
            NDArray sum = null;
            for (int b : blocks) {
                NDArray g = ag.gradients().get(b);
                g.attach(sub);
                if (cfg.mode() == LocalisationConfig.GradientMode.GRAD_TIMES_ATTENTION) {
                    g = g.mul(ag.attention().get(b));
                }
                NDArray h = g.maximum(0f).mean(new int[] {1}); // [P, N, N]
                sum = sum == null ? h : sum.add(h);
            }
            // The row of each pair's class token (token 0 in the one-token layout).
            float[] sel = new float[Math.toIntExact(rows * n)];
            for (int r = 0; r < rows; r++) {
                sel[(int) (r * n) + (vc.isMct() ? classes[r] : 0)] = 1f;
            }
            NDArray rowSel = sub.create(sel, new Shape(rows, n, 1));
            NDArray m = sum.mul(rowSel).sum(new int[] {1}) // [P, N]
                    .get(new NDIndex(":, {}:", t))
                    .maximum(0f); // [P, hw]
            NDArray refined = null;
            NDArray[] result = new NDArray[affinity.length];
            for (int v = 0; v < affinity.length; v++) {
                NDArray r = m;
                if (affinity[v]) {
                    if (refined == null) {
                        NDArray aff = null;
                        for (NDArray a : ag.attention()) {
                            NDArray pp = ConsistencyTerms.headMean(a)
                                    .get(new NDIndex(":, {}:, {}:", t, t));
                            aff = aff == null ? pp : aff.add(pp);
                        }
                        refined = aff.matMul(m.expandDims(2)).squeeze(2);
                    }
                    r = refined;
                }
                result[v] = r.reshape(rows, gh, gw);
                result[v].attach(out);
            }
            return result;
        }
    }

    /**
     * Maps [B, C, H, W] for normalised images [B, 3, H, W] and their multi-hot labels [B, C]:
     * label classes get the summed (scales × flips) upsampled gradient maps, ReLU, min–max per
     * class; classes absent from the label stay 0. In the images' manager.
     */
    public static NDArray infer(
            VisionTransformer model, NDArray images, NDArray labels, LocalisationConfig cfg) {
        return inferVariants(model, images, labels, cfg, cfg.affinity())[0];
    }

    /**
     * {@link #infer} for several affinity settings (e.g. {@code false, true}) from the same
     * gradients: one forward and backward per scale and flip serves every variant. {@code
     * cfg.affinity()} is ignored.
     */
    public static NDArray[] inferVariants(VisionTransformer model, NDArray images, NDArray labels,
            LocalisationConfig cfg, boolean... affinity) {
        if (affinity.length == 0) {
            throw new IllegalArgumentException("no variant requested");
        }
        VitConfig vc = model.config();
        Shape s = images.getShape();
        int batch = (int) s.get(0);
        int h = (int) s.get(2);
        int w = (int) s.get(3);
        int numClasses = vc.numClasses();
        if (!labels.getShape().equals(new Shape(batch, numClasses))) {
            throw new IllegalArgumentException("labels must be [" + batch + ", " + numClasses
                    + "] multi-hot, got " + labels.getShape());
        }
        float[] lab = labels.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
        List<long[]> pairs = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
            for (int c = 0; c < numClasses; c++) {
                if (lab[b * numClasses + c] > 0.5f) {
                    pairs.add(new long[] {b, c});
                }
            }
        }
        NDManager out = images.getManager();
        NDArray[] results = new NDArray[affinity.length];
        if (pairs.isEmpty()) {
            for (int v = 0; v < results.length; v++) {
                results[v] = out.zeros(new Shape(batch, numClasses, h, w));
            }
            return results;
        }
        int p = vc.patchSize();
        try (NDManager sub = out.newSubManager()) {
            NDArray[] total = new NDArray[affinity.length]; // each [P, H, W]
            for (double scale : cfg.scales()) {
                int sh = CamOps.scaledSide(h, scale, p);
                int sw = CamOps.scaledSide(w, scale, p);
                NDArray xs = CamOps.resize(images, sh, sw);
                if (xs != images) {
                    xs.attach(sub); // resize returns its input when the size matches
                }
                for (boolean flip : cfg.flip() ? new boolean[] {false, true} : new boolean[] {false}) {
                    NDArray x = flip ? CamOps.flipW(xs) : xs;
                    if (x != images) {
                        x.attach(sub);
                    }
                    NDArray[] maps = pairMaps(model, x, pairs, cfg, affinity, sub); // [P, gh, gw]
                    for (int v = 0; v < maps.length; v++) {
                        NDArray up = CamOps.resize(maps[v].expandDims(1), h, w); // [P, 1, H, W]
                        if (flip) {
                            up = CamOps.flipW(up);
                        }
                        up = up.squeeze(1);
                        total[v] = total[v] == null ? up : total[v].add(up);
                    }
                }
            }
            // Scatter pair maps to (image, class) slots with a 0/1 matrix [B·C, P].
            float[] scatter = new float[batch * numClasses * pairs.size()];
            for (int k = 0; k < pairs.size(); k++) {
                long[] pc = pairs.get(k);
                scatter[(int) ((pc[0] * numClasses + pc[1]) * pairs.size() + k)] = 1f;
            }
            NDArray sm = sub.create(scatter, new Shape((long) batch * numClasses, pairs.size()));
            for (int v = 0; v < results.length; v++) {
                NDArray maps = sm.matMul(total[v].reshape(pairs.size(), (long) h * w))
                        .reshape(batch, numClasses, h, w);
                results[v] = CamOps.minMax(maps.maximum(0f));
                results[v].attach(out);
            }
            return results;
        }
    }

    /** Grid maps of every pair, in chunks of {@code pairsPerPass}; each [P, gh, gw] in {@code m}. */
    private static NDArray[] pairMaps(VisionTransformer model, NDArray x, List<long[]> pairs,
            LocalisationConfig cfg, boolean[] affinity, NDManager m) {
        List<List<NDArray>> chunks = new ArrayList<>();
        for (int v = 0; v < affinity.length; v++) {
            chunks.add(new ArrayList<>());
        }
        for (int from = 0; from < pairs.size(); from += cfg.pairsPerPass()) {
            int to = Math.min(pairs.size(), from + cfg.pairsPerPass());
            long[] idx = new long[to - from];
            int[] cls = new int[to - from];
            for (int k = from; k < to; k++) {
                idx[k - from] = pairs.get(k)[0];
                cls[k - from] = (int) pairs.get(k)[1];
            }
            NDArray rows = x.get(new NDIndex("{}", m.create(idx)));
            rows.attach(m); // x may be the caller's array; keep the copy in this scope
            NDArray[] g = gridMapVariants(model, rows, cls, cfg, affinity);
            for (int v = 0; v < g.length; v++) {
                g[v].attach(m);
                chunks.get(v).add(g[v]);
            }
        }
        NDArray[] out = new NDArray[affinity.length];
        for (int v = 0; v < out.length; v++) {
            List<NDArray> c = chunks.get(v);
            out[v] = c.size() == 1 ? c.get(0) : NDArrays.concat(new NDList(c), 0);
        }
        return out;
    }
}
