package org.wsss4j.methods.aream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.wsss4j.cam.CamOps;
import org.wsss4j.model.ForwardRequest;
import org.wsss4j.model.VisionTransformer;
import org.wsss4j.model.VitOutput;
import org.wsss4j.runtime.Engines;

/**
 * The refined CAMs and the entropy weights on a hand-made forward: 2 classes, a 1×2 grid (tokens
 * c0, c1, p0, p1), one head, two blocks.
 */
class RefinedCamTest {
    @BeforeAll
    static void engine() {
        Engines.init();
    }

    /** One block's [1, 1, 4, 4] attention from its class-to-patch and patch-to-patch rows. */
    static NDArray block(NDManager m, float[][] c2p, float[][] p2p) {
        float[] v = new float[16];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                v[i * 4 + 2 + j] = c2p[i][j];
                v[(2 + i) * 4 + 2 + j] = p2p[i][j];
            }
        }
        return m.create(v, new Shape(1, 1, 4, 4));
    }

    static VitOutput output(NDManager m) {
        // block 0: class rows (0.2, 0.6), (0.5, 0.1); patch rows (0.3, 0.7), (0.4, 0.2)
        NDArray b0 = block(m, new float[][] {{0.2f, 0.6f}, {0.5f, 0.1f}},
                new float[][] {{0.3f, 0.7f}, {0.4f, 0.2f}});
        // block 1: class rows (0.4, 0.2), (0.1, 0.3); patch rows = identity
        NDArray b1 = block(m, new float[][] {{0.4f, 0.2f}, {0.1f, 0.3f}},
                new float[][] {{1f, 0f}, {0f, 1f}});
        // PatchCAM: class 0 (2, −1), class 1 (1, 3)
        NDArray patchCam = m.create(new float[] {2, -1, 1, 3}, new Shape(1, 2, 1, 2));
        return new VitOutput(null, null, patchCam, null, List.of(b0, b1), List.of(), List.of(),
                2, 1, 2);
    }

    @Test
    void gridMapRefinesClassAttentionOfAllBlocksWithTheChosenAffinity() {
        try (NDManager m = NDManager.newBaseManager(Engines.device())) {
            VitOutput out = output(m);
            // class attention, mean of both blocks: class 0 (0.3, 0.4), class 1 (0.3, 0.2);
            // M = ReLU(PatchCAM) ⊙ it: class 0 (0.6, 0), class 1 (0.3, 0.6).
            // Block 0's affinity: M_ref[c, i] = Σ_j P[i, j] M[c, j]
            //   class 0: (0.3·0.6, 0.4·0.6) = (0.18, 0.24)
            //   class 1: (0.3·0.3 + 0.7·0.6, 0.4·0.3 + 0.2·0.6) = (0.51, 0.24)
            assertArrayEquals(new float[] {0.18f, 0.24f, 0.51f, 0.24f},
                    RefinedCam.gridMap(out, new int[] {0}, null).toFloatArray(), 1e-6f);
            // Blocks {0, 1} weighted {1, 0.5}: P = (P0 + 0.5 I) / 2 = ((0.4, 0.35), (0.2, 0.35))
            //   class 0: (0.4·0.6, 0.2·0.6) = (0.24, 0.12)
            //   class 1: (0.4·0.3 + 0.35·0.6, 0.2·0.3 + 0.35·0.6) = (0.33, 0.27)
            assertArrayEquals(new float[] {0.24f, 0.12f, 0.33f, 0.27f},
                    RefinedCam.gridMap(out, new int[] {0, 1}, new double[] {1, 0.5})
                            .toFloatArray(), 1e-6f);
        }
    }

    @Test
    void entropyOfEachBlockRefinementByHand() {
        try (NDManager m = NDManager.newBaseManager(Engines.device())) {
            VitOutput one = output(m);
            // two images: the first labelled {class 0}, the second unlabelled (skipped)
            VitOutput out = new VitOutput(null, null,
                    one.patchCam().concat(one.patchCam(), 0), null,
                    List.of(one.attention().get(0).concat(one.attention().get(0), 0),
                            one.attention().get(1).concat(one.attention().get(1), 0)),
                    List.of(), List.of(), 2, 1, 2);
            NDArray labels = m.create(new float[] {1, 0, 0, 0}, new Shape(2, 2));
            double[][] h = EntropyWeights.perImage(out, labels);
            assertNull(h[1]);
            // class 0's ReLU(PatchCAM) = (2, 0). Block 0: P0·(2, 0) = (0.6, 0.8); block 1: (2, 0).
            assertEquals(bits(0.6, 0.8), h[0][0], 1e-5);
            assertEquals(bits(2, 0), h[0][1], 1e-5);
            assertArrayEquals(new double[] {0, 0.25, 1},
                    EntropyWeights.normalize(new double[] {1, 2, 5}).stream()
                            .mapToDouble(Double::doubleValue).toArray(), 1e-12);
            assertThrows(IllegalArgumentException.class,
                    () -> EntropyWeights.normalize(new double[] {3, 3}));
            assertTrue(EntropyWeights.defined(new double[] {1, 2, 5}));
            assertFalse(EntropyWeights.defined(new double[] {6, 6 - 1e-7, 6}));
            assertFalse(EntropyWeights.defined(new double[] {1, Double.NaN}));
        }
    }

    /** Entropy in bits of softmax(a, b). */
    static double bits(double a, double b) {
        double pa = Math.exp(a) / (Math.exp(a) + Math.exp(b));
        double pb = 1 - pa;
        return -(pa * Math.log(pa) + pb * Math.log(pb)) / Math.log(2);
    }

    /**
     * A tiny model whose PatchCAM head is scaled up: a random init gives maps of range ~1e-5,
     * where min–max's guard shows.
     */
    static VisionTransformer widened(long seed) {
        VisionTransformer model = new VisionTransformer(AffinityLossTest.TINY, Engines.device(),
                seed);
        model.setParameter("head.weight", model.parameter("head.weight").mul(1000f));
        return model;
    }

    @Test
    void inferenceAndTrainingMapsAreNormalisedFlipConsistentAndLabelMasked() {
        try (VisionTransformer model = widened(3);
                NDManager m = NDManager.newBaseManager(Engines.device())) {
            NDArray x = AffinityLossTest.images(m);
            NDArray cam = RefinedCam.inference(model, x);
            assertEquals(new Shape(2, 3, 32, 32), cam.getShape());
            assertTrue(cam.min().getFloat() >= 0f && cam.max().getFloat() <= 1f);
            // scale 1 + flip: the flipped input gives the flipped map
            NDArray camF = RefinedCam.inference(model, CamOps.flipW(x));
            assertTrue(CamOps.flipW(camF).sub(cam).abs().max().getFloat() < 1e-4f);
            // the intermediates are freed: nothing new stays in the model's manager
            NDManager modelManager = model.parameter("cls_token").getManager();
            int before = modelManager.getManagedArrays().size();
            RefinedCam.inference(model, x);
            assertEquals(before, modelManager.getManagedArrays().size());
            NDArray labels = m.create(new float[] {0, 1, 0, 1, 1, 0}, new Shape(2, 3));
            before = modelManager.getManagedArrays().size();
            RefinedCam.training(model, x, labels, AreamConfig.PAPER);
            assertEquals(before, modelManager.getManagedArrays().size());
            NDArray train = RefinedCam.training(model, x, labels, AreamConfig.PAPER);
            assertEquals(new Shape(2, 3, 32, 32), train.getShape());
            float[] v = train.toFloatArray();
            int hw = 32 * 32;
            float[] lab = labels.toFloatArray();
            for (int b = 0; b < 2; b++) {
                for (int c = 0; c < 3; c++) {
                    float max = 0;
                    for (int k = 0; k < hw; k++) {
                        max = Math.max(max, v[(b * 3 + c) * hw + k]);
                    }
                    if (lab[b * 3 + c] > 0) {
                        assertEquals(1f, max, 1e-3f); // min–max per label class
                    } else {
                        assertEquals(0f, max, 0f); // other classes zeroed
                    }
                }
            }
        }
    }

    @Test
    void reusingTheTrainingForwardGivesTheSameMapWithoutAGraph() {
        try (VisionTransformer model = widened(4);
                NDManager m = NDManager.newBaseManager(Engines.device())) {
            NDArray x = AffinityLossTest.images(m);
            NDArray labels = m.create(new float[] {1, 1, 0, 0, 1, 1}, new Shape(2, 3));
            NDArray twoPass = RefinedCam.training(model, x, labels, AreamConfig.PAPER);
            try (ai.djl.training.GradientCollector gc =
                    ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                // the training step's own forward, graph and all
                VitOutput out = model.forward(x, new ForwardRequest(true, true, false));
                NDArray reused = RefinedCam.training(model, x, labels, AreamConfig.PAPER, out);
                assertTrue(reused.sub(twoPass).abs().max().getFloat() < 1e-5f,
                        "reused and two-pass maps differ");
                assertThrows(ai.djl.engine.EngineException.class,
                        () -> gc.backward(reused.sum()), "the reused map joined the graph");
            }
            VitOutput plain = model.forward(x, ForwardRequest.PLAIN);
            assertThrows(IllegalArgumentException.class,
                    () -> RefinedCam.training(model, x, labels, AreamConfig.PAPER, plain));
        }
    }
}
