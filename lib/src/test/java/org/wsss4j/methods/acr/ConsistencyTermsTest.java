package org.wsss4j.methods.acr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.wsss4j.runtime.Engines;

class ConsistencyTermsTest {
    static final int T = 2, GH = 2, GW = 3, N = T + GH * GW;

    @BeforeAll
    static void engine() {
        Engines.init();
    }

    /** What an exactly flip-equivariant model gives for the flipped view: tokens permuted. */
    static NDArray flipTokens(NDArray a) {
        int[] perm = TokenFlip.permutation(GH, GW);
        int[] full = new int[N];
        for (int i = 0; i < N; i++) {
            full[i] = i < T ? i : T + perm[i - T];
        }
        long[] idx = new long[N];
        for (int i = 0; i < N; i++) {
            idx[i] = full[i];
        }
        NDManager m = a.getManager();
        NDArray index = m.create(idx);
        // out[.., i, j] = a[.., full(i), full(j)]
        return a.get(new ai.djl.ndarray.index.NDIndex(":, :, {}", index))
                .get(new ai.djl.ndarray.index.NDIndex(":, :, :, {}", index));
    }

    static List<NDArray> map(List<NDArray> in, java.util.function.UnaryOperator<NDArray> f) {
        List<NDArray> out = new ArrayList<>();
        for (NDArray a : in) {
            out.add(f.apply(a));
        }
        return out;
    }

    @Test
    void handComputedValues() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            // 1 class token, 1 x 2 grid (N = 3), one head, one block; view 2 not flipped.
            NDArray a1 = m.create(new float[] {
                    .2f, .3f, .5f,
                    .1f, .6f, .3f,
                    .4f, .4f, .2f}, new Shape(1, 1, 3, 3));
            NDArray a2 = m.create(new float[] {
                    .2f, .5f, .3f,
                    .3f, .3f, .4f,
                    .4f, .1f, .5f}, new Shape(1, 1, 3, 3));
            int[] b = {0};
            // class row over patches: |.3-.5| + |.5-.3| over 2 entries
            assertEquals(0.2f, ConsistencyTerms.classToPatch(List.of(a1), List.of(a2), b, 1, 1, 2,
                    false).getFloat(), 1e-6);
            // patch block: |.6-.3| + |.3-.4| + |.4-.1| + |.2-.5| over 4 entries = 1.0 / 4
            assertEquals(0.25f, ConsistencyTerms.patchToPatch(List.of(a1), List.of(a2), b, 1, 1,
                    2, false).getFloat(), 1e-6);
            // flipped: view 2's patch columns (and rows) swap before comparing
            // c2p: |.3-.3| + |.5-.5| = 0;  p2p: a2 patch block flipped both axes = [[.5,.1],[.4,.3]]
            assertEquals(0f, ConsistencyTerms.classToPatch(List.of(a1), List.of(a2), b, 1, 1, 2,
                    true).getFloat(), 1e-6);
            assertEquals((0.1f + 0.2f + 0f + 0.1f) / 4, ConsistencyTerms.patchToPatch(List.of(a1),
                    List.of(a2), b, 1, 1, 2, true).getFloat(), 1e-6);
        }
    }

    @Test
    void zeroForIdenticalViewsAndGrowingWithAPerturbation() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            List<NDArray> a = AcrFixtures.randomAttention(m, 3, 2, 2, N, 5);
            int[] blocks = {0, 1, 2};
            // identical views, aligned grids; and the equivariant flipped view, un-flipped
            for (boolean flipped : new boolean[] {false, true}) {
                List<NDArray> second = flipped ? map(a, ConsistencyTermsTest::flipTokens) : a;
                assertEquals(0f, ConsistencyTerms.classToPatch(a, second, blocks, T, GH, GW,
                        flipped).getFloat(), 0f);
                assertEquals(0f, ConsistencyTerms.patchToPatch(a, second, blocks, T, GH, GW,
                        flipped).getFloat(), 0f);
            }
            // forgetting to un-flip is not zero
            List<NDArray> flippedView = map(a, ConsistencyTermsTest::flipTokens);
            assertTrue(ConsistencyTerms.patchToPatch(a, flippedView, blocks, T, GH, GW, false)
                    .getFloat() > 1e-3);
            assertTrue(ConsistencyTerms.classToPatch(a, flippedView, blocks, T, GH, GW, false)
                    .getFloat() > 1e-3);
            float prevC = 0, prevP = 0;
            for (float t : new float[] {0.01f, 0.1f, 0.5f, 2f}) {
                List<NDArray> perturbed = new ArrayList<>();
                for (int b = 0; b < 3; b++) {
                    NDArray noise = AcrFixtures.gaussian(m, a.get(b).getShape(), 9, b);
                    perturbed.add(flipTokens(a.get(b).log().add(noise.mul(t)).softmax(-1)));
                }
                float c = ConsistencyTerms.classToPatch(a, perturbed, blocks, T, GH, GW, true)
                        .getFloat();
                float p = ConsistencyTerms.patchToPatch(a, perturbed, blocks, T, GH, GW, true)
                        .getFloat();
                assertTrue(c > prevC && p > prevP, "t=" + t + ": " + c + " " + p);
                prevC = c;
                prevP = p;
            }
        }
    }

    @Test
    void meanRunsOverBlocks() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            List<NDArray> a = AcrFixtures.randomAttention(m, 2, 1, 2, N, 1);
            List<NDArray> b = AcrFixtures.randomAttention(m, 2, 1, 2, N, 2);
            float b0 = ConsistencyTerms.patchToPatch(a, b, new int[] {0}, T, GH, GW, true)
                    .getFloat();
            float b1 = ConsistencyTerms.patchToPatch(a, b, new int[] {1}, T, GH, GW, true)
                    .getFloat();
            float both = ConsistencyTerms.patchToPatch(a, b, new int[] {0, 1}, T, GH, GW, true)
                    .getFloat();
            assertEquals((b0 + b1) / 2, both, 1e-6);
        }
    }

    @Test
    void missingAttentionFailsWithAHint() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            List<NDArray> a = AcrFixtures.randomAttention(m, 1, 1, 2, N, 1);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ConsistencyTerms.classToPatch(a, List.of(), new int[] {0}, T, GH, GW,
                            true));
            assertTrue(e.getMessage().contains("ATTENTION"), e.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> ConsistencyTerms.classToPatch(a, a, new int[] {0}, T + 1, GH, GW, true));
        }
    }
}
