package org.wsss4j.methods.adcam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.wsss4j.runtime.Engines;

/** Refinement, diffusion and the facade on small hand-made inputs with known answers. */
class AdCamTest {
    private static NDManager manager;

    @BeforeAll
    static void start() {
        Engines.init();
        manager = NDManager.newBaseManager(Engines.device());
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    // ---- known answers on a 2-token example (worked by hand) ----------------------------------

    /** A = [[.75, .25], [.5, .5]] is already stochastic; T per candidate computed by hand. */
    @Test
    void twoTokenRefinementMatchesHandComputation() {
        NDArray a = arr(new Shape(1, 2, 2), .75f, .25f, .5f, .5f);
        // PRODUCT: S = A·Aᵀ = [[.625, .5], [.5, .5]]; W = [[.46875, .125], [.25, .25]].
        assertClose(new float[] {.46875f / .59375f, .125f / .59375f, .5f, .5f},
                Refinement.PRODUCT.apply(a), 1e-6);
        // MIN: O = [[1, .75], [.75, 1]]; W = [[.75, .1875], [.375, .5]].
        assertClose(new float[] {.8f, .2f, .375f / .875f, .5f / .875f},
                Refinement.MIN_OVERLAP.apply(a), 1e-6);
        // COSINE: cos01 = .5 / sqrt(.625 · .5); W = [[.75, .25 cos], [.5 cos, .5]].
        double cos = .5 / Math.sqrt(.625 * .5);
        double r0 = .75 + .25 * cos, r1 = .5 * cos + .5;
        assertClose(new float[] {(float) (.75 / r0), (float) (.25 * cos / r0),
                        (float) (.5 * cos / r1), (float) (.5 / r1)},
                Refinement.COSINE.apply(a), 1e-6);
        assertClose(new float[] {.75f, .25f, .5f, .5f}, Refinement.NONE.apply(a), 1e-7);
        assertClose(new float[] {.46875f, .125f, .25f, .25f},
                Refinement.PRODUCT.weights(a), 1e-7);
    }

    /** Token 0 gathers from what it attends to: cam' = T·cam, and restart mixes cam back in. */
    @Test
    void twoTokenDiffusionMatchesHandComputation() {
        NDArray t = arr(new Shape(1, 2, 2), .8f, .2f, .25f, .75f);
        NDArray cam = arr(new Shape(1, 1, 1, 2), 1f, 0f);
        assertClose(new float[] {.8f, .25f}, Diffusion.steps(1).apply(cam, t), 1e-7);
        // Second step: [.8·.8 + .2·.25, .25·.8 + .75·.25].
        assertClose(new float[] {.69f, .3875f}, Diffusion.steps(2).apply(cam, t), 1e-6);
        // Restart β = .5, one step: .5·[.8, .25] + .5·[1, 0].
        assertClose(new float[] {.9f, .125f}, new Diffusion(1, .5).apply(cam, t), 1e-7);
        // Two steps: .5·T·[.9, .125] + .5·[1, 0] = [.5·.745 + .5, .5·.31875].
        assertClose(new float[] {.8725f, .159375f}, new Diffusion(2, .5).apply(cam, t), 1e-6);
        // Unnormalised attention is made stochastic before diffusing: rows [2, 2] and [0, 3].
        NDArray raw = arr(new Shape(1, 2, 2), 2f, 2f, 0f, 3f);
        assertClose(new float[] {.5f, 0f},
                AdCam.diffuseUnrefined(cam, raw, Diffusion.steps(1)), 1e-7);
    }

    @Test
    void directCouplingIsElementwise() {
        NDArray patch = arr(new Shape(1, 2, 1, 2), 2f, 3f, -1f, 4f);
        NDArray cls = arr(new Shape(1, 2, 2), .5f, .1f, .2f, .25f);
        assertClose(new float[] {1f, .3f, -.2f, 1f}, AdCam.directCoupling(patch, cls), 1e-7);
        assertClose(new float[] {1f, .3f, -.2f, 1f},
                AdCam.directCoupling(patch, cls.reshape(1, 2, 1, 2)), 1e-7);
        var ex = assertThrows(IllegalArgumentException.class,
                () -> AdCam.directCoupling(patch, cls.reshape(1, 4)));
        assertTrue(ex.getMessage().contains("(1, 4)"), ex.getMessage());
    }

    // ---- structural properties ----------------------------------------------------------------

    /** Two token groups with no attention between them exchange no activation, for any t. */
    @Test
    void disconnectedGroupsExchangeNothing() {
        int n = 8; // h = 2, w = 4: tokens 0–3 (top row) and 4–7 (bottom row)
        SplittableRandom r = new SplittableRandom(1);
        float[] a = new float[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                a[i * n + j] = (i < 4) == (j < 4) ? 0.05f + (float) r.nextDouble() : 0f;
            }
        }
        float[] cam = new float[2 * n];
        for (int i = 0; i < 4; i++) {
            cam[i] = 1f + i; // class 0 lives on group 1 only
            cam[n + 4 + i] = 2f; // class 1 on group 2 only
        }
        NDArray attn = arr(new Shape(1, n, n), a);
        NDArray m = arr(new Shape(1, 2, 2, 4), cam);
        for (Refinement ref : Refinement.values()) {
            for (int t : new int[] {1, 2, 5}) {
                float[] out = AdCam.refine(m, attn, new AdCamConfig(ref, t, 0.2)).toFloatArray();
                for (int i = 0; i < 4; i++) {
                    assertEquals(0f, out[4 + i], 0f, ref + " t=" + t + " leaked class 0 to " + (4 + i));
                    assertEquals(0f, out[n + i], 0f, ref + " t=" + t + " leaked class 1 to " + i);
                    assertEquals(2f, out[n + 4 + i], 1e-5, "a constant stays constant");
                }
            }
        }
    }

    /** Uniform attention: every candidate keeps it uniform and one step gives every token the mean. */
    @Test
    void uniformAttentionSpreadsEvenly() {
        int n = 6;
        float[] a = new float[n * n];
        java.util.Arrays.fill(a, 1f / n);
        NDArray attn = arr(new Shape(2, n, n), concat(a, a));
        float[] cam = {0, 1, 2, 3, 4, 8, /* class 1 */ 5, 0, 0, 0, 0, 1,
            /* image 2 */ 1, 1, 1, 1, 1, 7, 0, 0, 0, 0, 0, 0};
        NDArray m = arr(new Shape(2, 2, 2, 3), cam);
        for (Refinement ref : Refinement.values()) {
            float[] t = ref.apply(attn).toFloatArray();
            for (float v : t) {
                assertEquals(1f / n, v, 1e-6, ref + " kept uniform attention uniform");
            }
            for (int steps : new int[] {1, 3}) {
                float[] out = AdCam.refine(m, attn, new AdCamConfig(ref, steps, 0)).toFloatArray();
                for (int map = 0; map < 4; map++) {
                    float mean = 0;
                    for (int i = 0; i < n; i++) {
                        mean += cam[map * n + i] / n;
                    }
                    for (int i = 0; i < n; i++) {
                        assertEquals(mean, out[map * n + i], 1e-5, ref + " map " + map);
                    }
                }
            }
        }
    }

    /** Rows sum to 1 after every candidate, with or without a head axis, zero rows included. */
    @Test
    void refinedRowsAreStochastic() {
        SplittableRandom r = new SplittableRandom(2);
        int n = 9;
        float[] a = randomAttention(r, 2 * 3, n);
        for (int j = 0; j < n; j++) {
            a[4 * n + j] = 0f; // image 0, head 0, row 4: no attention at all
        }
        NDArray attn = arr(new Shape(2, 3, n, n), a);
        for (Refinement ref : Refinement.values()) {
            float[] t = ref.apply(attn).toFloatArray();
            for (int row = 0; row < 2 * 3 * n; row++) {
                float sum = 0;
                for (int j = 0; j < n; j++) {
                    assertTrue(t[row * n + j] >= 0, ref + " negative entry");
                    sum += t[row * n + j];
                }
                assertEquals(1f, sum, 1e-5, ref + " row " + row);
            }
            assertEquals(1f, t[4 * n + 4], 1e-6, ref + ": a zero row becomes a self-loop");
            float[] merged = AdCam.transition(attn, ref).toFloatArray();
            assertEquals(2 * n * n, merged.length);
            for (int row = 0; row < 2 * n; row++) {
                float sum = 0;
                for (int j = 0; j < n; j++) {
                    sum += merged[row * n + j];
                }
                assertEquals(1f, sum, 1e-5, ref + " head-mean row " + row);
            }
        }
    }

    /** Relabelling the tokens relabels the output the same way, for every operator. */
    @Test
    void permutingTokensCommutesWithEveryOperator() {
        SplittableRandom r = new SplittableRandom(3);
        int b = 2, c = 3, h = 3, w = 4, n = h * w;
        int[] perm = shuffled(r, n);
        float[] a = randomAttention(r, b, n);
        float[] cam = randomFloats(r, b * c * n);
        NDArray attn = arr(new Shape(b, n, n), a);
        NDArray m = arr(new Shape(b, c, h, w), cam);
        NDArray attnP = arr(new Shape(b, n, n), permuteMatrix(a, b, n, perm));
        NDArray mP = arr(new Shape(b, c, h, w), permuteMaps(cam, b * c, n, perm));
        for (Refinement ref : Refinement.values()) {
            assertClose(permuteMatrix(ref.apply(attn).toFloatArray(), b, n, perm),
                    ref.apply(attnP), 1e-6);
            AdCamConfig cfg = new AdCamConfig(ref, 3, 0.25);
            assertClose(permuteMaps(AdCam.refine(m, attn, cfg).toFloatArray(), b * c, n, perm),
                    AdCam.refine(mP, attnP, cfg), 1e-5);
        }
        NDArray t = Refinement.rowStochastic(attn);
        NDArray tP = Refinement.rowStochastic(attnP);
        assertClose(permuteMatrix(t.toFloatArray(), b, n, perm), tP, 1e-6);
        assertClose(permuteMaps(Diffusion.DEFAULT.apply(m, t).toFloatArray(), b * c, n, perm),
                Diffusion.DEFAULT.apply(mP, tP), 1e-5);
        float[] cls = randomFloats(r, b * c * n);
        NDArray clsA = arr(new Shape(b, c, n), cls);
        NDArray clsP = arr(new Shape(b, c, n), permuteMaps(cls, b * c, n, perm));
        assertClose(permuteMaps(AdCam.directCoupling(m, clsA).toFloatArray(), b * c, n, perm),
                AdCam.directCoupling(mP, clsP), 1e-6);
    }

    @Test
    void zeroStepsIsTheIdentity() {
        SplittableRandom r = new SplittableRandom(4);
        float[] cam = randomFloats(r, 2 * 3 * 4);
        NDArray m = arr(new Shape(2, 3, 2, 2), cam);
        NDArray attn = arr(new Shape(2, 4, 4), randomAttention(r, 2, 4));
        for (Refinement ref : Refinement.values()) {
            NDArray out = AdCam.refine(m, attn, new AdCamConfig(ref, 0, 0.5));
            assertNotSame(m, out);
            assertArrayEquals(cam, out.toFloatArray(), 0f);
        }
        NDArray out = new Diffusion(0, 0).apply(m, Refinement.rowStochastic(attn));
        assertArrayEquals(cam, out.toFloatArray(), 0f);
        // Restart 1 keeps the original map for any t.
        assertClose(cam, AdCam.refine(m, attn, new AdCamConfig(Refinement.PRODUCT, 4, 1.0)), 0);
    }

    /** The batch is a set of independent images: batched equals one by one. */
    @Test
    void batchedEqualsPerSample() {
        SplittableRandom r = new SplittableRandom(5);
        int b = 3, c = 2, h = 2, w = 3, n = h * w, heads = 2;
        NDArray m = arr(new Shape(b, c, h, w), randomFloats(r, b * c * n));
        NDArray attn = arr(new Shape(b, n, n), randomAttention(r, b, n));
        NDArray attnH = arr(new Shape(b, heads, n, n), randomAttention(r, b * heads, n));
        for (Refinement ref : Refinement.values()) {
            AdCamConfig cfg = new AdCamConfig(ref, 2, 0.1);
            float[] all = AdCam.refine(m, attn, cfg).toFloatArray();
            float[] allH = AdCam.refine(m, attnH, cfg).toFloatArray();
            for (int i = 0; i < b; i++) {
                NDIndex one = new NDIndex("{}:{}", i, i + 1);
                float[] single = AdCam.refine(m.get(one), attn.get(one), cfg).toFloatArray();
                float[] singleH = AdCam.refine(m.get(one), attnH.get(one), cfg).toFloatArray();
                for (int k = 0; k < single.length; k++) {
                    assertEquals(single[k], all[i * single.length + k], 1e-6, ref + " image " + i);
                    assertEquals(singleH[k], allH[i * single.length + k], 1e-6, ref + " heads " + i);
                }
            }
        }
    }

    /**
     * The factored fast path of refine equals diffusing along the explicit transition matrix, on
     * rows that do not sum to 1, per head, and with a zero row (which takes the explicit path).
     */
    @Test
    void factoredPathEqualsExplicitTransition() {
        SplittableRandom r = new SplittableRandom(8);
        int b = 2, c = 3, h = 3, w = 3, n = h * w, heads = 2;
        NDArray m = arr(new Shape(b, c, h, w), randomFloats(r, b * c * n));
        float[] a = randomAttention(r, b * heads, n);
        for (int i = 0; i < a.length; i++) {
            a[i] *= 0.3f + (i / n) % 5 * 0.1f; // row masses 0.3–0.7, as after cutting class tokens
        }
        float[] zeroRow = a.clone();
        java.util.Arrays.fill(zeroRow, 2 * n, 3 * n, 0f);
        NDArray[] inputs = {
            arr(new Shape(b * heads, n, n), a).get(new NDIndex("0:{}", b)), // 3-D
            arr(new Shape(b, heads, n, n), a), // per head
            arr(new Shape(b, heads, n, n), zeroRow) // degenerate: explicit path
        };
        for (NDArray attn : inputs) {
            for (Refinement ref : Refinement.values()) {
                for (Diffusion d : new Diffusion[] {Diffusion.steps(1), new Diffusion(3, 0.2)}) {
                    AdCamConfig cfg = new AdCamConfig(ref, d.steps(), d.restart());
                    float[] want = d.apply(m, AdCam.transition(attn, ref)).toFloatArray();
                    assertClose(want, AdCam.refine(m, attn, cfg), 1e-5);
                    // The symmetric 2×2 block form of the Gram matrix, forced on 9 tokens.
                    FactoredTransition split = FactoredTransition.of(attn, ref, 2);
                    if (split != null) {
                        assertEquals(ref == Refinement.NONE ? 1 : 2, split.blocks().length);
                        assertClose(want, d.apply(m, split), 1e-5);
                    }
                }
            }
        }
    }

    /** Inputs untouched; only the result stays in the caller's manager. */
    @Test
    void pureAndLeakFree() {
        SplittableRandom r = new SplittableRandom(6);
        int n = 6;
        try (NDManager mine = manager.newSubManager()) {
            float[] cam = randomFloats(r, 2 * 2 * n);
            float[] a = randomAttention(r, 2 * 2, n);
            NDArray m = mine.create(cam, new Shape(2, 2, 2, 3));
            NDArray perHead = mine.create(a, new Shape(2, 2, n, n));
            NDArray flat = mine.create(a, new Shape(4, n, n)).get(new NDIndex("0:2"));
            for (NDArray attn : new NDArray[] {perHead, flat}) {
                for (Refinement ref : Refinement.values()) {
                    int before = mine.getManagedArrays().size();
                    NDArray out = AdCam.refine(m, attn, new AdCamConfig(ref, 2, 0.3));
                    assertEquals(before + 1, mine.getManagedArrays().size(), ref + " leaked arrays");
                    assertEquals(m.getDevice(), out.getDevice());
                    assertEquals(mine, out.getManager());
                    assertEquals(mine, attn.getManager(), "input handed back to its manager");
                    before = mine.getManagedArrays().size();
                    for (NDArray res : new NDArray[] {ref.apply(attn), AdCam.transition(attn, ref),
                            AdCam.directCoupling(m, m)}) {
                        assertEquals(mine, res.getManager(), ref + " result in the caller's manager");
                    }
                    assertEquals(before + 3, mine.getManagedArrays().size(), ref + " leaked arrays");
                }
            }
            assertArrayEquals(cam, m.toFloatArray(), 0f);
            assertArrayEquals(a, perHead.toFloatArray(), 0f);
        }
    }

    @Test
    void badShapesNameTheProblem() {
        NDArray m = arr(new Shape(1, 2, 2, 2), new float[8]);
        NDArray attn = arr(new Shape(1, 4, 3), new float[12]);
        var ex = assertThrows(IllegalArgumentException.class, () -> AdCam.refine(m, attn));
        assertTrue(ex.getMessage().contains("(1, 4, 3)") && ex.getMessage().contains("[1, 4, 4]"),
                ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Diffusion(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> new AdCamConfig(Refinement.NONE, 1, 1.5));
        assertEquals(Refinement.MIN_OVERLAP, Refinement.parse("min"));
        assertEquals("adcam-product-t2", AdCamConfig.DEFAULT.name());
        assertEquals("diffuse-t3-r0.25", new AdCamConfig(Refinement.NONE, 3, .25).name());
        assertEquals("adcam-cosine-t1", new AdCamConfig(Refinement.COSINE, 1, 0).name());
    }

    /** The chunked min-overlap equals a direct triple loop (several chunks forced by size). */
    @Test
    void minOverlapMatchesTripleLoop() {
        SplittableRandom r = new SplittableRandom(7);
        int b = 2, n = 20;
        float[] a = randomAttention(r, b, n);
        NDArray attn = arr(new Shape(b, n, n), a);
        float[] w = Refinement.MIN_OVERLAP.weights(attn).toFloatArray();
        // 3 rows a chunk: 7 chunks, the last one short.
        float[] ov = Refinement.minOverlap(attn, 3L * b * n * n).toFloatArray();
        for (int s = 0; s < b; s++) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double o = 0;
                    for (int k = 0; k < n; k++) {
                        o += Math.min(a[(s * n + i) * n + k], a[(s * n + j) * n + k]);
                    }
                    assertEquals(o, ov[(s * n + i) * n + j], 1e-6);
                    assertEquals(a[(s * n + i) * n + j] * o, w[(s * n + i) * n + j], 1e-6);
                }
            }
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    static NDArray arr(Shape shape, float... values) {
        return manager.create(values, shape);
    }

    static void assertClose(float[] expected, NDArray actual, double tol) {
        float[] got = actual.toFloatArray();
        assertEquals(expected.length, got.length, "size");
        for (int i = 0; i < got.length; i++) {
            assertEquals(expected[i], got[i], tol, "element " + i);
        }
    }

    /** Row-stochastic random rows with strictly positive entries (like softmax output). */
    static float[] randomAttention(SplittableRandom r, int matrices, int n) {
        float[] a = new float[matrices * n * n];
        for (int row = 0; row < matrices * n; row++) {
            float sum = 0;
            for (int j = 0; j < n; j++) {
                float v = (float) Math.exp(3 * r.nextDouble());
                a[row * n + j] = v;
                sum += v;
            }
            for (int j = 0; j < n; j++) {
                a[row * n + j] /= sum;
            }
        }
        return a;
    }

    static float[] randomFloats(SplittableRandom r, int size) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = (float) r.nextDouble();
        }
        return v;
    }

    static int[] shuffled(SplittableRandom r, int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** out[i][j] = a[perm[i]][perm[j]] per matrix. */
    static float[] permuteMatrix(float[] a, int matrices, int n, int[] perm) {
        float[] out = new float[a.length];
        for (int m = 0; m < matrices; m++) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    out[(m * n + i) * n + j] = a[(m * n + perm[i]) * n + perm[j]];
                }
            }
        }
        return out;
    }

    /** out[map][i] = cam[map][perm[i]]. */
    static float[] permuteMaps(float[] cam, int maps, int n, int[] perm) {
        float[] out = new float[cam.length];
        for (int m = 0; m < maps; m++) {
            for (int i = 0; i < n; i++) {
                out[m * n + i] = cam[m * n + perm[i]];
            }
        }
        return out;
    }

    static float[] concat(float[] x, float[] y) {
        float[] out = java.util.Arrays.copyOf(x, x.length + y.length);
        System.arraycopy(y, 0, out, x.length, y.length);
        return out;
    }
}
