package org.wsss4j.methods.adcam;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.Locale;

/**
 * AD-CAM's "conservative" attention refinement: the attention between tokens i and j is scaled by
 * how much their attention rows agree on common neighbours, so two tokens that look at different
 * things (e.g. a background token staring at the salient object, methods.md Part 1) exchange
 * less activation; the result is made row-stochastic.
 *
 * <p><b>What could not be verified.</b> The paper's abstract describes the idea only; its equations
 * could not be read and no code is public (methods.md §3.2: the operator, the normalisation, the
 * layers and heads are UNVERIFIED). Every plausible form listed there is a constant of this enum;
 * the kit picks one on {@code val} and labels the method "reconstructed from the paper's
 * description".
 *
 * <p><b>Definitions.</b> For attention {@code A} ({@code [..., n, n]}, non-negative, any leading
 * batch/head dimensions) the rows are first made stochastic, {@code P = D⁻¹A} with {@code D =
 * diag(A·1)} — the kit's choice (also UNVERIFIED): the patch-to-patch block loses each row's
 * class-token share, and normalising first makes "agreement" a comparison of two distributions,
 * independent of how much a token looks at the class tokens. Then, with {@code P_i} row i:
 *
 * <ul>
 *   <li>{@link #PRODUCT}: {@code W = P ⊙ (P·Pᵀ)}, i.e. {@code W_ij = P_ij · Σ_k P_ik P_jk};
 *   <li>{@link #MIN_OVERLAP}: {@code W_ij = P_ij · Σ_k min(P_ik, P_jk)} (the overlap of two
 *       distributions, {@code = 1 − ½‖P_i − P_j‖₁});
 *   <li>{@link #COSINE}: {@code W_ij = P_ij · cos(P_i, P_j)};
 *   <li>{@link #NONE}: {@code W = P} (no refinement: the unrefined baseline of notebook 03).
 * </ul>
 *
 * and the transition matrix is {@code T = diag(W·1)⁻¹ W}: every row sums to 1. A row whose sum is
 * zero (only on degenerate input, never for softmax attention) becomes a self-loop, so the token
 * keeps its own activation and T stays stochastic.
 */
public enum Refinement {
    /** {@code W = P ⊙ (P·Pᵀ)}: attention times the inner product of the two rows. */
    PRODUCT("product"),
    /**
     * {@code W_ij = P_ij · Σ_k min(P_ik, P_jk)}: attention times the overlap of the two rows.
     * Costs n³ element-wise minima (no BLAS); computed in row chunks of bounded memory.
     */
    MIN_OVERLAP("min"),
    /** {@code W_ij = P_ij · cos(P_i, P_j)}: attention times the cosine similarity of the rows. */
    COSINE("cosine"),
    /** {@code W = P}: row normalisation only. */
    NONE("none");

    /** Row sums at or below this count as zero. */
    static final double EPS = 1e-12;

    /** Elements of one chunk's {@code [m, rows, n, n]} minimum tensor in {@link #MIN_OVERLAP}. */
    private static final long CHUNK_ELEMENTS = 1L << 25;

    private final String label;

    Refinement(String label) {
        this.label = label;
    }

    /** The short name used on the command line and in table rows. */
    public String label() {
        return label;
    }

    /** Parses a {@link #label()} or a constant name (case-insensitive). */
    public static Refinement parse(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        for (Refinement r : values()) {
            if (r.label.equals(t) || r.name().toLowerCase(Locale.ROOT).equals(t)) {
                return r;
            }
        }
        throw new IllegalArgumentException(
                "Unknown refinement '" + s + "': use product, min, cosine or none");
    }

    /**
     * The refined, row-stochastic transition matrix T (see the class comment).
     *
     * @param attention {@code [..., n, n]}, non-negative (softmax probabilities); not modified
     * @return a new array of the same shape, every row summing to 1
     */
    public NDArray apply(NDArray attention) {
        checkSquare(attention);
        try (NDManager scope = Scopes.of(attention)) {
            NDArray p = rowStochastic(attention);
            if (this == NONE) {
                return scope.ret(p);
            }
            NDArray w = agreementWeights(p);
            normalizeRowsInPlace(w);
            return scope.ret(w);
        }
    }

    /**
     * The unnormalised weights W for row-stochastic P (exposed for inspection and tests).
     *
     * @param p {@code [..., n, n]} with rows summing to 1; not modified
     * @return a new array W of the same shape
     */
    public NDArray weights(NDArray p) {
        checkSquare(p);
        try (NDManager scope = Scopes.of(p)) {
            return scope.ret(this == NONE ? p.duplicate() : agreementWeights(p));
        }
    }

    /**
     * {@code D⁻¹A}: every row divided by its sum; a zero row becomes a self-loop.
     *
     * @param a {@code [..., n, n]}, non-negative; not modified
     * @return a new row-stochastic array
     */
    public static NDArray rowStochastic(NDArray a) {
        checkSquare(a);
        try (NDManager scope = Scopes.of(a)) {
            NDArray out = a.duplicate();
            normalizeRowsInPlace(out);
            return scope.ret(out);
        }
    }

    /** W for stochastic p, in a new array that is free to be modified in place. */
    private NDArray agreementWeights(NDArray p) {
        int d = p.getShape().dimension();
        switch (this) {
            case PRODUCT: {
                NDArray w = p.matMul(p.swapAxes(d - 2, d - 1));
                return w.muli(p);
            }
            case COSINE: {
                NDArray q = p.normalize(2, -1, EPS);
                NDArray w = q.matMul(q.swapAxes(d - 2, d - 1));
                return w.muli(p);
            }
            case MIN_OVERLAP:
                return minOverlap(p, CHUNK_ELEMENTS).muli(p);
            default:
                return p.duplicate();
        }
    }

    /** {@code O_ij = Σ_k min(p_ik, p_jk)} in row chunks of about {@code chunkElements} elements. */
    static NDArray minOverlap(NDArray p, long chunkElements) {
        Shape s = p.getShape();
        int d = s.dimension();
        long n = s.get(d - 1);
        long m = s.size() / (n * n);
        NDArray flat = p.reshape(m, n, n);
        NDArray columns = flat.expandDims(1); // [m, 1, n(j), n(k)]
        long rows = Math.max(1, Math.min(n, chunkElements / (m * n * n)));
        NDList parts = new NDList();
        for (long r0 = 0; r0 < n; r0 += rows) {
            long r1 = Math.min(n, r0 + rows);
            // Each chunk's [m, rows, n, n] temporary dies with its own manager.
            try (NDManager chunk = Scopes.of(flat, columns)) {
                NDArray part =
                        flat.get(new NDIndex(":, {}:{}, :", r0, r1))
                                .expandDims(2) // [m, rows, 1, n(k)]
                                .minimum(columns)
                                .sum(new int[] {3});
                parts.add(chunk.ret(part));
            }
        }
        return NDArrays.concat(parts, 1).reshape(s);
    }

    /** Divides each row of a fresh array by its sum in place; zero rows become self-loops. */
    static void normalizeRowsInPlace(NDArray w) {
        int d = w.getShape().dimension();
        long n = w.getShape().get(d - 1);
        NDArray sums = w.sum(new int[] {d - 1}, true);
        NDArray zero = sums.lte(EPS);
        w.divi(sums.maximum(EPS));
        // One host sync; the repair runs only on degenerate input, never on softmax attention.
        if (zero.any().getBoolean()) {
            NDArray eye =
                    w.getManager().eye((int) n, (int) n, 0, w.getDataType(), w.getDevice());
            w.addi(eye.mul(zero.toType(w.getDataType(), false)));
        }
    }

    private static void checkSquare(NDArray a) {
        Shape s = a.getShape();
        int d = s.dimension();
        if (d < 2 || s.get(d - 1) != s.get(d - 2)) {
            throw new IllegalArgumentException(
                    "Refinement: attention has shape " + s + ", expected [..., n, n]");
        }
        if (!a.getDataType().isFloating()) {
            throw new IllegalArgumentException(
                    "Refinement: attention has dtype " + a.getDataType() + ", expected float");
        }
    }
}
