package org.wsss4j.methods.aream;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.HashMap;
import java.util.Map;
import org.wsss4j.data.ClassList;

/**
 * A fixed set of held-out images with ground truth, on which attention statistics are measured at
 * logging steps. Fixed images (not the augmented training batch) make the curves of different
 * runs and steps comparable, and their ground truth needs no augmentation bookkeeping; it is used
 * for this analysis only, never for training. Kept as host arrays: each measurement makes its
 * tensors in its own manager.
 *
 * @param images [count, 3, height, width] normalised, row-major
 * @param labels multi-hot image labels [count][C]
 * @param tokenSegments per image, the ground-truth label of each patch token (majority of its
 *     pixels, 255 pixels left out; 255 if all are), row-major over gridH × gridW
 */
public record ProbeSet(
        float[] images,
        int count,
        int height,
        int width,
        float[][] labels,
        int[][] tokenSegments,
        int gridH,
        int gridW) {

    public ProbeSet {
        if (count < 1 || images.length != (long) count * 3 * height * width) {
            throw new IllegalArgumentException("probe images: " + images.length
                    + " values for " + count + " images of 3x" + height + "x" + width);
        }
        if (labels.length != count || tokenSegments.length != count) {
            throw new IllegalArgumentException("probe set: " + count + " images but "
                    + labels.length + " labels and " + tokenSegments.length + " segment maps");
        }
        for (int[] seg : tokenSegments) {
            if (seg.length != gridH * gridW) {
                throw new IllegalArgumentException("probe token map has " + seg.length
                        + " tokens, expected " + gridH + "x" + gridW);
            }
        }
    }

    /**
     * Builds a probe set from pixel ground truth.
     *
     * @param pixelLabels per image, the label of each pixel row-major (0 background, 255 ignore)
     * @param patchSize the model's patch p: token (i, j) covers pixels [i·p, (i+1)·p) ×
     *     [j·p, (j+1)·p)
     */
    public static ProbeSet of(
            float[] images,
            int count,
            int height,
            int width,
            float[][] labels,
            int[][] pixelLabels,
            int patchSize) {
        if (height % patchSize != 0 || width % patchSize != 0) {
            throw new IllegalArgumentException("probe images " + height + "x" + width
                    + " are not a multiple of the patch " + patchSize);
        }
        int gh = height / patchSize;
        int gw = width / patchSize;
        int[][] segs = new int[pixelLabels.length][];
        for (int n = 0; n < pixelLabels.length; n++) {
            int[] px = pixelLabels[n];
            if (px.length != height * width) {
                throw new IllegalArgumentException("probe ground truth " + n + " has "
                        + px.length + " pixels, expected " + height + "x" + width);
            }
            segs[n] = new int[gh * gw];
            for (int i = 0; i < gh; i++) {
                for (int j = 0; j < gw; j++) {
                    segs[n][i * gw + j] = majority(px, width, i * patchSize, j * patchSize,
                            patchSize);
                }
            }
        }
        return new ProbeSet(images, count, height, width, labels, segs, gh, gw);
    }

    /** Most frequent non-ignore label in a patch (ties: the smaller label); 255 if none. */
    static int majority(int[] px, int width, int r0, int c0, int p) {
        Map<Integer, Integer> counts = new HashMap<>();
        for (int r = r0; r < r0 + p; r++) {
            for (int c = c0; c < c0 + p; c++) {
                int v = px[r * width + c];
                if (v != ClassList.IGNORE) {
                    counts.merge(v, 1, Integer::sum);
                }
            }
        }
        int best = ClassList.IGNORE;
        int bestCount = 0;
        for (Map.Entry<Integer, Integer> e : counts.entrySet()) {
            int k = e.getKey();
            int n = e.getValue();
            if (n > bestCount || (n == bestCount && k < best)) {
                best = k;
                bestCount = n;
            }
        }
        return best;
    }

    /** The images as a tensor in {@code m}. */
    public NDArray images(NDManager m) {
        return m.create(images, new Shape(count, 3, height, width));
    }

    /** Per image and token: true where the token's ground truth is background. */
    public boolean[][] background() {
        boolean[][] bg = new boolean[count][gridH * gridW];
        for (int n = 0; n < count; n++) {
            for (int j = 0; j < bg[n].length; j++) {
                bg[n][j] = tokenSegments[n][j] == 0;
            }
        }
        return bg;
    }
}
