package org.wsss4j.methods.smaf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

/**
 * SMAF's teacher fused at every step on the very augmented batch the student sees (over the
 * configured scales and flips, {@link ScaleFusion}). Unlike {@link OfflineTeacher} it needs no
 * batch order and sees the colour jitter, at the price of the teacher's forwards (scales ×
 * flips) on every sample of every step; round 2, whose teacher is round 1's student, uses it.
 */
public final class OnlineTeacher implements FusedMaps {
    private final MapSource teacher;
    private final SmafConfig fusion;
    private final int chunk;

    /**
     * {@code teacher} fused over {@code fusion}'s scales and flip, {@link Teacher#CHUNK} images
     * at a time.
     */
    public OnlineTeacher(MapSource teacher, SmafConfig fusion) {
        this(teacher, fusion, Teacher.CHUNK);
    }

    /**
     * @param teacher the frozen teacher's maps (see {@link Teacher}); not closed here
     * @param fusion the configuration whose scales and flip the maps are fused over
     * @param chunk images per teacher forward (the fusion is per image, so chunking changes
     *     nothing but peak memory)
     */
    public OnlineTeacher(MapSource teacher, SmafConfig fusion, int chunk) {
        if (chunk < 1) {
            throw new IllegalArgumentException("chunk must be >= 1, got " + chunk);
        }
        this.teacher = teacher;
        this.fusion = fusion;
        this.chunk = chunk;
    }

    /** The teacher whose maps are fused. */
    public MapSource teacher() {
        return teacher;
    }

    /** Fails unless {@code cfg} has these scales and flip (its target size is the step's). */
    @Override
    public void check(SmafConfig cfg) {
        if (!cfg.fusesLike(fusion)) {
            throw new IllegalArgumentException("online teacher fused over scales "
                    + fusion.scales() + ", flip " + fusion.flip() + ", used with scales "
                    + cfg.scales() + ", flip " + cfg.flip());
        }
    }

    /** The fusion of {@code images}; {@code step} and {@code manager} are not needed. */
    @Override
    public NDArray forStep(long step, NDArray images, int height, int width, NDManager manager) {
        return fused(images, height, width);
    }

    /**
     * The teacher's fused maps [B, C, height, width] of normalised images [B, 3, H, W], computed
     * {@code chunk} images at a time, detached, in the images' manager.
     */
    public NDArray fused(NDArray images, int height, int width) {
        long b = images.getShape().get(0);
        NDList parts = new NDList();
        for (long i = 0; i < b; i += chunk) {
            NDIndex rows = new NDIndex("{}:{}", i, Math.min(b, i + chunk));
            parts.add(ScaleFusion.fuse(teacher, images.get(rows), fusion.scales(),
                    fusion.flip(), height, width));
        }
        NDArray f = parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 0);
        return f.stopGradient();
    }
}
