package org.wsss4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.wsss4j.runtime.Engines;

/** The optimiser against Adam's closed form, timm's decay rule, and resuming from its state. */
class AdamWTest {
    @BeforeAll
    static void engine() {
        Engines.init();
    }

    private static Map<String, NDArray> params(NDManager m) {
        Map<String, NDArray> p = new LinkedHashMap<>();
        p.put("w", m.create(new float[] {1f, -2f, 0.5f, 3f}, new Shape(2, 2)));
        p.put("b", m.create(new float[] {0.25f, -0.75f}));
        return p;
    }

    private static Map<String, NDArray> grads(NDManager m, float scale) {
        Map<String, NDArray> g = new LinkedHashMap<>();
        g.put("w", m.create(new float[] {0.1f, -0.4f, 2f, -0.02f}, new Shape(2, 2)).mul(scale));
        g.put("b", m.create(new float[] {-3f, 0.5f}).mul(scale));
        return g;
    }

    /**
     * After one step m̂ = g and v̂ = g², so the update is lr·g/(|g| + eps): a step of lr against
     * the gradient's sign whatever its size; decay scales only the 2-D weight first.
     */
    @Test
    void firstStepIsTheClosedForm() {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> p = params(m);
            double lr = 0.01;
            double wd = 0.05;
            float[] w0 = p.get("w").toFloatArray();
            float[] b0 = p.get("b").toFloatArray();
            float[] gw = grads(m, 1f).get("w").toFloatArray();
            float[] gb = grads(m, 1f).get("b").toFloatArray();
            try (AdamW opt = new AdamW(p, wd)) {
                opt.step(p, grads(m, 1f), lr);
                assertEquals(1, opt.updates());
            }
            float[] w1 = p.get("w").toFloatArray();
            float[] b1 = p.get("b").toFloatArray();
            for (int i = 0; i < w0.length; i++) {
                double want = w0[i] * (1 - lr * wd) - lr * gw[i] / (Math.abs(gw[i]) + 1e-8);
                assertEquals(want, w1[i], 1e-6, "w[" + i + "]");
            }
            for (int i = 0; i < b0.length; i++) {
                double want = b0[i] - lr * gb[i] / (Math.abs(gb[i]) + 1e-8);
                assertEquals(want, b1[i], 1e-6, "b[" + i + "] (no decay on 1-D tensors)");
            }
        }
    }

    /** Second step by hand: moments with bias correction, then the decoupled decay. */
    @Test
    void secondStepFollowsTheMoments() {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> p = params(m);
            double lr = 0.02;
            float[] w = p.get("w").toFloatArray();
            float[] g1 = grads(m, 1f).get("w").toFloatArray();
            float[] g2 = grads(m, -0.5f).get("w").toFloatArray();
            try (AdamW opt = new AdamW(p, 0.9, 0.999, 1e-8, 0.1)) {
                opt.step(p, grads(m, 1f), lr);
                opt.step(p, grads(m, -0.5f), lr);
            }
            float[] got = p.get("w").toFloatArray();
            for (int i = 0; i < w.length; i++) {
                double x = w[i];
                double mm = 0;
                double vv = 0;
                float[][] gs = {g1, g2};
                for (int t = 1; t <= 2; t++) {
                    double g = gs[t - 1][i];
                    mm = 0.9 * mm + 0.1 * g;
                    vv = 0.999 * vv + 0.001 * g * g;
                    x *= 1 - lr * 0.1;
                    double mHat = mm / (1 - Math.pow(0.9, t));
                    double vHat = vv / (1 - Math.pow(0.999, t));
                    x -= lr * mHat / (Math.sqrt(vHat) + 1e-8);
                }
                assertEquals(x, got[i], 1e-5, "w[" + i + "]");
            }
        }
    }

    @Test
    void aParameterWithoutGradientStaysPut() {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> p = params(m);
            float[] b0 = p.get("b").toFloatArray();
            Map<String, NDArray> g = grads(m, 1f);
            g.remove("b");
            try (AdamW opt = new AdamW(p, 0.05)) {
                opt.step(p, g, 0.1);
            }
            assertArrayEquals(b0, p.get("b").toFloatArray());
        }
    }

    @Test
    void timmsNoDecayRule() {
        try (NDManager m = NDManager.newBaseManager()) {
            assertTrue(AdamW.decays("blocks.0.attn.qkv.weight", m.zeros(new Shape(6, 2))));
            assertFalse(AdamW.decays("blocks.0.attn.qkv.bias", m.zeros(new Shape(6))));
            assertFalse(AdamW.decays("norm.weight", m.zeros(new Shape(2))));
            assertFalse(AdamW.decays("pos_embed", m.zeros(new Shape(1, 5, 2))));
            assertFalse(AdamW.decays("cls_token", m.zeros(new Shape(1, 3, 2))));
        }
    }

    /** A run resumed from the saved moments and count takes the very step the original takes. */
    @Test
    void resumingFromTheStateContinuesExactly() {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> a = params(m);
            Map<String, NDArray> b = params(m);
            try (AdamW first = new AdamW(a, 0.05)) {
                first.step(a, grads(m, 1f), 0.01);
                first.step(a, grads(m, 0.3f), 0.01);
                b.get("w").set(new ai.djl.ndarray.index.NDIndex("..."), a.get("w"));
                b.get("b").set(new ai.djl.ndarray.index.NDIndex("..."), a.get("b"));
                try (AdamW resumed = new AdamW(b, 0.05)) {
                    resumed.restore(first.state(), first.updates());
                    first.step(a, grads(m, -2f), 0.01);
                    resumed.step(b, grads(m, -2f), 0.01);
                    assertEquals(3, resumed.updates());
                }
            }
            assertArrayEquals(a.get("w").toFloatArray(), b.get("w").toFloatArray());
            assertArrayEquals(a.get("b").toFloatArray(), b.get("b").toFloatArray());
        }
    }

    @Test
    void restoreNamesAMissingMoment() {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> p = params(m);
            try (AdamW opt = new AdamW(p, 0.05)) {
                Map<String, NDArray> state = new LinkedHashMap<>(opt.state());
                state.remove("v.b");
                IllegalArgumentException e =
                        assertThrows(IllegalArgumentException.class, () -> opt.restore(state, 1));
                assertTrue(e.getMessage().contains("v.b"), e.getMessage());
                // A hook's new parameter may lack moments: it starts from zero.
                state.remove("m.b");
                opt.restore(state, 1, Set.of("b"));
                assertEquals(1, opt.updates());
            }
        }
    }
}
