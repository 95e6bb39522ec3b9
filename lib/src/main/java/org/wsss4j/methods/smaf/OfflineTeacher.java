package org.wsss4j.methods.smaf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.function.Supplier;
import org.wsss4j.data.Augment;
import org.wsss4j.data.TrainBatches;
import org.wsss4j.eval.ClassMaps;

/**
 * SMAF's teacher as the paper runs it: the fused maps are made once per training image, offline,
 * on the un-augmented image, and each training sample's target follows its image through the
 * sample's resize, crop and flip. The alternative, fusing the augmented batch at every step,
 * evaluates the teacher (scales × flips forwards) on every sample of every step: 150 steps × 64
 * samples are 9,600 images where the quick profile's train_aug has 3,000.
 *
 * <p>The maps are computed on first use (a branch found in the checkpoint cache never asks) and
 * kept for the image's label classes only, at the image's own size, in [0, 1]. The batches'
 * images must be {@code batches}' (same data, order, augmentation and seed); colour jitter does
 * not move pixels, so the target is the same whatever the jitter drew.
 */
public final class OfflineTeacher {
    private final Supplier<List<ClassMaps>> compute;
    private final TrainBatches batches;
    private final int numClasses;
    private final List<Double> scales;
    private final boolean flip;
    private List<ClassMaps> maps;

    /**
     * @param compute the fused maps of every image of {@code batches}' data set, in its index
     *     order, for the image's label classes (called once, on first use)
     * @param batches the run's batch order (indices and augmentation draws; its images are not
     *     read)
     * @param numClasses C, the channels of a fused batch
     * @param scales the scales {@code compute} fuses (a hook whose configuration fuses others is
     *     refused)
     * @param flip whether {@code compute} fuses flipped passes too
     */
    public OfflineTeacher(Supplier<List<ClassMaps>> compute, TrainBatches batches, int numClasses,
            List<Double> scales, boolean flip) {
        this.compute = compute;
        this.batches = batches;
        this.numClasses = numClasses;
        this.scales = List.copyOf(scales);
        this.flip = flip;
    }

    /** Fails unless {@code cfg} fuses as these maps were fused. */
    void check(SmafConfig cfg) {
        if (!cfg.scales().equals(scales) || cfg.flip() != flip) {
            throw new IllegalArgumentException("offline teacher fused over scales " + scales
                    + ", flip " + flip + ", used with scales " + cfg.scales() + ", flip "
                    + cfg.flip());
        }
    }

    /** Whether the maps have been computed. */
    public synchronized boolean computed() {
        return maps != null;
    }

    private synchronized List<ClassMaps> maps() {
        if (maps == null) {
            List<ClassMaps> m = compute.get();
            int n = batches.dataset().size();
            if (m.size() != n) {
                throw new IllegalStateException("offline teacher: " + m.size()
                        + " images of fused maps for a data set of " + n);
            }
            maps = List.copyOf(m);
        }
        return maps;
    }

    /**
     * The fused maps [B, C, height, width] of the samples of {@code step}: each sample's stored
     * maps moved through its augmentation geometry to the crop, then resized bilinearly to
     * height × width. Absent classes and padding are 0.
     */
    public NDArray fused(long step, int height, int width, NDManager manager) {
        List<ClassMaps> all = maps();
        int[] idx = batches.indices(step);
        Augment aug = batches.augment();
        int s = aug.cropSize();
        int plane = s * s;
        float[] out = new float[idx.length * numClasses * plane];
        for (int j = 0; j < idx.length; j++) {
            ClassMaps cm = all.get(idx[j]);
            int w = cm.width(), h = cm.height();
            int k = cm.classes().length;
            float[] planes = new float[k * w * h];
            for (int l = 0; l < k; l++) {
                System.arraycopy(cm.maps()[l], 0, planes, l * w * h, w * h);
            }
            Augment.Geometry g = aug.geometry(w, h, batches.seed(), step, j);
            float[] warped = aug.warp(planes, k, w, h, g);
            for (int l = 0; l < k; l++) {
                int c = cm.classes()[l] - 1; // label 1..C → channel 0..C-1
                System.arraycopy(warped, l * plane, out, (j * numClasses + c) * plane, plane);
            }
        }
        NDArray crop = manager.create(out, new Shape(idx.length, numClasses, s, s));
        if (height == s && width == s) {
            return crop;
        }
        return org.wsss4j.cam.CamOps.resize(crop, height, width);
    }
}
