package org.wsss4j.methods.adcam;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;

/**
 * The refined transition matrix kept in factored form, {@code T = diag(1/d) · W · diag(1/g)}, so
 * that diffusion never materialises T — the fast path of {@link AdCam#refine}.
 *
 * <p>Why it is exact: with {@code m_i = Σ_j A_ij} and {@code P = diag(1/m)·A}, the row-scale
 * factors of P cancel in the final row normalisation, leaving a column scale:
 *
 * <ul>
 *   <li>{@link Refinement#PRODUCT}: {@code P_ij (PPᵀ)_ij = A_ij S_ij / (m_i² m_j)} with {@code S =
 *       A·Aᵀ}, so {@code W = A ⊙ S}, {@code g = m};
 *   <li>{@link Refinement#COSINE}: {@code P_ij cos_ij = A_ij S_ij / (m_i ‖A_i‖ ‖A_j‖)}, so {@code W
 *       = A ⊙ S}, {@code g_j = ‖A_j‖₂};
 *   <li>{@link Refinement#NONE}: {@code W = A} itself (no copy), {@code g = 1}.
 * </ul>
 *
 * and {@code d = W·(1/g)}. Compared with the explicit path this saves the normalised copy of A
 * and three full passes over an n×n array per image. {@link Refinement#MIN_OVERLAP} is not
 * homogeneous in the row scale and has no such form.
 *
 * <p>The n³ Gram matrix {@code S = A·Aᵀ} dominates the cost. It is symmetric, so above {@link
 * #SPLIT_TOKENS} tokens W is kept as a 2×2 grid of token blocks and only three of the four blocks
 * of S are multiplied ({@code S₂₁ = S₁₂ᵀ}): 3/4 of the flops. Diffusion then multiplies block by
 * block, so no n×n array is ever assembled.
 *
 * @param blocks W as a grid of token blocks ({@code 1×1} or {@code 2×2}); block (p, q) is {@code
 *     [..., n_p, n_q]}
 * @param bounds token ranges of the grid: block p covers tokens {@code bounds[p] .. bounds[p+1]-1}
 * @param columnScale {@code 1/g} shaped {@code [..., 1, n]}, or null for g = 1
 * @param rowScale {@code 1/d} shaped {@code [..., 1, n]} (token i on the last axis, as in maps)
 */
record FactoredTransition(
        NDArray[][] blocks, long[] bounds, NDArray columnScale, NDArray rowScale) {

    /** From this many tokens on, the Gram matrix is computed in symmetric blocks. */
    static final long SPLIT_TOKENS = 256;

    /**
     * The factored transition for PRODUCT, COSINE or NONE; null for MIN_OVERLAP or when a row
     * would need the self-loop repair (zero row sums), which the explicit path handles. New
     * arrays go to {@code attention}'s current manager (the caller scopes it).
     */
    static FactoredTransition of(NDArray attention, Refinement refinement) {
        return of(attention, refinement, SPLIT_TOKENS);
    }

    /** As {@link #of(NDArray, Refinement)} with the block threshold given (tests force it). */
    static FactoredTransition of(NDArray attention, Refinement refinement, long splitTokens) {
        if (refinement == Refinement.MIN_OVERLAP) {
            return null;
        }
        int d = attention.getShape().dimension();
        long n = attention.getShape().get(d - 1);
        int[] last = {d - 1};
        NDArray m = attention.sum(last);
        NDArray g;
        NDArray[][] w;
        long[] bounds;
        if (refinement == Refinement.NONE) {
            w = new NDArray[][] {{attention}};
            bounds = new long[] {0, n};
            g = null;
        } else {
            // Two halves: 3/4 of the flops. Measured on 2 cores (16 × 784 tokens, CPU time):
            // 1, 2, 3, 4, 6 parts took 179, 137, 133, 131, 148 ms; two keep it simple.
            bounds = n >= splitTokens ? new long[] {0, n / 2, n} : new long[] {0, n};
            w = productWeights(attention, bounds);
            g = refinement == Refinement.PRODUCT ? m : attention.norm(last);
        }
        NDArray inverseG = g == null ? null : g.maximum(Refinement.EPS).pow(-1).expandDims(d - 2);
        NDArray rows = m;
        if (inverseG != null) {
            // d = W·(1/g), block row by block row: [..., 1, n] · W_pqᵀ summed over q.
            rows = gather(w, bounds, inverseG).squeeze(d - 2);
        }
        // One host sync decides: degenerate rows take the explicit path with its repair.
        NDArray low = m.lte(Refinement.EPS).logicalOr(rows.lte(Refinement.EPS));
        if (low.any().getBoolean()) {
            return null;
        }
        return new FactoredTransition(w, bounds, inverseG, rows.pow(-1).expandDims(d - 2));
    }

    /** {@code W = A ⊙ (A·Aᵀ)} on the block grid, multiplying only the upper blocks of A·Aᵀ. */
    private static NDArray[][] productWeights(NDArray a, long[] bounds) {
        int k = bounds.length - 1;
        int d = a.getShape().dimension();
        NDArray[] rowsOf = new NDArray[k];
        for (int p = 0; p < k; p++) {
            rowsOf[p] = a.get(rowRange(bounds[p], bounds[p + 1]));
        }
        NDArray[][] w = new NDArray[k][k];
        for (int p = 0; p < k; p++) {
            for (int q = p; q < k; q++) {
                NDArray s = rowsOf[p].matMul(rowsOf[q].swapAxes(d - 2, d - 1));
                if (q > p) {
                    // The lower block reads the transposed upper one before it is overwritten.
                    w[q][p] = s.swapAxes(d - 2, d - 1).mul(block(a, bounds, q, p));
                }
                w[p][q] = s.muli(block(a, bounds, p, q));
            }
        }
        return w;
    }

    /**
     * {@code y_p = Σ_q x_q · W_pqᵀ}, concatenated over p on the last axis: one multiplication by
     * Wᵀ of {@code x [..., r, n]}, i.e. token i of the result gathers {@code Σ_j W_ij x_j}.
     */
    private static NDArray gather(NDArray[][] w, long[] bounds, NDArray x) {
        int k = bounds.length - 1;
        int d = w[0][0].getShape().dimension();
        NDList parts = new NDList(k);
        for (int p = 0; p < k; p++) {
            NDArray y = null;
            for (int q = 0; q < k; q++) {
                NDArray xq = k == 1 ? x : x.get(columnRange(bounds[q], bounds[q + 1]));
                NDArray term = xq.matMul(w[p][q].swapAxes(d - 2, d - 1));
                y = y == null ? term : y.addi(term);
            }
            parts.add(y);
        }
        return k == 1 ? parts.get(0) : NDArrays.concat(parts, -1);
    }

    /**
     * One diffusion step {@code m ← T·m} per map: {@code x [B, C, n] → [B, C, n]}; with a head
     * axis the per-head results are averaged (the head mean of the stochastic matrices).
     */
    NDArray step(NDArray x) {
        boolean perHead = blocks[0][0].getShape().dimension() == 4;
        NDArray in = perHead ? x.expandDims(1) : x; // [B, (1,) C, n]
        if (columnScale != null) {
            in = in.mul(columnScale);
        }
        NDArray out = gather(blocks, bounds, in).muli(rowScale);
        return perHead ? out.mean(new int[] {1}) : out;
    }

    /** One array of W, for managing its lifetime (every block shares its manager). */
    NDArray anyBlock() {
        return blocks[0][0];
    }

    private static NDIndex rowRange(long from, long to) {
        return new NDIndex("..., {}:{}, :", from, to);
    }

    private static NDIndex columnRange(long from, long to) {
        return new NDIndex("..., {}:{}", from, to);
    }

    private static NDArray block(NDArray a, long[] bounds, int p, int q) {
        return a.get(new NDIndex("..., {}:{}, {}:{}", bounds[p], bounds[p + 1], bounds[q],
                bounds[q + 1]));
    }
}
