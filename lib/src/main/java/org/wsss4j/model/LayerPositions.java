package org.wsss4j.model;

import java.util.stream.IntStream;

/**
 * Maps the papers' 12-block layer indices onto a model of depth L (methods.md Part 1): index k →
 * r(k) = min(L−1, ⌊k·L/12 + ½⌋); "layers &lt; K" = {0 … r(K)−1}, "layers ≥ K" = {r(K) … L−1} with
 * r(K) clamped to [1, L−1]; "the last n" = the last max(1, ⌊n·L/12 + ½⌋) blocks.
 */
public final class LayerPositions {
    public static final int PAPER_DEPTH = 12;

    private LayerPositions() {}

    /** r(k) for a 0-based 12-block index k. */
    public static int resolve(int k, int depth) {
        check(depth);
        if (k < 0 || k >= PAPER_DEPTH) {
            throw new IllegalArgumentException("paper layer index " + k + " is outside 0..11");
        }
        return Math.min(depth - 1, (int) Math.floor((double) k * depth / PAPER_DEPTH + 0.5));
    }

    private static int split(int k, int depth) {
        check(depth);
        if (depth == 1) {
            throw new IllegalArgumentException("a 1-block model has no shallow/deep split");
        }
        int r = (int) Math.floor((double) k * depth / PAPER_DEPTH + 0.5);
        return Math.max(1, Math.min(depth - 1, r));
    }

    /** Blocks "&lt; K" (shallow). */
    public static int[] below(int k, int depth) {
        return IntStream.range(0, split(k, depth)).toArray();
    }

    /** Blocks "≥ K" (deep). */
    public static int[] atOrAbove(int k, int depth) {
        return IntStream.range(split(k, depth), depth).toArray();
    }

    /** The last n of 12 blocks, scaled. */
    public static int[] last(int n, int depth) {
        check(depth);
        if (n < 1 || n > PAPER_DEPTH) {
            throw new IllegalArgumentException("'last n' needs 1 <= n <= 12, got " + n);
        }
        int count = Math.max(1, (int) Math.floor((double) n * depth / PAPER_DEPTH + 0.5));
        count = Math.min(count, depth);
        return IntStream.range(depth - count, depth).toArray();
    }

    /** All blocks from the one the 12-block index {@code start} maps to (e.g. ACR's layer 10). */
    public static int[] from(int start, int depth) {
        return last(PAPER_DEPTH - start, depth);
    }

    private static void check(int depth) {
        if (depth < 1) {
            throw new IllegalArgumentException("depth must be >= 1, got " + depth);
        }
    }
}
