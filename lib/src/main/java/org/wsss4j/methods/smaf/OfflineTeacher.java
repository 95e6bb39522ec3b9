package org.wsss4j.methods.smaf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.BitSet;
import java.util.List;
import java.util.function.Function;
import org.wsss4j.cam.CamOps;
import org.wsss4j.data.Augment;
import org.wsss4j.data.TrainBatches;

/**
 * SMAF's teacher as the paper runs it: the fused maps are made once per training image, offline,
 * on the un-augmented image, and each training sample's target follows its image through the
 * sample's resize, crop and flip. The alternative, fusing the augmented batch at every step
 * ({@link OnlineTeacher}), evaluates the teacher (scales × flips forwards) on every sample of
 * every step of every row; one offline pass serves all the rows of a seed (the quick profile's
 * first seed trains five).
 *
 * <p>Only the images that the served steps draw are fused: a branch of F steps sees F × batch
 * samples, which at the quick profile (40 × 64 of 3,000 images, across an epoch boundary) are
 * about 2,200 distinct images, so fusing the whole data set would spend a quarter of the
 * teacher's time on maps no step reads. A step outside the served range is refused.
 *
 * <p>The maps are computed on first use (a branch found in the checkpoint cache never asks) and
 * kept for every class (the "without denoise" rows need the absent ones) at the target's
 * resolution, {@code targetScale} × the token grid of the image, as the per-step teacher makes
 * them for a crop: C × (H/p·t) × (W/p·t) floats per image (quick: 46 KB; a 500 × 375 VOC image
 * at patch 16: 233 KB). The batches' images must be {@code batches}' (same data, order,
 * augmentation and seed); colour jitter moves no pixel, so the target does not depend on it.
 */
public final class OfflineTeacher implements FusedMaps {
    /**
     * The fused maps of one image: {@code numClasses} planes of mapWidth × mapHeight in [0, 1],
     * for an image of width × height pixels.
     */
    public record Fused(int width, int height, int mapWidth, int mapHeight, float[] maps) {
        public Fused {
            if (width < 1 || height < 1 || mapWidth < 1 || mapHeight < 1
                    || maps.length % (mapWidth * mapHeight) != 0) {
                throw new IllegalArgumentException("fused maps of " + maps.length
                        + " values are not planes of " + mapWidth + "x" + mapHeight
                        + " (image " + width + "x" + height + ")");
            }
        }
    }

    private final Function<int[], List<Fused>> compute;
    private final TrainBatches batches;
    private final long fromStep;
    private final long toStep;
    private final int numClasses;
    private final SmafConfig fusion;
    private Fused[] maps;

    /**
     * @param compute given the data set indices that the served steps draw (distinct,
     *     ascending), the fused maps of those images in that order (called once, on first use)
     * @param batches the run's batch order (indices and augmentation draws; its images are not
     *     read)
     * @param fromStep the first step served
     * @param toStep the step after the last one served
     * @param numClasses C, the planes of each image's maps
     * @param fusion the configuration whose scales, flip and target scale {@code compute} fuses
     *     with (a hook whose configuration fuses otherwise is refused)
     */
    public OfflineTeacher(Function<int[], List<Fused>> compute, TrainBatches batches,
            long fromStep, long toStep, int numClasses, SmafConfig fusion) {
        if (fromStep < 0 || toStep <= fromStep) {
            throw new IllegalArgumentException("offline teacher: steps [" + fromStep + ", "
                    + toStep + ") must be a non-empty range from 0 up");
        }
        this.compute = compute;
        this.batches = batches;
        this.fromStep = fromStep;
        this.toStep = toStep;
        this.numClasses = numClasses;
        this.fusion = fusion;
    }

    /** The data set indices that the served steps draw, distinct and ascending. */
    public int[] imagesNeeded() {
        BitSet seen = new BitSet(batches.dataset().size());
        for (long s = fromStep; s < toStep; s++) {
            for (int i : batches.indices(s)) {
                seen.set(i);
            }
        }
        return seen.stream().toArray();
    }

    /** Fails unless {@code cfg} fuses as these maps were fused (scales, flip, target scale). */
    @Override
    public void check(SmafConfig cfg) {
        if (!cfg.fusesLike(fusion) || cfg.targetScale() != fusion.targetScale()) {
            throw new IllegalArgumentException("offline teacher fused over scales "
                    + fusion.scales() + ", flip " + fusion.flip() + ", target scale "
                    + fusion.targetScale() + ", used with scales " + cfg.scales() + ", flip "
                    + cfg.flip() + ", target scale " + cfg.targetScale());
        }
    }

    /** Whether the maps have been computed. */
    public synchronized boolean computed() {
        return maps != null;
    }

    private synchronized Fused[] maps() {
        if (maps == null) {
            int[] need = imagesNeeded();
            List<Fused> m = compute.apply(need);
            if (m.size() != need.length) {
                throw new IllegalStateException("offline teacher: " + m.size()
                        + " images of fused maps for the " + need.length + " images that steps "
                        + fromStep + ".." + (toStep - 1) + " draw");
            }
            Fused[] byIndex = new Fused[batches.dataset().size()];
            for (int k = 0; k < need.length; k++) {
                Fused f = m.get(k);
                if (f.maps().length != numClasses * f.mapWidth() * f.mapHeight()) {
                    throw new IllegalStateException("offline teacher: image " + need[k]
                            + " has " + f.maps().length / (f.mapWidth() * f.mapHeight())
                            + " planes, expected " + numClasses);
                }
                byIndex[need[k]] = f;
            }
            maps = byIndex;
        }
        return maps;
    }

    /**
     * The maps of {@code step}'s samples ({@link #fused(long, int, int, NDManager)}), in {@code
     * manager}; fails if the training batch is not the batch of this teacher's order at that
     * step (of the images only their number is read: the maps follow the order's draws).
     */
    @Override
    public NDArray forStep(long step, NDArray images, int height, int width, NDManager manager) {
        NDArray fused = fused(step, height, width, manager);
        long samples = fused.getShape().get(0);
        long batch = images.getShape().get(0);
        if (samples != batch) {
            fused.close();
            throw new IllegalStateException("offline teacher: step " + step + " has " + samples
                    + " samples in the teacher's batch order, " + batch + " in the training batch");
        }
        return fused;
    }

    /**
     * The fused maps [B, C, height, width] of the samples of {@code step}: each sample's stored
     * maps resampled through its augmentation geometry to the crop (the stored grid is resized
     * straight to the resized image, then cropped and flipped; padding is 0), then resized
     * bilinearly to height × width.
     */
    public NDArray fused(long step, int height, int width, NDManager manager) {
        if (step < fromStep || step >= toStep) {
            throw new IllegalArgumentException("offline teacher: step " + step
                    + " is outside the steps " + fromStep + ".." + (toStep - 1)
                    + " whose images it fused");
        }
        Fused[] all = maps();
        int[] idx = batches.indices(step);
        Augment aug = batches.augment();
        int s = aug.cropSize();
        int plane = numClasses * s * s;
        float[] out = new float[idx.length * plane];
        for (int j = 0; j < idx.length; j++) {
            Fused f = all[idx[j]];
            Augment.Geometry g = aug.geometry(f.width(), f.height(), batches.seed(), step, j);
            float[] warped = aug.warp(f.maps(), numClasses, f.mapWidth(), f.mapHeight(), g);
            System.arraycopy(warped, 0, out, j * plane, plane);
        }
        NDArray crop = manager.create(out, new Shape(idx.length, numClasses, s, s));
        return CamOps.resize(crop, height, width);
    }
}
