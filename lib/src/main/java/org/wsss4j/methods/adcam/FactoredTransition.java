package org.wsss4j.methods.adcam;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

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
 * and three full passes over an n×n array per image; the n³ product {@code A·Aᵀ} remains.
 * {@link Refinement#MIN_OVERLAP} is not homogeneous in the row scale and has no such form.
 *
 * @param weights W, {@code [B, n, n]} or {@code [B, H, n, n]}
 * @param columnScale {@code 1/g} shaped {@code [..., 1, n]}, or null for g = 1
 * @param rowScale {@code 1/d} shaped {@code [..., 1, n]} (token i on the last axis, as in maps)
 */
record FactoredTransition(NDArray weights, NDArray columnScale, NDArray rowScale) {

    /**
     * The factored transition for PRODUCT, COSINE or NONE; null for MIN_OVERLAP or when a row
     * would need the self-loop repair (zero row sums), which the explicit path handles. New
     * arrays go to {@code attention}'s current manager (the caller scopes it).
     */
    static FactoredTransition of(NDArray attention, Refinement refinement) {
        if (refinement == Refinement.MIN_OVERLAP) {
            return null;
        }
        int d = attention.getShape().dimension();
        int[] last = {d - 1};
        NDArray m = attention.sum(last);
        NDArray w;
        NDArray g;
        switch (refinement) {
            case PRODUCT -> {
                w = attention.matMul(attention.swapAxes(d - 2, d - 1)).muli(attention);
                g = m;
            }
            case COSINE -> {
                w = attention.matMul(attention.swapAxes(d - 2, d - 1)).muli(attention);
                g = attention.norm(last);
            }
            default -> {
                w = attention;
                g = null;
            }
        }
        NDArray inverseG = g == null ? null : g.maximum(Refinement.EPS).pow(-1).expandDims(d - 2);
        NDArray rows =
                inverseG == null
                        ? m
                        : w.matMul(inverseG.swapAxes(d - 2, d - 1)).squeeze(d - 1); // W·(1/g)
        // One host sync decides: degenerate rows take the explicit path with its repair.
        NDArray low = m.lte(Refinement.EPS).logicalOr(rows.lte(Refinement.EPS));
        if (low.any().getBoolean()) {
            return null;
        }
        return new FactoredTransition(w, inverseG, rows.pow(-1).expandDims(d - 2));
    }

    /**
     * One diffusion step {@code m ← T·m} per map: {@code x [B, C, n] → [B, C, n]}; with a head
     * axis the per-head results are averaged (the head mean of the stochastic matrices).
     */
    NDArray step(NDArray x) {
        Shape s = weights.getShape();
        int d = s.dimension();
        NDArray in = d == 4 ? x.expandDims(1) : x; // [B, (1,) C, n]
        if (columnScale != null) {
            in = in.mul(columnScale);
        }
        NDArray out = in.matMul(weights.swapAxes(d - 2, d - 1)).muli(rowScale);
        return d == 4 ? out.mean(new int[] {1}) : out;
    }
}
