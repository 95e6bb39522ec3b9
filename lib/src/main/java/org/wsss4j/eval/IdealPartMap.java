package org.wsss4j.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.util.Arrays;
import org.wsss4j.cam.CamOps;
import org.wsss4j.data.IndexedPng.LabelMap;
import org.wsss4j.data.VocDataset;

/**
 * Gate 2 (partial activation) on a map that is partial by construction: the <em>ideal part map</em>
 * is exactly the class's visible discriminative part and nothing else, seen through a CAM's token
 * grid. Each token holds the share of its pixels that belong to the class's part; the grid then
 * goes through the baseline CAM's tail (bilinear upsampling, ReLU, min–max per class) and is
 * thresholded like any CAM row.
 *
 * <p>Why it matters: the threshold that maximises mIoU keeps every pixel whose chance of being
 * foreground beats about IoU / (1 + IoU), so for this flat-topped map it falls to the edge of the
 * upsampled blob, which reaches up to one token beyond the part. Where parts are a large share of
 * their objects, that blob covers most of the object and even this map's recall nearly meets its
 * precision. It is a reference, not a bound: a trained map that peaks inside the part is
 * thresholded higher. The score is a property of the generator's geometry (object and part sizes
 * against the token size), so it is measured on {@code train_aug} alone — threshold chosen on its
 * even-numbered images, applied to the odd ones — never on a split that a table scores.
 */
public final class IdealPartMap {
    private IdealPartMap() {}

    /**
     * The ideal part maps of one image: per label class, the share of each {@code patch}×{@code
     * patch} token covered by that class's part, upsampled and normalised as the baseline CAM is.
     *
     * @param parts the part mask (class label on each visible part pixel, 0 elsewhere)
     * @param labels the image-level label classes
     * @param patch token side in pixels; the image sides must be multiples of it
     */
    public static ClassMaps idealMaps(
            NDManager manager, String id, LabelMap parts, int[] labels, int patch) {
        int w = parts.width(), h = parts.height();
        if (w % patch != 0 || h % patch != 0) {
            throw new IllegalArgumentException(id + ": size " + w + "x" + h
                    + " is not a whole number of " + patch + "-px tokens");
        }
        int gw = w / patch, gh = h / patch;
        float[] grid = new float[labels.length * gh * gw];
        float share = 1f / (patch * patch);
        byte[] p = parts.labels();
        for (int l = 0; l < labels.length; l++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    if ((p[y * w + x] & 0xff) == labels[l]) {
                        grid[(l * gh + y / patch) * gw + x / patch] += share;
                    }
                }
            }
        }
        try (NDManager m = manager.newSubManager()) {
            NDArray g = m.create(grid, new Shape(1, labels.length, gh, gw));
            // Min–max of non-negative maps lands in [0, 1): no clamping needed.
            float[] up = CamOps.minMax(CamOps.resize(g, h, w).maximum(0f)).toFloatArray();
            float[][] maps = new float[labels.length][];
            for (int l = 0; l < labels.length; l++) {
                maps[l] = Arrays.copyOfRange(up, l * h * w, (l + 1) * h * w);
            }
            return new ClassMaps(id, w, h, labels, maps);
        }
    }

    /**
     * The ideal part map's score on {@code ds} (normally train_aug): threshold chosen on the
     * even-numbered images, applied to the odd-numbered ones. Fails naming the data set when it
     * has no part masks (real data sets do not).
     */
    public static ThresholdedScore measure(NDManager manager, VocDataset ds, int patch)
            throws IOException {
        ThresholdSweep even = new ThresholdSweep(ds.split() + " (even)", ds.classes().numLabels());
        ThresholdSweep odd = new ThresholdSweep(ds.split() + " (odd)", ds.classes().numLabels());
        for (int i = 0; i < ds.size(); i++) {
            final int index = i;
            LabelMap parts = ds.readParts(i).orElseThrow(() -> new IOException(
                    ds.root() + ": image '" + ds.id(index) + "' has no part mask "
                            + "(SegmentationPart/), so its ideal part map "
                            + "cannot be built"));
            ClassMaps maps = idealMaps(manager, ds.id(i), parts, ds.labels(i), patch);
            (i % 2 == 0 ? even : odd).add(maps, ds.readMask(i));
        }
        return ThresholdSweep.chooseOn(even, odd);
    }
}
