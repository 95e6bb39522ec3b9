package org.wsss4j.methods.acr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.wsss4j.cam.CamOps;
import org.wsss4j.model.ForwardRequest;
import org.wsss4j.model.VisionTransformer;
import org.wsss4j.model.VitConfig;
import org.wsss4j.model.VitOutput;
import org.wsss4j.runtime.Engines;

class GradientLocalisationTest {
    /** 16 px, patch 8 → 2×2 grid, 3 class tokens: N = 7; 3 blocks, 2 heads. */
    static final VitConfig FD =
            new VitConfig("fd", 16, 8, 16, 3, 2, 2.0, 3, 3, VitConfig.Readout.LINEAR,
                    VitConfig.Stem.PATCH, 0.0);

    @BeforeAll
    static void engine() {
        Engines.init();
    }

    /** Class score z_{row, c} of a forward with the given (non-zero) probes. */
    static double score(VisionTransformer model, NDArray x, Map<Integer, NDArray> probes, int row,
            int c) {
        VitOutput o = model.forward(x, ForwardRequest.PLAIN, null, probes);
        return o.classLogits().getFloat(row, c);
    }

    @Test
    void zeroProbesLeaveTheForwardUnchanged() {
        try (VisionTransformer model = new VisionTransformer(FD, Device.cpu(), 1);
                NDManager m = NDManager.newBaseManager(Device.cpu())) {
            AcrFixtures.scramble(model, 2, 0.3);
            NDArray x = AcrFixtures.gaussian(m, new Shape(2, 3, 16, 16), 3, 0);
            VitOutput plain = model.forward(x, ForwardRequest.ATTENTION);
            VitOutput probed = model.forward(x, ForwardRequest.ATTENTION, null,
                    Map.of(1, m.zeros(new Shape(2, 2, 7, 7))));
            assertEquals(0f, plain.classLogits().sub(probed.classLogits()).abs().max().getFloat());
            assertEquals(0f, plain.attention().get(2).sub(probed.attention().get(2)).abs().max()
                    .getFloat());
        }
    }

    /**
     * The acceptance check: the probe gradients of blocks {0, 1, 2}, taken in one backward, equal
     * central finite differences of the class score when that block's attention is perturbed —
     * along random directions (which test the whole gradient tensor of a row at once) and along
     * the three largest single entries. Block 0's derivative includes its paths through blocks 1
     * and 2's own attention, so a probe that cut the graph would fail here.
     */
    @Test
    void attentionGradientsMatchFiniteDifferences() {
        try (VisionTransformer model = new VisionTransformer(FD, Device.cpu(), 1);
                NDManager m = NDManager.newBaseManager(Device.cpu())) {
            AcrFixtures.scramble(model, 2, 0.3);
            NDArray x = AcrFixtures.gaussian(m, new Shape(2, 3, 16, 16), 3, 0);
            int[] classes = {0, 2};
            int[] blocks = {0, 1, 2};
            GradientLocalisation.AttentionGradients ag =
                    GradientLocalisation.attentionGradients(model, x, classes, blocks);
            int heads = 2, n = 7, per = heads * n * n;
            double eps = 1e-2;
            double worstDir = 0, worstEntry = 0, maxAbsGrad = 0;
            int checks = 0;
            java.util.SplittableRandom r = new java.util.SplittableRandom(11);
            for (int b : blocks) {
                float[] g = ag.gradients().get(b).toFloatArray();
                for (int row = 0; row < 2; row++) {
                    double norm = 0;
                    Integer[] order = new Integer[per];
                    for (int k = 0; k < per; k++) {
                        double v = g[row * per + k];
                        norm += v * v;
                        maxAbsGrad = Math.max(maxAbsGrad, Math.abs(v));
                        order[k] = k;
                    }
                    norm = Math.sqrt(norm);
                    assertTrue(norm > 1e-3, "block " + b + " row " + row + ": gradient ~ 0");
                    final int rr = row;
                    java.util.Arrays.sort(order,
                            (a, c) -> Float.compare(Math.abs(g[rr * per + c]),
                                    Math.abs(g[rr * per + a])));
                    for (int trial = 0; trial < 9; trial++) {
                        float[] dir = new float[2 * per];
                        if (trial < 6) {
                            for (int k = 0; k < per; k++) {
                                dir[row * per + k] = (float) (r.nextGaussian() / Math.sqrt(per));
                            }
                        } else {
                            dir[row * per + order[trial - 6]] = 1f;
                        }
                        double want = 0;
                        for (int k = 0; k < per; k++) {
                            want += g[row * per + k] * dir[row * per + k];
                        }
                        double fd = directional(model, x, b, dir, eps, row, classes[row]);
                        double err = Math.abs(fd - want) / norm;
                        if (trial < 6) {
                            worstDir = Math.max(worstDir, err);
                        } else {
                            worstEntry = Math.max(worstEntry, err);
                        }
                        checks++;
                    }
                }
            }
            System.out.printf("ACR attention-gradient finite-difference check (eps %.0e, float32):"
                    + " %d checks over 3 blocks x 2 rows, max|grad| %.3f; worst |fd - grad.v| /"
                    + " |grad| = %.2e (random unit directions), %.2e (largest single entries)%n",
                    eps, checks, maxAbsGrad, worstDir, worstEntry);
            assertTrue(worstDir < 5e-3, "directional error " + worstDir);
            assertTrue(worstEntry < 5e-3, "single-entry error " + worstEntry);
        }
    }

    /** (z(E + eps·v) − z(E − eps·v)) / 2eps for a probe direction v of one block. */
    static double directional(VisionTransformer model, NDArray x, int block, float[] dir,
            double eps, int row, int c) {
        double[] z = new double[2];
        for (int s = 0; s < 2; s++) {
            try (NDManager sub = x.getManager().newSubManager()) {
                NDArray xx = x.duplicate();
                xx.attach(sub);
                NDArray probe = sub.create(dir, new Shape(2, 2, 7, 7)).mul((float) (s == 0 ? eps
                        : -eps));
                z[s] = score(model, xx, Map.of(block, probe), row, c);
            }
        }
        return (z[0] - z[1]) / (2 * eps);
    }

    @Test
    void probingSeveralBlocksGivesEachBlocksOwnGradient() {
        try (VisionTransformer model = new VisionTransformer(FD, Device.cpu(), 1);
                NDManager m = NDManager.newBaseManager(Device.cpu())) {
            AcrFixtures.scramble(model, 2, 0.3);
            NDArray x = AcrFixtures.gaussian(m, new Shape(2, 3, 16, 16), 4, 0);
            int[] classes = {1, 1};
            GradientLocalisation.AttentionGradients all =
                    GradientLocalisation.attentionGradients(model, x, classes, new int[] {0, 2});
            for (int b : new int[] {0, 2}) {
                NDArray alone = GradientLocalisation.attentionGradients(model, x, classes,
                        new int[] {b}).gradients().get(b);
                assertEquals(0f, alone.sub(all.gradients().get(b)).abs().max().getFloat(), 1e-6f);
            }
            // Rows are independent: a batch of two equals two batches of one.
            NDArray one = GradientLocalisation.attentionGradients(model,
                    x.get("1:2"), new int[] {1}, new int[] {0}).gradients().get(0);
            // (up to float summation order, which depends on the batch size)
            float scale = one.abs().max().getFloat();
            assertEquals(0f, one.sub(all.gradients().get(0).get("1:2")).abs().max().getFloat(),
                    1e-5f * scale);
        }
    }

    @Test
    void modelParametersKeepTheirGradientsAndStayTrainable() {
        try (VisionTransformer model = new VisionTransformer(FD, Device.cpu(), 1);
                NDManager m = NDManager.newBaseManager(Device.cpu())) {
            AcrFixtures.scramble(model, 2, 0.3);
            NDArray x = AcrFixtures.gaussian(m, new Shape(2, 3, 16, 16), 5, 0);
            NDArray qkv = model.parameter("blocks.1.attn.qkv.weight");
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(model.forward(x, ForwardRequest.PLAIN).classLogits().sum());
            }
            NDArray before = qkv.getGradient().duplicate();
            before.attach(m);
            GradientLocalisation.infer(model, x, m.create(new float[] {1, 1, 0, 0, 0, 1},
                    new Shape(2, 3)), LocalisationConfig.PAPER);
            NDArray after = qkv.getGradient();
            after.attach(m);
            assertEquals(0f, after.sub(before).abs().max().getFloat(), "no accumulation");
            for (NDArray p : model.parameters().values()) {
                assertTrue(p.hasGradient(), "parameter left out of autograd");
            }
            // and training still reaches them: a new backward accumulates into the gradient
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(model.forward(x, ForwardRequest.PLAIN).classLogits().sum());
            }
            NDArray again = qkv.getGradient();
            again.attach(m);
            assertEquals(0f, again.sub(before.mul(2f)).abs().max().getFloat(),
                    1e-5f * before.abs().max().getFloat(), "the same backward twice = 2x");
        }
    }

    @Test
    void gridMapIsThePositiveHeadMeanGradientOfTheClassRow() {
        try (VisionTransformer model = new VisionTransformer(FD, Device.cpu(), 1);
                NDManager m = NDManager.newBaseManager(Device.cpu())) {
            AcrFixtures.scramble(model, 6, 0.3);
            NDArray x = AcrFixtures.gaussian(m, new Shape(2, 3, 16, 16), 6, 0);
            int[] classes = {2, 0};
            // 12-block layer 10 on 3 blocks = the last block only
            LocalisationConfig cfg = new LocalisationConfig(4, LocalisationConfig.GradientMode.GRAD,
                    false, List.of(1.0), false, 16); // layer 4 of 12 → blocks {1, 2}
            int[] blocks = {1, 2};
            GradientLocalisation.AttentionGradients ag =
                    GradientLocalisation.attentionGradients(model, x, classes, blocks);
            int heads = 2, n = 7, t = 3, hw = 4;
            float[][] grads = {ag.gradients().get(1).toFloatArray(),
                    ag.gradients().get(2).toFloatArray()};
            double[][] want = new double[2][hw];
            for (int row = 0; row < 2; row++) {
                for (int k = 0; k < hw; k++) {
                    double s = 0;
                    for (float[] g : grads) {
                        for (int h = 0; h < heads; h++) {
                            s += Math.max(0, g[((row * heads + h) * n + classes[row]) * n + t + k])
                                    / heads;
                        }
                    }
                    want[row][k] = s;
                }
            }
            float[] got = GradientLocalisation.gridMaps(model, x, classes, cfg).toFloatArray();
            double maxWant = 0;
            for (int row = 0; row < 2; row++) {
                for (int k = 0; k < hw; k++) {
                    assertEquals(want[row][k], got[row * hw + k], 1e-6);
                    maxWant = Math.max(maxWant, want[row][k]);
                }
            }
            assertTrue(maxWant > 0, "an all-zero map tests nothing");
            // Affinity: m' = (Σ over all blocks of head-mean patch-to-patch attention) · m
            float[][] att = new float[3][];
            for (int b = 0; b < 3; b++) {
                att[b] = ag.attention().get(b).toFloatArray();
            }
            float[] gotAff = GradientLocalisation.gridMaps(model, x, classes,
                    cfg.withAffinity(true)).toFloatArray();
            for (int row = 0; row < 2; row++) {
                for (int i = 0; i < hw; i++) {
                    double s = 0;
                    for (int j = 0; j < hw; j++) {
                        double a = 0;
                        for (float[] ab : att) {
                            for (int h = 0; h < heads; h++) {
                                a += ab[((row * heads + h) * n + t + i) * n + t + j] / heads;
                            }
                        }
                        s += a * want[row][j];
                    }
                    assertEquals(s, gotAff[row * hw + i], 1e-5);
                }
            }
        }
    }

    @Test
    void inferGivesNormalisedLabelClassMapsAndIsFlipConsistent() {
        try (VisionTransformer model = new VisionTransformer(AcrFixtures.TINY, Device.cpu(), 1);
                NDManager m = NDManager.newBaseManager(Device.cpu())) {
            AcrFixtures.scramble(model, 7, 0.3);
            NDArray x = AcrFixtures.gaussian(m, new Shape(2, 3, 32, 32), 7, 0);
            NDArray labels = m.create(new float[] {1, 0, 1, 0, 1, 0}, new Shape(2, 3));
            for (boolean aff : new boolean[] {false, true}) {
                LocalisationConfig cfg = LocalisationConfig.PAPER.withAffinity(aff)
                        .withScales(List.of(1.0, 0.5)).withPairsPerPass(2);
                NDArray cam = GradientLocalisation.infer(model, x, labels, cfg);
                assertEquals(new Shape(2, 3, 32, 32), cam.getShape());
                assertTrue(cam.min().getFloat() >= 0f && cam.max().getFloat() <= 1f);
                assertEquals(1f, cam.get("0, 0").max().getFloat(), 1e-2);
                assertEquals(1f, cam.get("1, 1").max().getFloat(), 1e-2);
                assertEquals(0f, cam.get("0, 1").abs().max().getFloat(), "absent class stays 0");
                assertEquals(0f, cam.get("1, 2").abs().max().getFloat());
                NDArray camFlip = GradientLocalisation.infer(model, CamOps.flipW(x), labels, cfg);
                float d = camFlip.sub(CamOps.flipW(cam)).abs().max().getFloat();
                assertTrue(d < 1e-4, "flip mismatch " + d);
                // one pass for both variants gives what two separate calls give
                NDArray both = GradientLocalisation.inferVariants(model, x, labels, cfg, !aff,
                        aff)[1];
                assertEquals(0f, both.sub(cam).abs().max().getFloat(), 1e-6f);
            }
        }
    }

    @Test
    void oneClassTokenLayoutUsesTokenZerosRow() {
        try (VisionTransformer model = new VisionTransformer(FD.withClassTokens(1), Device.cpu(), 1);
                NDManager m = NDManager.newBaseManager(Device.cpu())) {
            AcrFixtures.scramble(model, 8, 0.3);
            NDArray x = AcrFixtures.gaussian(m, new Shape(1, 3, 16, 16), 8, 0);
            LocalisationConfig cfg = LocalisationConfig.PAPER.withFlip(false);
            int[] blocks = org.wsss4j.model.LayerPositions.from(10, 3);
            NDArray g = GradientLocalisation.attentionGradients(model, x, new int[] {1}, blocks)
                    .gradients().get(blocks[0]); // [1, 2, 5, 5]
            NDArray want = g.maximum(0f).mean(new int[] {1}).get("0, 0, 1:").reshape(1, 2, 2);
            NDArray got = GradientLocalisation.gridMaps(model, x, new int[] {1}, cfg);
            assertEquals(0f, got.sub(want).abs().max().getFloat(), 1e-6f);
            assertTrue(want.max().getFloat() > 0f);
        }
    }
}
