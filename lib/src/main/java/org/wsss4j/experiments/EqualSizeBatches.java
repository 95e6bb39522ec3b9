package org.wsss4j.experiments;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.wsss4j.data.ImageTensors;
import org.wsss4j.data.RgbImage;
import org.wsss4j.data.VocDataset;
import org.wsss4j.model.VisionTransformer;

/**
 * Walks a split in index order as batches of equal-size images, each resized to the nearest size
 * the patch grid divides. Real data sets mix sizes, so a read batch of {@code batch} images is
 * cut into runs of consecutive images that share one size (synthetic images make one run).
 */
final class EqualSizeBatches {
    private EqualSizeBatches() {}

    /** Receives one run of equal-size images. */
    @FunctionalInterface
    interface Visitor {
        /**
         * @param images normalised [B, 3, H', W'] in a manager closed after the call
         * @param first the position of the run's first image in the walked indices (the run is
         *     contiguous there)
         * @param originals the run's B images at their own size
         */
        void visit(NDArray images, int first, List<RgbImage> originals) throws IOException;
    }

    /** Reads {@code ds} {@code batch} images at a time and hands each equal-size run to {@code v}. */
    static void forEach(VisionTransformer model, VocDataset ds, int batch, Visitor v)
            throws IOException {
        int[] all = new int[ds.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        forEach(model, ds, all, batch, v);
    }

    /**
     * The images {@code indices} of {@code ds}, in that order, {@code batch} at a time; a run's
     * {@code first} is its position in {@code indices} (the split index when they are 0..n−1).
     */
    static void forEach(VisionTransformer model, VocDataset ds, int[] indices, int batch,
            Visitor v) throws IOException {
        int p = model.config().patchSize();
        for (int start = 0; start < indices.length; start += batch) {
            int end = Math.min(indices.length, start + batch);
            List<RgbImage> imgs = new ArrayList<>();
            for (int i = start; i < end; i++) {
                imgs.add(ds.readImage(indices[i]));
            }
            int i0 = 0;
            while (i0 < imgs.size()) {
                int w = imgs.get(i0).width();
                int h = imgs.get(i0).height();
                int i1 = i0 + 1;
                while (i1 < imgs.size() && imgs.get(i1).width() == w
                        && imgs.get(i1).height() == h) {
                    i1++;
                }
                int iw = Math.max(p, Math.round((float) w / p) * p);
                int ih = Math.max(p, Math.round((float) h / p) * p);
                try (NDManager m = NDManager.newBaseManager(model.device())) {
                    NDList xs = new NDList();
                    for (int k = i0; k < i1; k++) {
                        xs.add(ImageTensors.toNDArray(m, imgs.get(k), iw, ih, false));
                    }
                    NDArray x = xs.size() == 1 ? xs.get(0) : NDArrays.concat(xs, 0);
                    v.visit(x, start + i0, imgs.subList(i0, i1));
                }
                i0 = i1;
            }
        }
    }
}
