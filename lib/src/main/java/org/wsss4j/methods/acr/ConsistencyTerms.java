package org.wsss4j.methods.acr;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * ACR's two consistency terms (methods.md §2.3), as pure functions of two views' per-block
 * post-softmax attention [B, heads, N, N] (N = C class tokens + gh·gw patches):
 *
 * <ul>
 *   <li>{@link #classToPatch}: mean |a¹ − a²| of the head-mean class-to-patch rows (all C
 *       class-token rows over the patches) — the paper's "activation intensity" consistency;
 *   <li>{@link #patchToPatch}: mean |P¹ − P²| of the head-mean patch-to-patch maps — the
 *       "all-pairs affinity" consistency.
 * </ul>
 *
 * Means run over batch × blocks × entries, as in the official code. When the second view is the
 * horizontal flip, its maps are brought back to the first view's token grid first (patch axes
 * re-indexed by {@link TokenFlip}, both axes for patch-to-patch). Unweighted: the caller applies
 * α.
 */
public final class ConsistencyTerms {
    /** Class-token query rows over the patch keys of [B, N, N]; {} = number of class tokens. */
    private static final String CLASS_ROWS = ":, :{}, {}:";
    /** Patch query rows over the patch keys of [B, N, N]. */
    private static final String PATCH_ROWS = ":, {}:, {}:";

    private ConsistencyTerms() {}

    /** Mean L1 between the views' class-to-patch attention over {@code blocks}. */
    public static NDArray classToPatch(
            List<NDArray> attention1,
            List<NDArray> attention2,
            int[] blocks,
            int numClassTokens,
            int gridH,
            int gridW,
            boolean secondFlipped) {
        return meanL1(attention1, attention2, blocks, numClassTokens, gridH, gridW,
                CLASS_ROWS, secondFlipped ? a -> TokenFlip.keys(a, gridH, gridW) : null);
    }

    /** Mean L1 between the views' patch-to-patch attention over {@code blocks}. */
    public static NDArray patchToPatch(
            List<NDArray> attention1,
            List<NDArray> attention2,
            int[] blocks,
            int numClassTokens,
            int gridH,
            int gridW,
            boolean secondFlipped) {
        return meanL1(attention1, attention2, blocks, numClassTokens, gridH, gridW,
                PATCH_ROWS, secondFlipped ? a -> TokenFlip.queriesAndKeys(a, gridH, gridW) : null);
    }

    /**
     * Mean over {@code blocks} of mean |S(a¹) − U(S(a²))|, S the head mean sliced by {@code rows},
     * U = {@code unflipSecond} (none when null).
     */
    private static NDArray meanL1(
            List<NDArray> attention1,
            List<NDArray> attention2,
            int[] blocks,
            int numClassTokens,
            int gridH,
            int gridW,
            String rows,
            UnaryOperator<NDArray> unflipSecond) {
        if (blocks.length == 0) {
            throw new IllegalArgumentException("no attention blocks selected");
        }
        long n = numClassTokens + (long) gridH * gridW;
        NDArray sum = null;
        for (int b : blocks) {
            if (b < 0 || b >= attention1.size() || b >= attention2.size()) {
                throw new IllegalArgumentException("block " + b + " is not in the attention lists ("
                        + attention1.size() + " and " + attention2.size()
                        + " blocks); did the forward request ATTENTION?");
            }
            check(attention1.get(b), n, "view 1", b);
            check(attention2.get(b), n, "view 2", b);
            if (!attention1.get(b).getShape().equals(attention2.get(b).getShape())) {
                throw new IllegalArgumentException("block " + b + ": the views' attention differ in"
                        + " shape, " + attention1.get(b).getShape() + " vs "
                        + attention2.get(b).getShape());
            }
            NDArray x1 = headMean(attention1.get(b))
                    .get(new NDIndex(rows, numClassTokens, numClassTokens));
            NDArray x2 = headMean(attention2.get(b))
                    .get(new NDIndex(rows, numClassTokens, numClassTokens));
            if (unflipSecond != null) {
                x2 = unflipSecond.apply(x2);
            }
            NDArray t = x1.sub(x2).abs().mean();
            sum = sum == null ? t : sum.add(t);
        }
        // Equal entry counts per block, so the mean of block means is the overall mean.
        return org.wsss4j.model.Scalars.div(sum, blocks.length);
    }

    private static void check(NDArray a, long n, String view, int block) {
        Shape s = a.getShape();
        if (s.dimension() != 4 || s.get(2) != n || s.get(3) != n) {
            throw new IllegalArgumentException(view + " block " + block + ": attention must be [B,"
                    + " heads, " + n + ", " + n + "] (class tokens + grid), got " + s);
        }
    }

    /** [B, heads, N, N] → [B, N, N]. */
    static NDArray headMean(NDArray attention) {
        return attention.mean(new int[] {1});
    }
}
