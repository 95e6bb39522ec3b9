package org.wsss4j.methods.acr;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.SplittableRandom;
import org.wsss4j.model.VisionTransformer;
import org.wsss4j.model.VitConfig;
import org.wsss4j.runtime.Seeds;
import org.wsss4j.train.TinyTraining;

/** Tiny models and hand-made tensors shared by the ACR tests. */
final class AcrFixtures {
    /** 32 px, patch 8 → 4×4 grid, 3 classes = 3 class tokens, N = 19, 2 blocks, 2 heads. */
    static final VitConfig TINY = TinyTraining.tinyVit(0.0);

    private AcrFixtures() {}

    /**
     * Adds N(0, std²) noise (drawn in Java from {@code seed}) to every parameter, so that
     * attention is far from uniform and the class scores are not stuck at their initial values.
     */
    static void scramble(VisionTransformer model, long seed, double std) {
        long k = 0;
        try (NDManager m = NDManager.newBaseManager(model.device())) {
            for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
                NDArray p = e.getValue();
                float[] v = p.toFloatArray();
                SplittableRandom r = Seeds.random(seed, k++, Seeds.Stream.OTHER);
                for (int i = 0; i < v.length; i++) {
                    v[i] += (float) (std * r.nextGaussian());
                }
                model.setParameter(e.getKey(), m.create(v, p.getShape()));
            }
        }
    }

    /**
     * Makes the model exactly equivariant to a horizontal flip: patch-embedding kernels and the
     * grid part of the position embedding become left-right symmetric. The flipped image's
     * tokens are then the original's, permuted by {@link TokenFlip#permutation}.
     */
    static void symmetrise(VisionTransformer model) {
        VitConfig c = model.config();
        try (NDManager m = NDManager.newBaseManager(model.device())) {
            NDArray w = model.parameter("patch_embed.proj.weight").duplicate();
            w.attach(m);
            model.setParameter("patch_embed.proj.weight", w.add(w.flip(3)).div(2f));
            NDArray pos = model.parameter("pos_embed").duplicate();
            pos.attach(m);
            int t = c.numClassTokens();
            int g = c.gridSize();
            NDArray cls = pos.get(new NDIndex(":, :{}", t));
            NDArray grid = pos.get(new NDIndex(":, {}:", t)).reshape(1, g, g, c.embedDim());
            grid = grid.add(grid.flip(2)).div(2f).reshape(1, (long) g * g, c.embedDim());
            model.setParameter("pos_embed", cls.concat(grid, 1));
        }
    }

    /** Random row-stochastic attention [B, heads, n, n] per block, from a Java seed. */
    static java.util.List<NDArray> randomAttention(
            NDManager m, int blocks, int batch, int heads, int n, long seed) {
        java.util.List<NDArray> out = new java.util.ArrayList<>();
        for (int b = 0; b < blocks; b++) {
            out.add(gaussian(m, new Shape(batch, heads, n, n), seed, b).mul(2f).softmax(-1));
        }
        return out;
    }

    static NDArray gaussian(NDManager m, Shape shape, long seed, long stream) {
        SplittableRandom r = Seeds.random(seed, stream, Seeds.Stream.OTHER);
        float[] v = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return m.create(v, shape);
    }
}
