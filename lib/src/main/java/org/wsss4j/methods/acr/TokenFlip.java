package org.wsss4j.methods.acr;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * The token correspondence between an image and its horizontal flip (methods.md §2.3 step 4,
 * §7): with patch tokens row-major over a gh × gw grid, patch token i·w + j of the flipped image
 * shows what token i·w + (w−1−j) of the original shows (the flip is exact when the image width is
 * a multiple of the patch size, as the model requires). Class tokens have no position and keep
 * their index. The permutation is its own inverse, so "flip" and "un-flip" are the same
 * operation; patch-to-patch maps need it on both axes.
 */
public final class TokenFlip {
    private TokenFlip() {}

    /** perm[i·w + j] = i·w + (w−1−j): the patch index in the other view. */
    public static int[] permutation(int gridH, int gridW) {
        checkGrid(gridH, gridW);
        int[] perm = new int[gridH * gridW];
        for (int i = 0; i < gridH; i++) {
            for (int j = 0; j < gridW; j++) {
                perm[i * gridW + j] = i * gridW + (gridW - 1 - j);
            }
        }
        return perm;
    }

    /**
     * Re-indexes the last axis of {@code x} [..., gh·gw] (patch tokens only) into the other
     * view's coordinates, e.g. class-to-patch rows [B, C, hw].
     */
    public static NDArray keys(NDArray x, int gridH, int gridW) {
        Shape s = x.getShape();
        int d = s.dimension();
        long hw = (long) gridH * gridW;
        if (d < 1 || s.get(d - 1) != hw) {
            throw new IllegalArgumentException("expected a last axis of " + gridH + "x" + gridW
                    + " = " + hw + " patch tokens, got shape " + s);
        }
        Shape grid = s.slice(0, d - 1).addAll(new Shape(gridH, gridW));
        return x.reshape(grid).flip(d).reshape(s);
    }

    /**
     * Re-indexes both patch axes of a patch-to-patch map [..., hw, hw] (query and key) into the
     * other view's coordinates.
     */
    public static NDArray queriesAndKeys(NDArray x, int gridH, int gridW) {
        Shape s = x.getShape();
        int d = s.dimension();
        long hw = (long) gridH * gridW;
        if (d < 2 || s.get(d - 1) != hw || s.get(d - 2) != hw) {
            throw new IllegalArgumentException("expected [..., " + hw + ", " + hw
                    + "] patch-to-patch maps for a " + gridH + "x" + gridW + " grid, got " + s);
        }
        Shape grid = s.slice(0, d - 2).addAll(new Shape(gridH, gridW, gridH, gridW));
        // axes of the grid view: ..., qi, qj (d-1), ki, kj (d+1)
        return x.reshape(grid).flip(d - 1, d + 1).reshape(s);
    }

    private static void checkGrid(int gridH, int gridW) {
        if (gridH < 1 || gridW < 1) {
            throw new IllegalArgumentException("grid must be positive, got " + gridH + "x" + gridW);
        }
    }
}
