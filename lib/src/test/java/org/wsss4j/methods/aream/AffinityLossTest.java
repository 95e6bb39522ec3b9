package org.wsss4j.methods.aream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.wsss4j.model.ForwardRequest;
import org.wsss4j.model.VisionTransformer;
import org.wsss4j.model.VitConfig;
import org.wsss4j.model.VitOutput;
import org.wsss4j.runtime.Engines;
import org.wsss4j.train.LossHook;
import org.wsss4j.train.TinyTraining;

class AffinityLossTest {
    /** Depth 4: K = 7 resolves to shallow {0, 1}, deep {2, 3}. */
    static final VitConfig TINY = TinyTraining.tinyVit(4, 0.0);

    @BeforeAll
    static void engine() {
        Engines.init();
    }

    @Test
    void matchesTheDefinitionOnAHandCase() {
        try (NDManager m = NDManager.newBaseManager(Engines.device())) {
            // Y = [[1, 0], [0, 255]]: one positive, two negatives, one ignored pair.
            NDArray y = m.create(new float[] {1, 0, 0, 255}, new Shape(1, 2, 2));
            NDArray s = m.create(new float[] {0.8f, 0.3f, 0.1f, 0.9f}, new Shape(1, 2, 2));
            double want = 0.5 * (1 - 0.8) / (1 + 1) + 0.5 * (0.3 + 0.1) / (2 + 1);
            assertEquals(want, AffinityLoss.of(s, y).getFloat(), 1e-6);
        }
    }

    @Test
    void isMinimalForAPerfectPrediction() {
        try (NDManager m = NDManager.newBaseManager(Engines.device())) {
            int n = 6;
            float[] y = new float[n * n];
            float[] perfect = new float[n * n];
            int[] seg = {1, 1, 0, 0, 255, 2};
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    int k = i * n + j;
                    y[k] = seg[i] == 255 || seg[j] == 255 ? 255 : seg[i] == seg[j] ? 1 : 0;
                    // logits: +30 where Y = 1, −30 where Y = 0, anything on ignored pairs
                    perfect[k] = y[k] == 1 ? 30f : y[k] == 0 ? -30f : (k % 3) - 1f;
                }
            }
            NDArray label = m.create(y, new Shape(1, n, n));
            NDArray logits = m.create(perfect, new Shape(1, 1, n, n)); // 1 head, no class token
            float best = AffinityLoss.of(AffinityLoss.prediction(logits, 0), label).getFloat();
            assertTrue(best < 1e-6f, "perfect prediction gives " + best);
            // any other prediction on the non-ignored pairs costs more; ignored pairs cost nothing
            NDArray noise = m.randomNormal(new Shape(1, 1, n, n));
            for (float scale : new float[] {0.1f, 1f, 10f}) {
                float other = AffinityLoss.of(
                        AffinityLoss.prediction(logits.add(noise.mul(scale)).sub(logits.mul(0.9f)),
                                0), label).getFloat();
                assertTrue(other > best + 1e-4f, "perturbed (" + scale + ") gives " + other);
            }
            float[] moved = perfect.clone();
            for (int k = 0; k < moved.length; k++) {
                if (y[k] == 255) {
                    moved[k] = 50f;
                }
            }
            assertEquals(best, AffinityLoss.of(AffinityLoss.prediction(
                    m.create(moved, new Shape(1, 1, n, n)), 0), label).getFloat(), 1e-7f);
        }
    }

    @Test
    void predictionIsTheSigmoidOfTheHeadMeanLogitsOverPatches() {
        try (NDManager m = NDManager.newBaseManager(Engines.device())) {
            // 2 heads, 1 class token + 2 patches: patch block of head 0 = 1,2,3,4; head 1 = 3,2,1,0
            float[] v = new float[2 * 9];
            float[][] patch = {{1, 2, 3, 4}, {3, 2, 1, 0}};
            for (int h = 0; h < 2; h++) {
                for (int i = 0; i < 3; i++) {
                    for (int j = 0; j < 3; j++) {
                        v[h * 9 + i * 3 + j] = i >= 1 && j >= 1
                                ? patch[h][(i - 1) * 2 + (j - 1)] : 100f;
                    }
                }
            }
            float[] p = AffinityLoss.prediction(m.create(v, new Shape(1, 2, 3, 3)), 1)
                    .toFloatArray();
            for (int k = 0; k < 4; k++) {
                assertEquals(1 / (1 + Math.exp(-2.0)), p[k], 1e-6); // every head mean is 2
            }
            // weighted mean over blocks: (1·L + 3·L) / 2 = 2L
            NDArray logits = m.create(v, new Shape(1, 2, 3, 3));
            NDArray y = m.create(new float[] {1, 0, 0, 1}, new Shape(1, 2, 2));
            float single = AffinityLoss.of(AffinityLoss.prediction(logits, 1), y).getFloat();
            float both = AffinityLoss.overBlocks(List.of(logits, logits), new int[] {0, 1},
                    new double[] {1, 3}, 1, y).getFloat();
            assertEquals(2 * single, both, 1e-6);
        }
    }

    @Test
    void gradientIsTheAnalyticOneEvenUnderGarbageCollection() throws Exception {
        // dL/dz for one head and weight w: pairs with Y=1 get −w/2·σ(1−σ)/(n₊+1), Y=0 get
        // +w/2·σ(1−σ)/(n₋+1), ignored pairs 0. A GC thread runs throughout: a scalar of the
        // graph freed by the collector would show up as a wrong gradient (see AffinityLoss.scale).
        Thread gc = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                System.gc();
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        gc.setDaemon(true);
        gc.start();
        try {
            float[] z = {0.3f, -1.2f, 2.0f, 0.7f};
            float[] y = {1, 0, 255, 1};
            double w = 0.7;
            for (int rep = 0; rep < 20; rep++) {
                try (NDManager m = NDManager.newBaseManager(Engines.device())) {
                    NDArray logits = m.create(z, new Shape(1, 1, 2, 2));
                    logits.setRequiresGradient(true);
                    NDArray label = m.create(y, new Shape(1, 2, 2));
                    try (GradientCollector gc2 = Engine.getInstance().newGradientCollector()) {
                        NDArray loss = AffinityLoss.overBlocks(List.of(logits), new int[] {0},
                                new double[] {w}, 0, label);
                        System.gc();
                        Thread.sleep(2);
                        gc2.backward(loss);
                    }
                    float[] g = logits.getGradient().toFloatArray();
                    for (int k = 0; k < 4; k++) {
                        double s = 1 / (1 + Math.exp(-z[k]));
                        double want = y[k] == 1 ? -w / 2 * s * (1 - s) / (2 + 1)
                                : y[k] == 0 ? w / 2 * s * (1 - s) / (1 + 1) : 0;
                        assertEquals(want, g[k], 1e-6, "rep " + rep + " pair " + k);
                    }
                }
            }
        } finally {
            gc.interrupt();
        }
    }

    /** Fixed pixels (libtorch's own RNG is not seeded per test): noise in [−1, 1). */
    static NDArray images(NDManager m) {
        java.util.SplittableRandom r = org.wsss4j.runtime.Seeds.random(11, 0,
                org.wsss4j.runtime.Seeds.Stream.OTHER);
        float[] v = new float[2 * 3 * 32 * 32];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return m.create(v, new Shape(2, 3, 32, 32));
    }

    @Test
    void targetCarriesNoGradientAndTheLossReachesOnlyTheBlocksItSupervises() {
        try (VisionTransformer model = new VisionTransformer(TINY, Engines.device(), 5);
                NDManager m = NDManager.newBaseManager(Engines.device())) {
            NDArray x = images(m);
            NDArray labels = m.create(new float[] {1, 0, 1, 0, 1, 0}, new Shape(2, 3));
            AffinityLossHook hook = new AffinityLossHook(AreamConfig.PAPER);
            // The target pass runs inside the collector but builds no graph: backprop from it
            // fails (DJL's hasGradient() is false for every non-leaf, so it cannot tell).
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray cam = RefinedCam.training(model, x, labels, AreamConfig.PAPER);
                assertThrows(EngineException.class, () -> gc.backward(cam.sum()));
            }
            assertEquals(0.0, gradNorm(model, "blocks.0.attn.qkv.weight"), 0.0);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                VitOutput out = model.forward(x, hook.request(0));
                assertEquals(4, out.attentionLogits().size());
                Map<String, NDArray> terms = new LinkedHashMap<>();
                hook.addTerms(new LossHook.Context(model, x, labels, out, 0, 1, m,
                        new LinkedHashMap<>()), terms);
                NDArray loss = terms.get(AffinityLossHook.TERM);
                assertTrue(loss.getFloat() > 0);
                gc.backward(loss);
            }
            AffinityLossHook.TargetStats st = hook.targetStats().get(0);
            assertTrue(st.positive() > 0 && st.negative() > 0, "degenerate label " + st);
            // the supervised blocks' attention gets gradient ...
            for (int b : new int[] {2, 3}) {
                assertTrue(gradNorm(model, "blocks." + b + ".attn.qkv.weight") > 0, "block " + b);
            }
            // ... nothing computed after the last block's attention logits does
            for (String p : List.of("blocks.3.attn.proj.weight", "blocks.3.mlp.fc1.weight",
                    "blocks.3.norm2.weight", "norm.weight", "head.weight", "cls_readout.weight")) {
                assertEquals(0.0, gradNorm(model, p), 0.0, p);
            }
            // Shallow blocks are not supervised and their attention builds the target without
            // gradient, but they still feed the deep blocks' input through the residual stream,
            // so backprop reaches their weights there — as in the official code.
            assertTrue(gradNorm(model, "blocks.0.attn.qkv.weight") > 0);
        }
    }

    static double gradNorm(VisionTransformer model, String name) {
        NDArray g = model.parameter(name).getGradient();
        double n = g.square().sum().getFloat();
        g.close();
        return n;
    }
}
