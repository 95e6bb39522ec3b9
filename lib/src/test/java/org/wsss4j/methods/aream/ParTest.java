package org.wsss4j.methods.aream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.wsss4j.runtime.Engines;

/**
 * PAR on a 1×2 image (one row, two pixels), dilation 1, worked out by hand. With replicate padding
 * the 8 neighbours of the left pixel are: 5 copies of itself — (−1,−1), (−1,0), (0,−1), (1,−1),
 * (1,0) — and 3 of the right pixel — (−1,1), (0,1), (1,1); mirrored for the right pixel. Of the
 * left pixel's own copies 3 are axis neighbours and 2 diagonal; of its copies of the right pixel
 * 1 is an axis neighbour, 2 are diagonal.
 */
class ParTest {
    @BeforeAll
    static void engine() {
        Engines.init();
    }

    static NDArray image(NDManager m, float[] r, float[] g, float[] b) {
        float[] v = new float[6];
        System.arraycopy(r, 0, v, 0, 2);
        System.arraycopy(g, 0, v, 2, 2);
        System.arraycopy(b, 0, v, 4, 2);
        return m.create(v, new Shape(1, 3, 1, 2));
    }

    static float[] refine(Par par, NDArray img, float left, float right) {
        NDArray mask = img.getManager().create(new float[] {left, right}, new Shape(1, 1, 1, 2));
        return par.refine(img, mask).toFloatArray();
    }

    /**
     * Position kernel at dilation 1, by hand: distances 1 (4 axis) and √2 (4 diagonal), mean
     * (1+√2)/2, unbiased σ = ((√2−1)/2)·√(8/7); weights ∝ exp(−(d/(w₁σ))²).
     */
    static double[] positionWeights(double w1) {
        double sigma = (Math.sqrt(2) - 1) / 2 * Math.sqrt(8.0 / 7.0);
        double kAxis = -Math.pow(1 / (w1 * sigma), 2);
        double kDiag = -Math.pow(Math.sqrt(2) / (w1 * sigma), 2);
        double q = Math.exp(kDiag - kAxis);
        return new double[] {1 / (4 * (1 + q)), q / (4 * (1 + q))}; // {axis, diagonal}
    }

    @Test
    void constantImageSpreadsUniformlyOverNeighbours() {
        try (NDManager m = NDManager.newBaseManager(Engines.device())) {
            NDArray img = image(m, new float[] {0.4f, 0.4f}, new float[] {0.2f, 0.2f},
                    new float[] {0.9f, 0.9f});
            // All differences 0 (σ = 0 → 0/1e-8 = 0): appearance weights 1/8 each. With w₁ = 0.3
            // the position kernel puts 1/4 on each axis neighbour (diagonals ~e^-227 ≈ 0).
            double[] pw = positionWeights(0.3);
            assertEquals(0.25, pw[0], 1e-12);
            Par par = new Par(new int[] {1}, 1, 0.3, 0.01);
            float[] out = refine(par, img, 1f, 0f);
            // left: 5 own copies × 1/8 + 0.01 × (3 own axis neighbours × 1/4) = 0.6325
            // right: 3 copies of the left × 1/8 + 0.01 × (1 axis neighbour × 1/4) = 0.3775
            assertEquals(0.6325f, out[0], 1e-6f);
            assertEquals(0.3775f, out[1], 1e-6f);
        }
    }

    @Test
    void anEdgeStopsPropagation() {
        try (NDManager m = NDManager.newBaseManager(Engines.device())) {
            float[] step = {0f, 1f};
            NDArray img = image(m, step, step, step);
            // Left pixel's neighbour values {0×5, 1×3}: unbiased σ = √(120/448); a copy of the
            // right pixel has κ = −(1/(0.3σ))² ≈ −41.5, so appearance weights are 1/5 on own
            // copies and ~1e-19 across the edge. One step: m ← 1.0075·m_self + 0.0025·m_other.
            Par one = new Par(new int[] {1}, 1, 0.3, 0.01);
            float[] out = refine(one, img, 1f, 0f);
            assertEquals(1.0075f, out[0], 1e-6f);
            assertEquals(0.0025f, out[1], 1e-6f);
            // Two steps: 1.0075² + 0.0025² and 2 × 1.0075 × 0.0025.
            Par two = new Par(new int[] {1}, 2, 0.3, 0.01);
            out = refine(two, img, 1f, 0f);
            assertEquals(1.0150625f, out[0], 1e-6f);
            assertEquals(0.0050375f, out[1], 1e-6f);
        }
    }

    @Test
    void softKernelsAverageTheChannelsAndUseBothTemperatures() {
        try (NDManager m = NDManager.newBaseManager(Engines.device())) {
            // Only red changes across the two pixels; w₁ = 3 makes both kernels soft.
            NDArray img = image(m, new float[] {0f, 1f}, new float[] {0.5f, 0.5f},
                    new float[] {0.5f, 0.5f});
            double w1 = 3;
            double sigma = Math.sqrt(120.0 / 448.0);
            // κ across the edge: red −(1/(w₁σ))², green and blue 0, averaged over the 3 channels.
            double kappa = -Math.pow(1 / (w1 * sigma), 2) / 3;
            double same = 1 / (5 + 3 * Math.exp(kappa)); // weight of each own copy
            double other = Math.exp(kappa) / (5 + 3 * Math.exp(kappa));
            double[] pw = positionWeights(w1);
            double w2 = 0.01;
            // mask (1, 0): left = 5 own copies + w₂ (3 axis + 2 diagonal own copies);
            // right = 3 copies of the left + w₂ (1 axis + 2 diagonal copies of the left).
            double left = 5 * same + w2 * (3 * pw[0] + 2 * pw[1]);
            double right = 3 * other + w2 * (pw[0] + 2 * pw[1]);
            Par par = new Par(new int[] {1}, 1, w1, w2);
            float[] out = refine(par, img, 1f, 0f);
            assertEquals(left, out[0], 1e-6);
            assertEquals(right, out[1], 1e-6);
            // The affinity itself: 8 weights per pixel summing to 1 + w₂.
            NDArray aff = par.affinity(img);
            assertEquals(new Shape(1, 1, 1, 2, 8), aff.getShape());
            assertEquals(2 * (1 + w2), aff.sum().getFloat(), 1e-5);
        }
    }

    @Test
    void normalisingTheImageDoesNotChangeTheResult() {
        try (NDManager m = NDManager.newBaseManager(Engines.device())) {
            NDArray img = m.randomUniform(0f, 1f, new Shape(2, 3, 6, 5));
            NDArray mask = m.randomUniform(0f, 1f, new Shape(2, 2, 6, 5));
            NDArray norm = img.sub(m.create(new float[] {0.485f, 0.456f, 0.406f}, new Shape(1, 3,
                    1, 1))).div(m.create(new float[] {0.229f, 0.224f, 0.225f}, new Shape(1, 3, 1,
                    1)));
            Par par = new Par(new int[] {1, 2, 7}, 3, 0.3, 0.01); // 7 > the image: pure padding
            float[] a = par.refine(img, mask).toFloatArray();
            float[] b = par.refine(norm, mask).toFloatArray();
            assertArrayEquals(a, b, 1e-4f);
        }
    }

    /**
     * The propagation sums shifted, replicate-padded maps; every step must equal the direct
     * definition m_i ← Σ_j aff_ij · m_j over the gathered neighbour values, also for a dilation
     * larger than the map (all its neighbours are border copies) and a map that is not square.
     */
    @Test
    void propagationEqualsTheNeighbourSumDefinition() {
        try (NDManager m = NDManager.newBaseManager(Engines.device())) {
            NDArray img = m.randomUniform(0f, 1f, new Shape(2, 3, 5, 7));
            NDArray mask = m.randomUniform(0f, 1f, new Shape(2, 3, 5, 7));
            Par par = new Par(new int[] {1, 2, 6}, 4, 0.3, 0.01);
            NDArray aff = par.affinity(img);
            NDArray expected = mask;
            for (int it = 0; it < par.iterations(); it++) {
                expected = par.neighbourValues(expected).mul(aff).sum(new int[] {4});
            }
            assertArrayEquals(expected.toFloatArray(), par.propagate(aff, mask).toFloatArray(),
                    1e-5f);
            assertThrows(IllegalArgumentException.class,
                    () -> par.propagate(aff, m.zeros(new Shape(2, 3, 5, 6))));
            Par none = new Par(new int[] {1}, 0, 0.3, 0.01);
            assertArrayEquals(mask.toFloatArray(),
                    none.propagate(none.affinity(img), mask).toFloatArray(), 0f);
        }
    }

    @Test
    void dilationsScaleWithTheMapSize() {
        assertArrayEquals(Par.PAPER_DILATIONS, Par.scaledDilations(112));
        // 48/112: 0.43, 0.86, 1.71, 3.43, 5.14, 10.3 → 1, 1, 2, 3, 5, 10 → distinct
        assertArrayEquals(new int[] {1, 2, 3, 5, 10}, Par.scaledDilations(48));
        // 32/112: 0.29, 0.57, 1.14, 2.29, 3.43, 6.86 → 1, 1, 1, 2, 3, 7
        assertArrayEquals(new int[] {1, 2, 3, 7}, Par.scaledDilations(32));
        assertArrayEquals(new int[] {2, 4, 8, 16, 24, 48}, Par.scaledDilations(224));
        assertEquals(40, Par.forMapSize(48).neighbours());
        assertThrows(IllegalArgumentException.class, () -> new Par(new int[] {0}, 1, 0.3, 0.01));
    }
}
