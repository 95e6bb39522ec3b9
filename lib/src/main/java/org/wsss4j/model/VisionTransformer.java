package org.wsss4j.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.wsss4j.runtime.Seeds;

/**
 * ViT in the DeiT layout written as plain tensor code over named parameters, so that one forward
 * can hand back every block's attention and the parameters carry timm's names (weights import
 * 1:1, checkpoints are safetensors a Python user can open).
 *
 * <p>Parameters live in the model's own {@link NDManager}; forward results live in the manager of
 * the input, so closing a per-step manager frees the whole step.
 */
public final class VisionTransformer implements AutoCloseable {
    private static final float LN_EPS = 1e-6f;
    /** DJL's interpolation mode code for bicubic (PyTorch semantics, antialiased). */
    private static final int BICUBIC = 3;

    private final VitConfig config;
    private final NDManager manager;
    private final Map<String, NDArray> params = new LinkedHashMap<>();

    /** Builds a randomly initialised model; every draw comes from {@code seed} (machine independent). */
    public VisionTransformer(VitConfig config, Device device, long seed) {
        this.config = config;
        this.manager = NDManager.newBaseManager(device);
        ParamInit init = new ParamInit(seed);
        int d = config.embedDim();
        int c = config.numClasses();
        int t = config.numClassTokens();
        int g = config.gridSize();
        int p = config.patchSize();
        if (config.stem() == VitConfig.Stem.PATCH) {
            add("patch_embed.proj.weight", init.fanInUniform(new Shape(d, 3, p, p), 3 * p * p));
            add("patch_embed.proj.bias", init.fanInUniform(new Shape(d), 3 * p * p));
        } else {
            // Stride-2 3x3 convs halve the map until one token per patch, widening towards D.
            int in = 3;
            int stages = Integer.numberOfTrailingZeros(p);
            for (int s = 0; s < stages; s++) {
                int out = Math.max(16, d >> (stages - s));
                add("patch_embed.stem." + s + ".weight",
                        init.fanInUniform(new Shape(out, in, 3, 3), in * 9));
                add("patch_embed.stem." + s + ".bias", init.fanInUniform(new Shape(out), in * 9));
                in = out;
            }
            add("patch_embed.proj.weight", init.fanInUniform(new Shape(d, in, 1, 1), in));
            add("patch_embed.proj.bias", init.fanInUniform(new Shape(d), in));
        }
        add("cls_token", init.truncNormal(new Shape(1, t, d), 0.02));
        add("pos_embed", init.truncNormal(new Shape(1, t + g * g, d), 0.02));
        for (int b = 0; b < config.depth(); b++) {
            String k = "blocks." + b + ".";
            add(k + "norm1.weight", init.constant(new Shape(d), 1f));
            add(k + "norm1.bias", init.constant(new Shape(d), 0f));
            add(k + "attn.qkv.weight", init.truncNormal(new Shape(3L * d, d), 0.02));
            add(k + "attn.qkv.bias", init.constant(new Shape(3L * d), 0f));
            add(k + "attn.proj.weight", init.truncNormal(new Shape(d, d), 0.02));
            add(k + "attn.proj.bias", init.constant(new Shape(d), 0f));
            add(k + "norm2.weight", init.constant(new Shape(d), 1f));
            add(k + "norm2.bias", init.constant(new Shape(d), 0f));
            add(k + "mlp.fc1.weight", init.truncNormal(new Shape(config.mlpHidden(), d), 0.02));
            add(k + "mlp.fc1.bias", init.constant(new Shape(config.mlpHidden()), 0f));
            add(k + "mlp.fc2.weight", init.truncNormal(new Shape(d, config.mlpHidden()), 0.02));
            add(k + "mlp.fc2.bias", init.constant(new Shape(d), 0f));
        }
        add("norm.weight", init.constant(new Shape(d), 1f));
        add("norm.bias", init.constant(new Shape(d), 0f));
        if (config.isMct()) {
            // MCTformer-V2's PatchCAM head: 3x3 conv over the patch-token map.
            add("head.weight", init.truncNormal(new Shape(c, d, 3, 3), 0.02));
            add("head.bias", init.constant(new Shape(c), 0f));
            if (config.readout() == VitConfig.Readout.LINEAR) {
                // Initialised to the mean read-out so both start from the same scores.
                add("cls_readout.weight", init.constant(new Shape(c, d), 1f / d));
                add("cls_readout.bias", init.constant(new Shape(c), 0f));
            }
        } else {
            add("head.weight", init.truncNormal(new Shape(c, d), 0.02));
            add("head.bias", init.constant(new Shape(c), 0f));
        }
        for (NDArray a : params.values()) {
            a.setRequiresGradient(true);
        }
    }

    private void add(String name, float[] values, Shape shape) {
        NDArray a = manager.create(values, shape);
        a.setName(name);
        params.put(name, a);
    }

    private void add(String name, ParamInit.Values v) {
        add(name, v.data(), v.shape());
    }

    public VitConfig config() {
        return config;
    }

    public Device device() {
        return manager.getDevice();
    }

    /** Parameters by timm-style name, in a fixed order. Do not close them. */
    public Map<String, NDArray> parameters() {
        return Collections.unmodifiableMap(params);
    }

    public NDArray parameter(String name) {
        NDArray a = params.get(name);
        if (a == null) {
            throw new IllegalArgumentException("model has no parameter '" + name + "'");
        }
        return a;
    }

    /** Total number of scalar parameters. */
    public long parameterCount() {
        long n = 0;
        for (NDArray a : params.values()) {
            n += a.size();
        }
        return n;
    }

    /** Replaces a parameter's values in place (shape must match); used by imports and resume. */
    public void setParameter(String name, NDArray values) {
        NDArray p = parameter(name);
        if (!p.getShape().equals(values.getShape())) {
            throw new IllegalArgumentException(
                    "parameter '" + name + "' has shape " + p.getShape() + ", got "
                            + values.getShape());
        }
        NDArray src = values.toType(DataType.FLOAT32, false).toDevice(p.getDevice(), false);
        // Copy through a detached view: an in-place write to a leaf that requires grad fails on
        // threads whose libtorch grad mode is on (every thread but DJL's first).
        NDArray data = p.stopGradient();
        data.set(new NDIndex("..."), src);
        data.close();
        if (src != values) {
            src.close();
        }
    }

    /** Inference/training forward without stochastic depth. */
    public VitOutput forward(NDArray images, ForwardRequest request) {
        return forward(images, request, null);
    }

    /**
     * The forward pass.
     *
     * @param images [B, 3, H, W], H and W multiples of the patch size
     * @param request what to keep besides logits
     * @param dropPath stochastic-depth draws for this training step, or null for none
     */
    public VitOutput forward(NDArray images, ForwardRequest request, DropPath dropPath) {
        return forward(images, request, dropPath, Map.of());
    }

    /**
     * The forward pass with additive <em>attention probes</em>, for gradients with respect to an
     * intermediate attention map (DJL has no {@code retain_grad}). For every block b in {@code
     * attentionProbes} the post-softmax attention A_b is used as A_b + E_b, where E_b is the
     * given [B, heads, N, N] tensor. Pass zeros that require gradient: the values of the pass
     * are unchanged, and after a backward E_b's gradient is exactly ∂(target)/∂A_b, the total
     * gradient arriving at A_b — paths through later blocks' own attention included, because
     * the probe is added to A_b instead of replacing it, so the graph through every softmax
     * stays intact. Non-zero probes perturb the attention (finite-difference checks). The
     * returned attention (if requested) is A_b + E_b.
     *
     * @param attentionProbes block index → probe tensor; empty for the plain forward
     */
    public VitOutput forward(
            NDArray images,
            ForwardRequest request,
            DropPath dropPath,
            Map<Integer, NDArray> attentionProbes) {
        for (int b : attentionProbes.keySet()) {
            if (b < 0 || b >= config.depth()) {
                throw new IllegalArgumentException(
                        "attention probe for block " + b + " of a " + config.depth()
                                + "-block model");
            }
        }
        Shape s = images.getShape();
        if (s.dimension() != 4 || s.get(1) != 3) {
            throw new IllegalArgumentException("images must be [B, 3, H, W], got " + s);
        }
        int p = config.patchSize();
        if (s.get(2) % p != 0 || s.get(3) % p != 0) {
            throw new IllegalArgumentException(
                    "image size " + s.get(2) + "x" + s.get(3) + " is not a multiple of patch "
                            + p);
        }
        long batch = s.get(0);
        int gh = (int) (s.get(2) / p);
        int gw = (int) (s.get(3) / p);
        int d = config.embedDim();
        int t = config.numClassTokens();

        NDArray x = patchEmbed(images); // [B, N, D]
        NDArray cls = params.get("cls_token").broadcast(new Shape(batch, t, d));
        // Ops put results in their first operand's manager: without this the whole forward
        // would live in the model's manager and outlive the caller's scope (an evaluation loop
        // grew to 24 GB before this line).
        cls.attach(images.getManager());
        NDArray pos = positionEmbedding(gh, gw);
        if (pos != params.get("pos_embed")) {
            pos.attach(images.getManager());
        }
        x = NDArrays.concat(new NDList(cls, x), 1).add(pos);

        List<NDArray> attn = new ArrayList<>();
        List<NDArray> logits = new ArrayList<>();
        List<NDArray> feats = new ArrayList<>();
        for (int b = 0; b < config.depth(); b++) {
            x = block(b, x, request, attn, logits, dropPath, attentionProbes.get(b));
            if (request.blockFeatures()) {
                feats.add(x);
            }
        }
        x = layerNorm(x, "norm");

        NDArray classLogits;
        NDArray patchLogits = null;
        NDArray patchCam = null;
        if (config.isMct()) {
            NDArray clsTokens = x.get(new NDIndex(":, :{}", t)); // [B, C, D]
            if (config.readout() == VitConfig.Readout.MEAN) {
                classLogits = clsTokens.mean(new int[] {-1});
            } else {
                classLogits =
                        clsTokens.mul(params.get("cls_readout.weight")).sum(new int[] {-1})
                                .add(params.get("cls_readout.bias"));
            }
            NDArray map =
                    x.get(new NDIndex(":, {}:", t)).transpose(0, 2, 1).reshape(batch, d, gh, gw);
            patchCam =
                    Conv2d.conv2d(map, params.get("head.weight"), params.get("head.bias"),
                                    new Shape(1, 1), new Shape(1, 1))
                            .singletonOrThrow();
            // DJL's PyTorch mean takes one axis: pool over the flattened grid.
            patchLogits = patchCam.reshape(batch, config.numClasses(), (long) gh * gw).mean(new int[] {2});
        } else {
            classLogits =
                    Linear.linear(x.get(new NDIndex(":, 0")), params.get("head.weight"),
                                    params.get("head.bias"))
                            .singletonOrThrow();
        }
        return new VitOutput(classLogits, patchLogits, patchCam, x, attn, logits, feats, t, gh,
                gw);
    }

    private NDArray patchEmbed(NDArray images) {
        NDArray x = images;
        if (config.stem() == VitConfig.Stem.CONV) {
            int stages = Integer.numberOfTrailingZeros(config.patchSize());
            for (int s = 0; s < stages; s++) {
                String k = "patch_embed.stem." + s;
                x = Conv2d.conv2d(x, params.get(k + ".weight"), params.get(k + ".bias"),
                                new Shape(2, 2), new Shape(1, 1))
                        .singletonOrThrow();
                x = Activation.gelu(x);
            }
            x = Conv2d.conv2d(x, params.get("patch_embed.proj.weight"),
                            params.get("patch_embed.proj.bias"))
                    .singletonOrThrow();
        } else {
            int p = config.patchSize();
            x = Conv2d.conv2d(x, params.get("patch_embed.proj.weight"),
                            params.get("patch_embed.proj.bias"), new Shape(p, p))
                    .singletonOrThrow();
        }
        Shape s = x.getShape(); // [B, D, gh, gw]
        return x.reshape(s.get(0), s.get(1), s.get(2) * s.get(3)).transpose(0, 2, 1);
    }

    /**
     * The position embedding for a gh × gw grid: class-token positions as stored, the grid part
     * resampled bicubically (antialiased) when the size differs, as timm's
     * resample_abs_pos_embed does.
     */
    NDArray positionEmbedding(int gh, int gw) {
        NDArray pos = params.get("pos_embed");
        int g = config.gridSize();
        if (gh == g && gw == g) {
            return pos;
        }
        int t = config.numClassTokens();
        int d = config.embedDim();
        NDArray out;
        // The intermediates would otherwise stay in the model's manager until it closes.
        try (ai.djl.ndarray.NDScope scope = new ai.djl.ndarray.NDScope()) {
            NDArray clsPos = pos.get(new NDIndex(":, :{}", t));
            NDArray grid = pos.get(new NDIndex(":, {}:", t)).reshape(1, g, g, d)
                    .transpose(0, 3, 1, 2);
            NDArray resized =
                    grid.getNDArrayInternal().interpolation(new long[] {gh, gw}, BICUBIC, false);
            NDArray flat = resized.transpose(0, 2, 3, 1).reshape(1, (long) gh * gw, d);
            out = NDArrays.concat(new NDList(clsPos, flat), 1);
            ai.djl.ndarray.NDScope.unregister(out);
        }
        return out;
    }

    private NDArray block(
            int b,
            NDArray x,
            ForwardRequest request,
            List<NDArray> attnOut,
            List<NDArray> logitsOut,
            DropPath dropPath,
            NDArray probe) {
        String k = "blocks." + b + ".";
        Shape s = x.getShape();
        long batch = s.get(0);
        long n = s.get(1);
        int d = config.embedDim();
        int heads = config.numHeads();
        int hd = config.headDim();

        NDArray h = layerNorm(x, k + "norm1");
        NDArray qkv =
                Linear.linear(h, params.get(k + "attn.qkv.weight"), params.get(k + "attn.qkv.bias"))
                        .singletonOrThrow()
                        .reshape(batch, n, 3, heads, hd)
                        .transpose(2, 0, 3, 1, 4); // [3, B, heads, N, hd]
        NDArray q = Scalars.mul(qkv.get(0), 1.0 / Math.sqrt(hd));
        NDArray kk = qkv.get(1);
        NDArray v = qkv.get(2);
        NDArray logits = q.matMul(kk.transpose(0, 1, 3, 2));
        NDArray attn = logits.softmax(-1);
        if (probe != null) {
            if (!probe.getShape().equals(attn.getShape())) {
                throw new IllegalArgumentException("attention probe of block " + b + " has shape "
                        + probe.getShape() + ", the attention is " + attn.getShape());
            }
            attn = attn.add(probe);
        }
        if (request.attention()) {
            attnOut.add(attn);
        }
        if (request.attentionLogits()) {
            logitsOut.add(logits);
        }
        NDArray o = attn.matMul(v).transpose(0, 2, 1, 3).reshape(batch, n, d);
        o = Linear.linear(o, params.get(k + "attn.proj.weight"), params.get(k + "attn.proj.bias"))
                .singletonOrThrow();
        x = x.add(dropPath == null ? o : dropPath.apply(o, b));

        NDArray m = layerNorm(x, k + "norm2");
        m = Linear.linear(m, params.get(k + "mlp.fc1.weight"), params.get(k + "mlp.fc1.bias"))
                .singletonOrThrow();
        m = Activation.gelu(m);
        m = Linear.linear(m, params.get(k + "mlp.fc2.weight"), params.get(k + "mlp.fc2.bias"))
                .singletonOrThrow();
        return x.add(dropPath == null ? m : dropPath.apply(m, b));
    }

    private NDArray layerNorm(NDArray x, String prefix) {
        return LayerNorm.layerNorm(x, new Shape(config.embedDim()), params.get(prefix + ".weight"),
                        params.get(prefix + ".bias"), LN_EPS)
                .singletonOrThrow();
    }

    /** Frees the parameters. */
    @Override
    public void close() {
        manager.close();
    }

    /** Deterministic parameter initialisation from a seed, computed in Java. */
    static final class ParamInit {
        record Values(float[] data, Shape shape) {}

        private final long seed;
        private long counter;

        ParamInit(long seed) {
            this.seed = seed;
        }

        private SplittableRandom next() {
            return Seeds.random(seed, counter++, Seeds.Stream.INIT);
        }

        Values truncNormal(Shape shape, double std) {
            SplittableRandom r = next();
            float[] v = new float[Math.toIntExact(shape.size())];
            for (int i = 0; i < v.length; i++) {
                double z;
                do {
                    z = r.nextGaussian();
                } while (Math.abs(z) > 2.0);
                v[i] = (float) (z * std);
            }
            return new Values(v, shape);
        }

        Values fanInUniform(Shape shape, long fanIn) {
            SplittableRandom r = next();
            double bound = 1.0 / Math.sqrt(fanIn);
            float[] v = new float[Math.toIntExact(shape.size())];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) ((r.nextDouble() * 2 - 1) * bound);
            }
            return new Values(v, shape);
        }

        Values constant(Shape shape, float c) {
            counter++;
            float[] v = new float[Math.toIntExact(shape.size())];
            java.util.Arrays.fill(v, c);
            return new Values(v, shape);
        }
    }
}
