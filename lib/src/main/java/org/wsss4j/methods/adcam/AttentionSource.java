package org.wsss4j.methods.adcam;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Which token-to-token attention AD-CAM diffuses along: a set of transformer blocks and a head
 * reduction. The paper does not say which layers or heads it uses (methods.md §3.2, UNVERIFIED),
 * so both are options; block indices are explicit here (the {@code model} package resolves the
 * papers' 12-block positions for shallower models).
 *
 * <p>Input: the post-softmax attention probabilities of every block, one {@code [B, H, N, N]}
 * array per block, {@code N = C + h·w} with the C class tokens first. The result is the mean over
 * the chosen blocks of
 *
 * <ul>
 *   <li>{@link #patchToPatch}: the block {@code [C:, C:]} (class tokens excluded), i.e. {@code
 *       [B, hw, hw]} with heads averaged ({@link Heads#MEAN}) or {@code [B, H, hw, hw]} per head
 *       ({@link Heads#ALL});
 *   <li>{@link #classToPatch}: the block {@code [:C, C:]}, {@code [B, C, hw]} or {@code [B, H, C,
 *       hw]}.
 * </ul>
 *
 * Rows of the patch-to-patch block do not sum to 1 (their class-token share is cut off); {@link
 * Refinement} makes them stochastic again.
 *
 * @param blocks block indices (0-based, no duplicates, at least one); the array is copied
 * @param heads how heads are reduced
 */
public record AttentionSource(int[] blocks, Heads heads) {

    /** How the heads of a block are reduced. */
    public enum Heads {
        /** Mean over heads: one matrix per image. */
        MEAN,
        /** Every head kept: one matrix per head (refined per head, see {@link AdCam}). */
        ALL;

        /** Parses {@code mean} or {@code all} (case-insensitive). */
        public static Heads parse(String s) {
            for (Heads h : values()) {
                if (h.name().equalsIgnoreCase(s.trim())) {
                    return h;
                }
            }
            throw new IllegalArgumentException("Unknown head reduction '" + s + "': use mean or all");
        }
    }

    public AttentionSource {
        Objects.requireNonNull(blocks, "blocks");
        Objects.requireNonNull(heads, "heads");
        if (blocks.length == 0) {
            throw new IllegalArgumentException("AttentionSource: no block selected");
        }
        blocks = blocks.clone();
        BitSet seen = new BitSet();
        for (int b : blocks) {
            if (b < 0) {
                throw new IllegalArgumentException("AttentionSource: negative block index " + b);
            }
            if (seen.get(b)) {
                // A repeated block would silently weigh double in the mean.
                throw new IllegalArgumentException("AttentionSource: block " + b + " listed twice");
            }
            seen.set(b);
        }
    }

    /** The given blocks, heads averaged. */
    public static AttentionSource meanOf(int... blocks) {
        return new AttentionSource(blocks, Heads.MEAN);
    }

    /** The given blocks with a head reduction. */
    public static AttentionSource of(Heads heads, int... blocks) {
        return new AttentionSource(blocks, heads);
    }

    /** A copy of the block indices. */
    @Override
    public int[] blocks() {
        return blocks.clone();
    }

    /**
     * Mean over the chosen blocks of the patch-to-patch attention.
     *
     * @param attention per-block probabilities, each {@code [B, H, N, N]}, all of one shape
     * @param classTokens C, the number of leading class tokens (0 for a model without any)
     * @return {@code [B, hw, hw]} ({@link Heads#MEAN}) or {@code [B, H, hw, hw]} ({@link
     *     Heads#ALL}), a new array on the inputs' manager
     */
    public NDArray patchToPatch(List<NDArray> attention, int classTokens) {
        checkBlocks(attention, classTokens, 0);
        return reduce(attention, new NDIndex(":, :, {}:, {}:", classTokens, classTokens));
    }

    /**
     * Mean over the chosen blocks of the class-to-patch attention (row c: how class token c
     * attends to every patch), the map MCTformer multiplies with PatchCAM.
     *
     * @param attention per-block probabilities, each {@code [B, H, N, N]}
     * @param classTokens C &ge; 1
     * @return {@code [B, C, hw]} ({@link Heads#MEAN}) or {@code [B, H, C, hw]} ({@link Heads#ALL})
     */
    public NDArray classToPatch(List<NDArray> attention, int classTokens) {
        checkBlocks(attention, classTokens, 1);
        return reduce(attention, new NDIndex(":, :, :{}, {}:", classTokens, classTokens));
    }

    /**
     * The same selection on attention that is already patch-to-patch and stacked by block, as the
     * {@code refine} command's npz input may hold it.
     *
     * @param stacked {@code [B, L, H, hw, hw]}
     * @return {@code [B, hw, hw]} or {@code [B, H, hw, hw]}
     */
    public NDArray reduceStacked(NDArray stacked) {
        Shape s = stacked.getShape();
        if (s.dimension() != 5 || s.get(3) != s.get(4)) {
            throw new IllegalArgumentException(
                    "AttentionSource: stacked attention has shape " + s
                            + ", expected [B, L, H, hw, hw]");
        }
        List<NDArray> perBlock = new ArrayList<>();
        int max = Arrays.stream(blocks).max().getAsInt();
        if (max >= s.get(1)) {
            throw new IllegalArgumentException(
                    "AttentionSource: block " + max + " selected but the attention holds "
                            + s.get(1) + " blocks (0.." + (s.get(1) - 1) + ")");
        }
        try (NDManager scope = Scopes.of(stacked)) {
            // Views of the selected blocks only, at their own indices, so reduce() can pick them.
            for (int l = 0; l <= max; l++) {
                perBlock.add(stacked.get(new NDIndex(":, {}", l)));
            }
            return scope.ret(reduce(perBlock, new NDIndex("...")));
        }
    }

    /** A short label for tables and provenance, e.g. {@code blocks 3,4,5 head-mean}. */
    public String name() {
        return "blocks "
                + Arrays.stream(blocks).mapToObj(Integer::toString).collect(Collectors.joining(","))
                + " head-" + heads.name().toLowerCase();
    }

    private void checkBlocks(List<NDArray> attention, int classTokens, int minClassTokens) {
        Objects.requireNonNull(attention, "attention");
        if (classTokens < minClassTokens) {
            throw new IllegalArgumentException(
                    "AttentionSource: classTokens = " + classTokens + ", need at least "
                            + minClassTokens);
        }
        Shape first = null;
        for (int b : blocks) {
            if (b >= attention.size()) {
                throw new IllegalArgumentException(
                        "AttentionSource: block " + b + " selected but " + attention.size()
                                + " blocks given (0.." + (attention.size() - 1) + ")");
            }
            Shape s = attention.get(b).getShape();
            if (s.dimension() != 4 || s.get(2) != s.get(3)) {
                throw new IllegalArgumentException(
                        "AttentionSource: block " + b + " attention has shape " + s
                                + ", expected [B, H, N, N]");
            }
            if (s.get(2) <= classTokens) {
                throw new IllegalArgumentException(
                        "AttentionSource: block " + b + " has N = " + s.get(2) + " tokens, not more"
                                + " than the " + classTokens + " class tokens");
            }
            if (first == null) {
                first = s;
            } else if (!first.equals(s)) {
                throw new IllegalArgumentException(
                        "AttentionSource: block " + b + " attention has shape " + s + ", block "
                                + blocks[0] + " has " + first);
            }
        }
    }

    /** Mean over the chosen blocks of {@code attention.get(b).get(slice)}, heads per {@link #heads}. */
    private NDArray reduce(List<NDArray> attention, NDIndex slice) {
        NDArray[] chosen = Arrays.stream(blocks).mapToObj(attention::get).toArray(NDArray[]::new);
        try (NDManager scope = Scopes.of(chosen)) {
            NDArray sum = null;
            for (int b : blocks) {
                NDArray part = attention.get(b).get(slice);
                if (heads == Heads.MEAN) {
                    part = part.mean(new int[] {1});
                }
                sum = sum == null ? part : sum.add(part);
            }
            // Division also turns a single-block view into a fresh array the caller owns.
            return scope.ret(sum.div(blocks.length));
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AttentionSource a && Arrays.equals(blocks, a.blocks) && heads == a.heads;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(blocks) + heads.hashCode();
    }

    @Override
    public String toString() {
        return "AttentionSource[blocks=" + Arrays.toString(blocks) + ", heads=" + heads + "]";
    }
}
