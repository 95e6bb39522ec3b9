package org.wsss4j.methods.aream;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.wsss4j.data.ClassList;

/**
 * The affinity label on the token grid (methods.md §1.3 c, the official {@code seg_to_aff}): the
 * pseudo label is taken to the grid by nearest neighbour (PyTorch's: token (i, j) reads pixel
 * (i·H/gh, j·W/gw), the top-left pixel of its patch), then Y(i, j) = 1 where the two tokens'
 * labels agree, 0 where they differ, 255 where either is 255.
 */
public final class AffinityLabels {
    private AffinityLabels() {}

    /**
     * @param segmentation [B, H, W] integer labels (0 background, 255 ignore), H and W multiples
     *     of the grid
     * @return [B, gh·gw, gh·gw] float32 with values 0, 1, 255
     */
    public static NDArray fromSegmentation(NDArray segmentation, int gridH, int gridW) {
        Shape s = segmentation.getShape();
        if (s.dimension() != 3 || s.get(1) % gridH != 0 || s.get(2) % gridW != 0) {
            throw new IllegalArgumentException("segmentation " + s
                    + " must be [B, H, W] with H, W multiples of the grid " + gridH + "x" + gridW);
        }
        long b = s.get(0);
        long ph = s.get(1) / gridH;
        long pw = s.get(2) / gridW;
        NDArray tokens = segmentation
                .get(new NDIndex(":, 0:{}:{}, 0:{}:{}", s.get(1), ph, s.get(2), pw))
                .toType(DataType.INT64, false)
                .reshape(b, (long) gridH * gridW);
        NDArray same = tokens.expandDims(2).eq(tokens.expandDims(1)).toType(DataType.FLOAT32,
                false);
        NDArray ignored = tokens.eq(ClassList.IGNORE);
        NDArray either = ignored.expandDims(2).logicalOr(ignored.expandDims(1));
        return NDArrays.where(either, same.zerosLike().add((float) ClassList.IGNORE), same);
    }
}
