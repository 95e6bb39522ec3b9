package org.wsss4j.methods.acr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.wsss4j.cam.CamOps;
import org.wsss4j.model.ForwardRequest;
import org.wsss4j.model.VisionTransformer;
import org.wsss4j.model.VitOutput;
import org.wsss4j.runtime.Engines;
import org.wsss4j.train.LossHook;
import org.wsss4j.train.StepLog;
import org.wsss4j.train.TinyTraining;
import org.wsss4j.train.TrainConfig;
import org.wsss4j.train.TrainLoop;

class AcrHookTest {
    @BeforeAll
    static void engine() {
        Engines.init();
    }

    static NDArray images(NDManager m, long seed) {
        return AcrFixtures.gaussian(m, new Shape(2, 3, 32, 32), seed, 0);
    }

    static NDArray labels(NDManager m) {
        return m.create(new float[] {1, 0, 1, 0, 1, 0}, new Shape(2, 3));
    }

    /** The hook's terms for one batch, computed the way the loop calls it. */
    static Map<String, NDArray> terms(VisionTransformer model, AcrHook hook, NDArray x,
            NDManager m) {
        VitOutput out = model.forward(x, hook.request(0));
        Map<String, NDArray> t = new LinkedHashMap<>();
        hook.addTerms(new LossHook.Context(model, x, labels(m), out, 0, 7, m,
                new LinkedHashMap<>()), t);
        return t;
    }

    @Test
    void alphaIsRescaledToTheTokenCount() {
        AcrConfig c = AcrConfig.PAPER;
        assertEquals(125.0, c.resolvedAlpha(577), 1e-12);
        assertEquals(125.0 * 164 / 577, c.resolvedAlpha(164), 1e-12);
        assertEquals(125.0 * 164 / 577, c.resolvedAffinityWeight(164), 1e-12);
        assertEquals(125.0, c.withScaleToTokens(false).resolvedAlpha(164), 1e-12);
        assertEquals(6, c.blocksFor(6).length);
        assertEquals(List.of(1), List.of(c.withBlocks(List.of(1)).blocksFor(2)[0]));
    }

    @Test
    void secondViewIsTheFlipOrAJitterOfTheBatch() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray x = images(m, 1);
            AcrHook flip = new AcrHook(AcrConfig.PAPER);
            assertEquals(0f, flip.secondView(x, 0, 3).sub(CamOps.flipW(x)).abs().max().getFloat());
            AcrHook none = new AcrHook(AcrConfig.PAPER.withSecondView(SecondView.PHOTOMETRIC)
                    .withJitter(PhotometricJitter.NONE));
            assertEquals(0f, none.secondView(x, 0, 3).sub(x).abs().max().getFloat(), 1e-6);
            AcrHook jit = new AcrHook(AcrConfig.PAPER.withSecondView(SecondView.PHOTOMETRIC));
            NDArray j1 = jit.secondView(x, 0, 3);
            assertTrue(j1.sub(x).abs().max().getFloat() > 0.05f);
            assertEquals(0f, j1.sub(jit.secondView(x, 0, 3)).abs().max().getFloat(),
                    "same (seed, step), same view");
            assertTrue(j1.sub(jit.secondView(x, 0, 4)).abs().max().getFloat() > 0f);
        }
    }

    @Test
    void termsVanishForAFlipEquivariantModelAndNotOtherwise() {
        try (VisionTransformer model = new VisionTransformer(AcrFixtures.TINY, Device.cpu(), 2);
                NDManager m = NDManager.newBaseManager(Device.cpu())) {
            AcrFixtures.scramble(model, 4, 0.3);
            NDArray x = images(m, 2);
            AcrHook hook = new AcrHook(AcrConfig.PAPER.withScaleToTokens(false).withAlpha(1));
            Map<String, NDArray> before = terms(model, hook, x, m);
            float c2p = before.get("c2p").getFloat();
            float p2p = before.get("p2p").getFloat();
            assertTrue(c2p > 1e-3 && p2p > 1e-4, "an ordinary model is not flip-consistent: "
                    + c2p + ", " + p2p);
            // A flipped image's tokens are then exactly the original's, permuted: the un-flipped
            // maps agree, which checks the correspondence against the model's real token layout.
            AcrFixtures.symmetrise(model);
            Map<String, NDArray> after = terms(model, hook, x, m);
            assertEquals(0f, after.get("c2p").getFloat(), 1e-6f * c2p + 1e-7f);
            assertEquals(0f, after.get("p2p").getFloat(), 1e-6f * p2p + 1e-7f);
            // The same maps without un-flipping disagree: the un-flip is doing the work.
            VitOutput o1 = model.forward(x, ForwardRequest.ATTENTION);
            VitOutput o2 = model.forward(CamOps.flipW(x), ForwardRequest.ATTENTION);
            assertTrue(ConsistencyTerms.patchToPatch(o1.attention(), o2.attention(),
                    new int[] {0, 1}, 3, 4, 4, false).getFloat() > 1e-4);
        }
    }

    @Test
    void eachTermReachesEveryBlocksQkvWeights() {
        for (String term : new String[] {"c2p", "p2p"}) {
            AcrConfig cfg = AcrConfig.PAPER.withTerms(term.equals("c2p"), term.equals("p2p"))
                    .withSecondViewLoss(false);
            try (VisionTransformer model =
                            new VisionTransformer(AcrFixtures.TINY, Device.cpu(), 3);
                    NDManager m = NDManager.newBaseManager(Device.cpu())) {
                AcrFixtures.scramble(model, 5, 0.2);
                NDArray x = images(m, 3);
                AcrHook hook = new AcrHook(cfg);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    Map<String, NDArray> t = terms(model, hook, x, m);
                    assertEquals(List.of(term), List.copyOf(t.keySet()));
                    gc.backward(t.get(term));
                }
                for (int b = 0; b < model.config().depth(); b++) {
                    NDArray g = model.parameter("blocks." + b + ".attn.qkv.weight").getGradient();
                    g.attach(m);
                    float norm = g.abs().sum().getFloat();
                    assertTrue(norm > 0f, term + ": no gradient at block " + b);
                }
            }
        }
    }

    @Test
    void twoViewBaselineRunsTheSecondViewWithoutTerms() {
        try (VisionTransformer model = new VisionTransformer(AcrFixtures.TINY, Device.cpu(), 2);
                NDManager m = NDManager.newBaseManager(Device.cpu())) {
            AcrHook base = new AcrHook(AcrConfig.twoViewBaseline());
            Map<String, NDArray> t = terms(model, base, images(m, 4), m);
            assertEquals(List.of("cls2"), List.copyOf(t.keySet()));
            // zero weights with the terms on: computed, contributing nothing
            AcrHook zero = new AcrHook(AcrConfig.PAPER.withAlpha(0));
            Map<String, NDArray> z = terms(model, zero, images(m, 4), m);
            assertEquals(List.of("cls2", "c2p", "p2p"), List.copyOf(z.keySet()));
            assertEquals(0f, z.get("c2p").getFloat());
            assertEquals(t.get("cls2").getFloat(), z.get("cls2").getFloat(), 1e-6);
        }
    }

    @Test
    void trainsInTheLoopAndTheTermsChangeTheUpdate() throws IOException {
        TrainConfig cfg = new TrainConfig(7, 10, 3e-3, 0.05, 2, 0.1, 1.0, 0.1, 0);
        float[] base = train(cfg, new AcrHook(AcrConfig.twoViewBaseline(), cfg.dropPath()));
        float[] acr = train(cfg, new AcrHook(AcrConfig.PAPER, cfg.dropPath()));
        float diff = TinyTraining.maxAbsDiff(base, acr);
        assertTrue(diff > 1e-6, "the consistency terms must change the parameters");
        assertFalse(Float.isNaN(diff));
    }

    static float[] train(TrainConfig cfg, AcrHook hook) throws IOException {
        try (VisionTransformer model = new VisionTransformer(AcrFixtures.TINY, Device.cpu(), 1);
                TrainLoop loop = new TrainLoop(model, cfg, List.of(hook))) {
            loop.run((step, m) -> new org.wsss4j.train.BatchSource.Batch(
                    AcrFixtures.gaussian(m, new Shape(4, 3, 32, 32), 11, step),
                    m.create(new float[] {1, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 1},
                            new Shape(4, 3))), 0, 3, null, "", "acr", 4);
            StepLog last = loop.history().get(2);
            assertTrue(last.terms().containsKey("acr.cls2"), last.terms().toString());
            // the unweighted consistency is logged in every row, baseline included
            assertTrue(last.terms().get("acr.l1.c2p") > 0 && last.terms().get("acr.l1.p2p") > 0);
            assertEquals(hook.config().anyTerm(), last.terms().containsKey("acr.c2p"));
            if (hook.config().anyTerm()) {
                assertTrue(last.terms().get("acr.c2p") > 0 && last.terms().get("acr.p2p") > 0);
            }
            return TinyTraining.flatten(model);
        }
    }
}
